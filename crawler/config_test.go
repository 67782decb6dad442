package crawler

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// loadTestConfig decodes a file with a crawler section over the defaults, strictly.
func loadTestConfig(t *testing.T, name string) (Config, error) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Crawler Config `yaml:"crawler"`
	}
	doc.Crawler = DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return Config{}, err
	}
	return doc.Crawler, doc.Crawler.Validate()
}

// testdata/config.good.yml documents every key at its default: it is the crawler
// section of configs/govreport.yaml.
func TestConfigFiles(t *testing.T) {
	got, err := loadTestConfig(t, "testdata/config.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	// Compared as YAML: an empty list and no list are the same setting.
	gotYAML, _ := yaml.Marshal(got)
	wantYAML, _ := yaml.Marshal(DefaultConfig())
	if string(gotYAML) != string(wantYAML) {
		t.Fatalf("config.good.yml differs from DefaultConfig:\n got %s\nwant %s", gotYAML, wantYAML)
	}
	// Every key of the configuration is in the file.
	all, _ := yaml.Marshal(map[string]Config{"crawler": DefaultConfig()})
	data, _ := os.ReadFile("testdata/config.good.yml")
	for _, line := range strings.Split(string(all), "\n") {
		key := strings.TrimSpace(strings.SplitN(line, ":", 2)[0])
		if key != "" && !strings.HasPrefix(key, "-") && !strings.Contains(string(data), key+":") {
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
		} else {
			t.Logf("%s: %v", filepath.Base(f), err)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := map[string]func(*Config){
		"user agent":       func(c *Config) { c.UserAgent = " " },
		"contact":          func(c *Config) { c.ContactURL = "github.com/x" },
		"host concurrency": func(c *Config) { c.HostConcurrency = 0 },
		"site workers":     func(c *Config) { c.SiteWorkers = 0 },
		"negative delay":   func(c *Config) { c.HostDelay = -time.Second },
		"timeouts":         func(c *Config) { c.HeaderTimeout = 0 },
		"body":             func(c *Config) { c.MaxBodyBytes = 10 },
		"pages":            func(c *Config) { c.MaxPagesPerSite = 0 },
		"redirects":        func(c *Config) { c.MaxRedirects = -1 },
		"domain":           func(c *Config) { c.OfficialDomains = []string{"http://x.cn"} },
		"penalty":          func(c *Config) { c.Backoff.MaxPenalty = time.Millisecond },
		"revisit":          func(c *Config) { c.Revisit.Errors = 0 },
		"jobs":             func(c *Config) { c.Jobs.AckWait = time.Millisecond },
		"schedule":         func(c *Config) { c.Schedule.Specs = nil },
	}
	for name, m := range bad {
		c := DefaultConfig()
		m(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(DefaultConfig(), nil, nil, nil); err == nil {
		t.Error("no publisher accepted")
	}
	if _, err := New(DefaultConfig(), newMemPublisher(), nil, nil, WithProgress(nil, time.Second)); err == nil {
		t.Error("progress without a writer accepted")
	}
}
