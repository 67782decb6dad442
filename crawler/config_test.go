package crawler

import (
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/configtest"
)

// testdata/config.good.yml documents every key at its default: it is the crawler
// section of configs/govreport.yaml. The testdata/*.bad.yml files are refused.
func TestConfigFiles(t *testing.T) {
	configtest.CheckFiles(t, "testdata", "crawler", DefaultConfig, (*Config).Validate)
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
