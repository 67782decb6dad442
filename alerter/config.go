package alerter

import (
	"fmt"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// Config holds the alerter's settings.
type Config struct {
	// Rules lists the rules that raise alerts.
	Rules []report.Rule `yaml:"rules"`
	// Batch is the number of records fetched at a time.
	Batch int `yaml:"batch"`
	// FetchMaxWait bounds a fetch that finds fewer records than Batch.
	FetchMaxWait time.Duration `yaml:"fetch_max_wait"`
	// AckWait is how long a record may be in processing before redelivery.
	AckWait time.Duration `yaml:"ack_wait"`
	// MaxDeliver bounds deliveries of one record; then it goes to the dead letters.
	MaxDeliver int `yaml:"max_deliver"`
	// RetryDelay is the delay before a record whose alerts could not be stored is
	// delivered again.
	RetryDelay time.Duration `yaml:"retry_delay"`
}

// DefaultConfig returns the defaults: every per-report rule on.
func DefaultConfig() Config {
	return Config{
		Rules:        []report.Rule{report.RuleR1, report.RuleR2, report.RuleR3, report.RuleR4, report.RuleTextCell},
		Batch:        100,
		FetchMaxWait: time.Second,
		AckWait:      time.Minute,
		MaxDeliver:   5,
		RetryDelay:   5 * time.Second,
	}
}

var knownRules = map[report.Rule]bool{
	report.RuleR1: true, report.RuleR2: true, report.RuleR3: true, report.RuleR4: true,
	report.RuleTextCell: true,
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	for _, r := range c.Rules {
		if !knownRules[r] {
			return fmt.Errorf("alerter.rules: unknown rule %q (known: R1, R2, R3, R4, text_cell)", r)
		}
	}
	if c.Batch < 1 || c.Batch > 10000 {
		return fmt.Errorf("alerter.batch: %d, want 1 to 10000", c.Batch)
	}
	if c.FetchMaxWait <= 0 || c.AckWait <= 0 || c.RetryDelay < 0 {
		return fmt.Errorf("alerter: fetch_max_wait and ack_wait must be positive")
	}
	if c.MaxDeliver < 2 {
		return fmt.Errorf("alerter.max_deliver: %d, want at least 2", c.MaxDeliver)
	}
	return nil
}

func (c *Config) enabled() map[report.Rule]bool {
	m := make(map[report.Rule]bool, len(c.Rules))
	for _, r := range c.Rules {
		m[r] = true
	}
	return m
}
