package history

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// loadTestConfig decodes a file with a history section over the defaults, strictly.
func loadTestConfig(t *testing.T, name string) (Config, error) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		History Config `yaml:"history"`
	}
	doc.History = DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return Config{}, err
	}
	return doc.History, doc.History.Validate()
}

// testdata/config.good.yml documents every key at its default: it is the history
// section of configs/govreport.yaml.
func TestConfigFiles(t *testing.T) {
	got, err := loadTestConfig(t, "testdata/config.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	gotYAML, _ := yaml.Marshal(got)
	wantYAML, _ := yaml.Marshal(DefaultConfig())
	if string(gotYAML) != string(wantYAML) {
		t.Fatalf("config.good.yml differs from DefaultConfig:\n got %s\nwant %s", gotYAML, wantYAML)
	}
	all, _ := yaml.Marshal(map[string]Config{"history": DefaultConfig()})
	data, _ := os.ReadFile("testdata/config.good.yml")
	for _, line := range strings.Split(string(all), "\n") {
		key := strings.TrimSpace(strings.SplitN(line, ":", 2)[0])
		if key != "" && !strings.Contains(string(data), key+":") {
			t.Errorf("key %s is not documented", key)
		}
	}
	bad, _ := filepath.Glob("testdata/*.bad.yml")
	if len(bad) == 0 {
		t.Fatal("no bad configurations")
	}
	for _, f := range bad {
		if _, err := loadTestConfig(t, f); err == nil {
			t.Errorf("%s accepted", f)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := map[string]func(*Config){
		"ratio":       func(c *Config) { c.Jump.Ratio = 0.5 },
		"min":         func(c *Config) { c.Jump.Min = -1 },
		"history":     func(c *Config) { c.Jump.History = 0 },
		"share jump":  func(c *Config) { c.Jump.ShareJump = 0 },
		"share min":   func(c *Config) { c.Jump.ShareMinProcessed = 0 },
		"group":       func(c *Config) { c.Peer.MinGroup = 2 },
		"z":           func(c *Config) { c.Peer.Z = 0 },
		"min abs":     func(c *Config) { c.Peer.MinAbs = -3 },
		"similarity":  func(c *Config) { c.Copy.Similarity = 0.2 },
		"min nonzero": func(c *Config) { c.Copy.MinNonzero = 0 },
		"grace":       func(c *Config) { c.Missing.Grace = -1 },
	}
	for name, change := range bad {
		c := DefaultConfig()
		change(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Thresholds of a rule that is off are not checked.
	c := DefaultConfig()
	c.Jump = JumpConfig{}
	if err := c.Validate(); err != nil {
		t.Errorf("jump off: %v", err)
	}
	def := DefaultConfig()
	if got := len(def.enabled()); got != len(Rules) {
		t.Errorf("%d rules on by default, want %d", got, len(Rules))
	}
}
