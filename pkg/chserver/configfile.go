package chserver

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
)

// layout names the files and directories a server uses under its Dir.
type layout struct {
	Dir           string
	ConfigFile    string
	UsersFile     string
	DataDir       string // the paths ClickHouse reads end in a slash
	TmpDir        string
	UserFiles     string
	FormatSchemas string
	LogDir        string
	ServerLog     string
	ErrorLog      string
	ConsoleLog    string // the process's stdout and stderr
}

func newLayout(dir string) layout {
	logs := filepath.Join(dir, "logs")
	return layout{
		Dir:           dir,
		ConfigFile:    filepath.Join(dir, "config.xml"),
		UsersFile:     filepath.Join(dir, "users.xml"),
		DataDir:       filepath.Join(dir, "data") + "/",
		TmpDir:        filepath.Join(dir, "tmp") + "/",
		UserFiles:     filepath.Join(dir, "user_files") + "/",
		FormatSchemas: filepath.Join(dir, "format_schemas") + "/",
		LogDir:        logs,
		ServerLog:     filepath.Join(logs, "clickhouse-server.log"),
		ErrorLog:      filepath.Join(logs, "clickhouse-server.err.log"),
		ConsoleLog:    filepath.Join(logs, "console.log"),
	}
}

// mkdirs creates the directories of the layout.
func (l layout) mkdirs() error {
	for _, d := range []string{l.DataDir, l.TmpDir, l.UserFiles, l.FormatSchemas, l.LogDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	return nil
}

// serverSettings are the values written into config.xml and users.xml.
type serverSettings struct {
	Layout      layout
	Listen      string
	TCPPort     int
	HTTPPort    int
	DisplayName string
	LogLevel    string
	MaxMemory   int64
	Networks    []string
	Clusters    []clusterSettings
}

var configTemplate = template.Must(template.New("config.xml").Funcs(template.FuncMap{"x": xmlText}).Parse(`<?xml version="1.0"?>
<!-- Written by govreport's chserver at every start; edits are overwritten. -->
<yandex>
    <logger>
        <level>{{x .LogLevel}}</level>
        <log>{{x .Layout.ServerLog}}</log>
        <errorlog>{{x .Layout.ErrorLog}}</errorlog>
        <size>10M</size>
        <count>2</count>
    </logger>
    <display_name>{{x .DisplayName}}</display_name>
    <listen_host>{{x .Listen}}</listen_host>
    <tcp_port>{{.TCPPort}}</tcp_port>
    <http_port>{{.HTTPPort}}</http_port>
    <path>{{x .Layout.DataDir}}</path>
    <tmp_path>{{x .Layout.TmpDir}}</tmp_path>
    <user_files_path>{{x .Layout.UserFiles}}</user_files_path>
    <format_schema_path>{{x .Layout.FormatSchemas}}</format_schema_path>
    <users_config>{{x .Layout.UsersFile}}</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <keep_alive_timeout>1</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>{{if .Clusters}}
    <remote_servers>{{range .Clusters}}
        <{{.Name}}>{{range .Shards}}
            <shard>
                <internal_replication>{{.InternalReplication}}</internal_replication>{{range .Replicas}}
                <replica>
                    <host>{{x .Host}}</host>
                    <port>{{.Port}}</port>
                </replica>{{end}}
            </shard>{{end}}
        </{{.Name}}>{{end}}
    </remote_servers>{{end}}
</yandex>
`))

var usersTemplate = template.Must(template.New("users.xml").Funcs(template.FuncMap{"x": xmlText}).Parse(`<?xml version="1.0"?>
<!-- Written by govreport's chserver at every start; edits are overwritten. -->
<yandex>
    <profiles>
        <default>
            <!-- Idle connections notice a shutdown within this many seconds. -->
            <poll_interval>1</poll_interval>{{if gt .MaxMemory 0}}
            <max_memory_usage>{{.MaxMemory}}</max_memory_usage>{{end}}
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>{{range .Networks}}
                <ip>{{x .}}</ip>{{end}}
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
`))

func xmlText(s string) (string, error) {
	var b bytes.Buffer
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// networks returns who may connect as the default user: loopback only, unless the
// server listens on a non-loopback address.
func networks(listen string) []string {
	if ip := net.ParseIP(listen); ip != nil && ip.IsLoopback() {
		return []string{"127.0.0.1", "::1"}
	}
	return []string{"::/0"}
}

// writeConfig writes config.xml and users.xml.
func writeConfig(s serverSettings) error {
	for _, f := range []struct {
		path string
		tpl  *template.Template
	}{{s.Layout.ConfigFile, configTemplate}, {s.Layout.UsersFile, usersTemplate}} {
		var b bytes.Buffer
		if err := f.tpl.Execute(&b, s); err != nil {
			return fmt.Errorf("render %s: %w", f.path, err)
		}
		if err := os.WriteFile(f.path, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	return nil
}

// hostPort joins a host and a port.
func hostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
