package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// repoFile is a path relative to the repository root.
func repoFile(name string) string { return filepath.Join("..", "..", name) }

// keyPaths lists the dotted key of every scalar or sequence in a YAML mapping.
func keyPaths(n *yaml.Node, prefix string, out *[]string) {
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			keyPaths(c, prefix, out)
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		*out = append(*out, prefix)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if prefix != "" {
			k = prefix + "." + k
		}
		keyPaths(n.Content[i+1], k, out)
	}
}

func yamlKeys(t *testing.T, data []byte) []string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	var out []string
	keyPaths(&n, "", &out)
	slices.Sort(out)
	return out
}

// The default configuration file lists every key with its default value, so that
// reading it changes nothing, and every key has a comment.
func TestDefaultConfigFileIsTheDefaults(t *testing.T) {
	t.Setenv("GOVREPORT_CLICKHOUSE_DSN", "")
	os.Unsetenv("GOVREPORT_CLICKHOUSE_DSN")
	path := repoFile("configs/govreport.yaml")
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	// Compared as YAML: an empty list and no list are the same setting.
	gotYAML, _ := yaml.Marshal(got)
	wantYAML, _ := yaml.Marshal(DefaultConfig())
	if string(gotYAML) != string(wantYAML) {
		t.Errorf("%s differs from DefaultConfig():\n got %s\nwant %s", path, gotYAML, wantYAML)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := yaml.Marshal(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if documented, all := yamlKeys(t, data), yamlKeys(t, defaults); !slices.Equal(documented, all) {
		t.Errorf("%s lists keys %v,\nthe configuration has %v", path, documented, all)
	}

	// Every key line is commented: a comment on the line above (or on a line above
	// a group of keys that a comment introduces), or a mapping whose keys are.
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || !strings.Contains(trimmed, ":") {
			continue
		}
		if strings.HasSuffix(trimmed, ":") { // a section
			continue
		}
		commented := false
		for j := i - 1; j >= 0; j-- {
			p := strings.TrimSpace(lines[j])
			if strings.HasPrefix(p, "#") {
				commented = true
				break
			}
			if p == "" || strings.HasSuffix(p, ":") {
				break
			}
		}
		if !commented {
			t.Errorf("%s:%d: %q has no comment", path, i+1, trimmed)
		}
	}
}

func TestDemoConfig(t *testing.T) {
	cfg, err := LoadConfig(repoFile("configs/demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SamplePortal.Enabled || cfg.Crawler.Sites != "" || !cfg.Crawler.AllowPrivate || cfg.NATS.URL != "" {
		t.Errorf("demo must crawl only the in-process sample portal on an embedded NATS: %+v", cfg)
	}
	if n := cfg.SamplePortal.Sites * cfg.SamplePortal.ReportsPerSite; n < 50 {
		t.Errorf("demo portal has %d reports", n)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	t.Setenv("GOVREPORT_TEST_SET", "info")
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "crawler:\n  user_agnet: x\n", "field user_agnet not found"},
		{"bad type", "crawler:\n  host_concurrency: many\n", "cannot unmarshal"},
		{"bad duration", "loader:\n  batch_age: soon\n", "line 2: cannot unmarshal !!str `soon` into time.Duration"},
		{"bad log level", "log:\n  level: loud\n", "log.level"},
		{"missing env", "clickhouse:\n  dsn: ${GOVREPORT_TEST_UNSET_VAR}\n", "GOVREPORT_TEST_UNSET_VAR"},
		{"no data dir", "data_dir: \"\"\n", "data_dir"},
		{"bad metrics address", "metrics:\n  listen: nowhere\n", "metrics.listen"},
		{"portal without listen", "sample_portal:\n  enabled: true\n  listen: x\n", "sample_portal.listen"},
		{"not yaml", "crawler: [\n", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadConfig = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "absent.yaml")); err == nil {
		t.Error("a missing file must be an error")
	}
}

func TestEnvExpansion(t *testing.T) {
	t.Setenv("GOVREPORT_TEST_LEVEL", "debug")
	path := filepath.Join(t.TempDir(), "c.yaml")
	data := "log:\n  level: ${GOVREPORT_TEST_LEVEL}\n  format: ${GOVREPORT_TEST_UNSET_FORMAT:-json}\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log.Level != "debug" || cfg.Log.Format != "json" {
		t.Errorf("log = %+v", cfg.Log)
	}

	// Numbers, durations and booleans from the environment take their key's type;
	// a string key keeps the text, whatever it looks like.
	t.Setenv("GOVREPORT_TEST_PASSWORD", "true")
	t.Setenv("GOVREPORT_TEST_AGE", "750ms")
	data = "nats:\n  replicas: ${GOVREPORT_TEST_UNSET_REPLICAS:-3}\n" +
		"loader:\n  batch_age: ${GOVREPORT_TEST_AGE}\n" +
		"crawler:\n  respect_robots: ${GOVREPORT_TEST_UNSET_ROBOTS:-false}\n  user_agent: ${GOVREPORT_TEST_PASSWORD}\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err = LoadConfig(path); err != nil {
		t.Fatal(err)
	}
	if cfg.NATS.Replicas != 3 || cfg.Loader.BatchAge != 750*time.Millisecond || cfg.Crawler.RespectRobots || cfg.Crawler.UserAgent != "true" {
		t.Errorf("typed expansion: replicas %d, batch_age %s, respect_robots %v, user_agent %q",
			cfg.NATS.Replicas, cfg.Loader.BatchAge, cfg.Crawler.RespectRobots, cfg.Crawler.UserAgent)
	}
}
