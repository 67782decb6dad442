package alerter

import (
	"fmt"
	"slices"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/alerter/history"
	"github.com/govreport/govreport/alerter/webhook"
	"github.com/govreport/govreport/pkg/report"
	"github.com/robfig/cron/v3"
)

// Config holds the alerter's settings.
type Config struct {
	// Rules lists the per-report rules that raise alerts (from the extractor's
	// findings): R1, R2, R3, R4, text_cell, unplaced (values not placed in the
	// template), unreadable_table (section 三 not read at all).
	Rules []report.Rule `yaml:"rules"`
	// Batch is the number of records fetched at a time.
	Batch int `yaml:"batch"`
	// FetchMaxWait bounds a fetch that finds fewer records than Batch.
	FetchMaxWait time.Duration `yaml:"fetch_max_wait"`
	// AckWait is how long a record may be in processing before redelivery.
	AckWait time.Duration `yaml:"ack_wait"`
	// MaxDeliver bounds deliveries of one record; then it goes to the dead letters.
	MaxDeliver int `yaml:"max_deliver"`
	// RetryDelay is the delay before a record whose alerts could not be delivered
	// is delivered again.
	RetryDelay time.Duration `yaml:"retry_delay"`
	// ClaimTTL is how long an alerter's claim on an alert key (while it delivers
	// the alert) keeps other alerters away; a claim older than that is taken over,
	// as its owner is presumed dead.
	ClaimTTL time.Duration `yaml:"claim_ttl"`
	// CrossReport says when and how the cross-report rules run.
	CrossReport CrossReportConfig `yaml:"cross_report"`
	// Webhooks are the HTTP endpoints alerts are sent to, besides NATS and
	// ClickHouse.
	Webhooks webhook.Config `yaml:"webhooks"`
}

// CrossReportConfig schedules the cross-report rules (package history) over the
// warehouse.
type CrossReportConfig struct {
	// Enabled runs the cross-report rules (they need ClickHouse).
	Enabled bool `yaml:"enabled"`
	// Schedule is when they run over every recent year: a cron expression (five
	// fields, or @hourly, @every 30m …), in UTC.
	Schedule string `yaml:"schedule"`
	// AfterLoad runs them over the years a load touched, AfterLoadDelay after the
	// loader's notice (notices arriving meanwhile join the same run).
	AfterLoad      bool          `yaml:"after_load"`
	AfterLoadDelay time.Duration `yaml:"after_load_delay"`
	// YearsBack bounds the scheduled runs to the report years from the current
	// year minus YearsBack; 0 means every year in the warehouse.
	YearsBack int `yaml:"years_back"`
	// Timeout bounds one run.
	Timeout time.Duration `yaml:"timeout"`
	// Rules holds each rule's switch and thresholds.
	Rules history.Config `yaml:"rules"`
}

// DefaultConfig returns the defaults: every per-report rule on, the cross-report
// rules hourly and after each load over the last three report years, no webhooks.
func DefaultConfig() Config {
	return Config{
		Rules:        slices.Clone(alert.PerReportRules),
		Batch:        100,
		FetchMaxWait: time.Second,
		AckWait:      time.Minute,
		MaxDeliver:   5,
		RetryDelay:   5 * time.Second,
		ClaimTTL:     2 * time.Minute,
		CrossReport: CrossReportConfig{
			Enabled:        true,
			Schedule:       "@hourly",
			AfterLoad:      true,
			AfterLoadDelay: 30 * time.Second,
			YearsBack:      3,
			Timeout:        10 * time.Minute,
			Rules:          history.DefaultConfig(),
		},
		Webhooks: webhook.DefaultConfig(),
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	for _, r := range c.Rules {
		if !slices.Contains(alert.PerReportRules, r) {
			return fmt.Errorf("alerter.rules: unknown rule %q (known: %v)", r, alert.PerReportRules)
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
	if c.ClaimTTL < time.Second {
		return fmt.Errorf("alerter.claim_ttl: %v, want at least 1s", c.ClaimTTL)
	}
	if err := c.CrossReport.validate(); err != nil {
		return err
	}
	if err := c.Webhooks.Validate(); err != nil {
		return fmt.Errorf("alerter.webhooks: %w", err)
	}
	return nil
}

func (c *CrossReportConfig) validate() error {
	if _, err := c.schedule(); err != nil {
		return err
	}
	if c.AfterLoadDelay < 0 {
		return fmt.Errorf("alerter.cross_report.after_load_delay: %v is negative", c.AfterLoadDelay)
	}
	if c.YearsBack < 0 || c.YearsBack > 100 {
		return fmt.Errorf("alerter.cross_report.years_back: %d, want 0 (every year) to 100", c.YearsBack)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("alerter.cross_report.timeout must be positive")
	}
	if err := c.Rules.Validate(); err != nil {
		return fmt.Errorf("alerter.cross_report.rules: %w", err)
	}
	return nil
}

// schedule parses Schedule; an empty one means no scheduled runs.
func (c *CrossReportConfig) schedule() (cron.Schedule, error) {
	if c.Schedule == "" {
		return nil, nil
	}
	s, err := cron.ParseStandard(c.Schedule)
	if err != nil {
		return nil, fmt.Errorf("alerter.cross_report.schedule %q: %w", c.Schedule, err)
	}
	return s, nil
}

func (c *Config) enabled() map[report.Rule]bool {
	m := make(map[report.Rule]bool, len(c.Rules))
	for _, r := range c.Rules {
		m[r] = true
	}
	return m
}
