package chserver

import (
	"fmt"
	"net"
	"time"
)

// Config configures a local clickhouse-server.
type Config struct {
	// Binary is the clickhouse-server executable, or a `clickhouse` multi-binary
	// (started as `clickhouse server`). A name without a slash is looked up in PATH.
	// Empty means the first one FindBinary finds (Start returns ErrNotFound when
	// there is none).
	Binary string `yaml:"binary"`
	// Dir holds everything the server writes: config files, data, temporary files,
	// user files and logs. It is created when missing and reused across starts, so the
	// data survives a restart.
	Dir string `yaml:"dir"`
	// Listen is the IP address the server listens on (default 127.0.0.1).
	Listen string `yaml:"listen"`
	// TCPPort and HTTPPort fix the ports of the native protocol and the HTTP
	// interface; 0 (the default) picks a free port at every start.
	TCPPort  int `yaml:"tcp_port"`
	HTTPPort int `yaml:"http_port"`
	// StartTimeout bounds the wait for the server to answer SELECT 1.
	StartTimeout time.Duration `yaml:"start_timeout"`
	// StopTimeout is how long Stop waits after SIGTERM before it kills the server.
	StopTimeout time.Duration `yaml:"stop_timeout"`
	// MaxMemory is the memory limit of one query in bytes (the default profile's
	// max_memory_usage); 0 keeps the server's default.
	MaxMemory int64 `yaml:"max_memory"`
	// LogLevel is the server's own log level: error, warning, information, debug or
	// trace.
	LogLevel string `yaml:"log_level"`
	// Clusters are written into the server's remote_servers, for Distributed tables
	// over several servers (empty: none). To make servers that know each other,
	// fix their TCPPort (see FreePorts) and give each the same clusters.
	Clusters []Cluster `yaml:"clusters"`
}

// DefaultConfig returns the defaults: the binary FindBinary finds at Start, listening on
// 127.0.0.1 on free ports, 30 s to start, 10 s to stop, 4 GiB per query. Dir has no default.
func DefaultConfig() Config {
	return Config{
		Listen:       "127.0.0.1",
		StartTimeout: 30 * time.Second,
		StopTimeout:  10 * time.Second,
		MaxMemory:    4 << 30,
		LogLevel:     "warning",
	}
}

var logLevels = map[string]bool{"error": true, "warning": true, "information": true, "debug": true, "trace": true}

// Validate checks the configuration. A missing binary is not a configuration error:
// Start reports it with an install hint.
func (c *Config) Validate() error {
	if c.Dir == "" {
		return fmt.Errorf("chserver.dir: required (the directory for the server's data and logs)")
	}
	if net.ParseIP(c.Listen) == nil {
		return fmt.Errorf("chserver.listen: %q is not an IP address", c.Listen)
	}
	for _, p := range []struct {
		name string
		port int
	}{{"tcp_port", c.TCPPort}, {"http_port", c.HTTPPort}} {
		if p.port < 0 || p.port > 65535 {
			return fmt.Errorf("chserver.%s: %d is not a port", p.name, p.port)
		}
	}
	if c.TCPPort != 0 && c.TCPPort == c.HTTPPort {
		return fmt.Errorf("chserver.http_port: the same as tcp_port (%d)", c.TCPPort)
	}
	if c.StartTimeout <= 0 {
		return fmt.Errorf("chserver.start_timeout: must be positive")
	}
	if c.StopTimeout <= 0 {
		return fmt.Errorf("chserver.stop_timeout: must be positive")
	}
	if c.MaxMemory < 0 {
		return fmt.Errorf("chserver.max_memory: %d is negative", c.MaxMemory)
	}
	if !logLevels[c.LogLevel] {
		return fmt.Errorf("chserver.log_level: %q, want error, warning, information, debug or trace", c.LogLevel)
	}
	return validateClusters(c.Clusters)
}
