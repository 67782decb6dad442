package history

import (
	"testing"

	"github.com/govreport/govreport/pkg/configtest"
)

// testdata/config.good.yml documents every key at its default: it is the history
// section of configs/govreport.yaml. The testdata/*.bad.yml files are refused.
func TestConfigFiles(t *testing.T) {
	configtest.CheckFiles(t, "testdata", "history", DefaultConfig, (*Config).Validate)
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
