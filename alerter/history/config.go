package history

import (
	"fmt"
	"math"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// Config says which cross-report rules run and with which thresholds. The zero
// value runs nothing; start from DefaultConfig.
type Config struct {
	// CarryOver is R5: 上年结转 against last year's 结转下年度继续办理.
	CarryOver CarryOverConfig `yaml:"carry_over"`
	// Stock is R6: 现行有效 against last year's stock, issued and repealed.
	Stock StockConfig `yaml:"stock"`
	// Jump compares a body with its own previous years.
	Jump JumpConfig `yaml:"jump"`
	// Peer compares a body with the bodies of its province, level and year.
	Peer PeerConfig `yaml:"peer_outlier"`
	// Copy finds reports whose tables copy another report's.
	Copy CopyConfig `yaml:"copy"`
	// Missing raises an alert for a body that reported last year and not this year.
	Missing MissingConfig `yaml:"missing"`
	// Late raises an alert for a report published after its deadline.
	Late LateConfig `yaml:"late"`
}

// CarryOverConfig configures R5.
type CarryOverConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
}

// StockConfig configures R6.
type StockConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
}

// JumpConfig configures the jumps of a body against its own history.
type JumpConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
	// Ratio: applications received at least Ratio times, or at most 1/Ratio times,
	// the median of the previous years raise an alert (default 10). Counts below 1
	// count as 1, so 0 → 40 is a ratio of 40.
	Ratio float64 `yaml:"ratio"`
	// Min: only when this year's or the baseline's count is at least Min (default
	// 30), so that 1 → 12 is not an alert.
	Min float64 `yaml:"min"`
	// History is how many previous years make the baseline (default 3): the median
	// of the body's reports for the History years before.
	History int `yaml:"history"`
	// ShareJump: the share granted (予以公开 / 办理结果总计) moving by at least this
	// much from the previous year raises an alert (default 0.5).
	ShareJump float64 `yaml:"share_jump"`
	// ShareMinProcessed: the share is compared only when both years processed at
	// least this many requests (default 30).
	ShareMinProcessed float64 `yaml:"share_min_processed"`
}

// PeerConfig configures the peer outliers.
type PeerConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
	// MinGroup is the smallest group (bodies of one province, level and year, the
	// body included) compared (default 8).
	MinGroup int `yaml:"min_group"`
	// Z is the robust z-score of log1p(received) against the other bodies of the
	// group from which a body is an outlier (default 5): 0.6745·(x − median)/MAD,
	// or, when the MAD is 0, (x − median)/(1.2533·mean absolute deviation).
	Z float64 `yaml:"z"`
	// MinAbs is the smallest distance, in requests, between the body's count and
	// the others' median for any alert (default 50); when the others are all
	// equal (no deviation at all) it is the only test.
	MinAbs float64 `yaml:"min_abs"`
}

// CopyConfig configures the copy rule.
type CopyConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
	// Similarity is the share of the two reports' non-empty cells (application,
	// review and disclosure tables; text cells included) that must hold the same
	// value (default 0.95; 1 finds identical tables only).
	Similarity float64 `yaml:"similarity"`
	// MinNonzero: reports with fewer non-empty cells are never compared (default
	// 8): a township's all-zero report, or one with a request and a review case,
	// is not a copy. Totals (the 总计 column and row, section 四's 总计) do not
	// count: they repeat the other cells. Two documents with the same content
	// hash under different bodies are copies whatever they hold.
	MinNonzero int `yaml:"min_nonzero"`
}

// MissingConfig configures the missing reports.
type MissingConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
	// Grace is added to the deadline before a report counts as missing (default 0).
	Grace time.Duration `yaml:"grace"`
}

// LateConfig configures the late reports.
type LateConfig struct {
	// Enabled turns the rule on (default true).
	Enabled bool `yaml:"enabled"`
}

// DefaultConfig returns every rule on with the default thresholds.
func DefaultConfig() Config {
	return Config{
		CarryOver: CarryOverConfig{Enabled: true},
		Stock:     StockConfig{Enabled: true},
		Jump:      JumpConfig{Enabled: true, Ratio: 10, Min: 30, History: 3, ShareJump: 0.5, ShareMinProcessed: 30},
		Peer:      PeerConfig{Enabled: true, MinGroup: 8, Z: 5, MinAbs: 50},
		Copy:      CopyConfig{Enabled: true, Similarity: 0.95, MinNonzero: 8},
		Missing:   MissingConfig{Enabled: true},
		Late:      LateConfig{Enabled: true},
	}
}

// Validate checks the thresholds of the enabled rules.
func (c *Config) Validate() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if j := c.Jump; j.Enabled {
		if bad(j.Ratio) || j.Ratio <= 1 {
			return fmt.Errorf("history.jump.ratio: %v, want more than 1", j.Ratio)
		}
		if bad(j.Min) || j.Min < 0 {
			return fmt.Errorf("history.jump.min: %v, want 0 or more", j.Min)
		}
		if j.History < 1 || j.History > 20 {
			return fmt.Errorf("history.jump.history: %d years, want 1 to 20", j.History)
		}
		if bad(j.ShareJump) || j.ShareJump <= 0 || j.ShareJump > 1 {
			return fmt.Errorf("history.jump.share_jump: %v, want more than 0 and at most 1", j.ShareJump)
		}
		if bad(j.ShareMinProcessed) || j.ShareMinProcessed < 1 {
			return fmt.Errorf("history.jump.share_min_processed: %v, want at least 1", j.ShareMinProcessed)
		}
	}
	if p := c.Peer; p.Enabled {
		if p.MinGroup < 3 {
			return fmt.Errorf("history.peer_outlier.min_group: %d, want at least 3 (a median of fewer says nothing)", p.MinGroup)
		}
		if bad(p.Z) || p.Z <= 0 {
			return fmt.Errorf("history.peer_outlier.z: %v, want more than 0", p.Z)
		}
		if bad(p.MinAbs) || p.MinAbs < 0 {
			return fmt.Errorf("history.peer_outlier.min_abs: %v, want 0 or more", p.MinAbs)
		}
	}
	if cp := c.Copy; cp.Enabled {
		if bad(cp.Similarity) || cp.Similarity < 0.5 || cp.Similarity > 1 {
			return fmt.Errorf("history.copy.similarity: %v, want 0.5 to 1", cp.Similarity)
		}
		if cp.MinNonzero < 1 {
			return fmt.Errorf("history.copy.min_nonzero: %d, want at least 1", cp.MinNonzero)
		}
	}
	if c.Missing.Enabled && c.Missing.Grace < 0 {
		return fmt.Errorf("history.missing.grace: %v, want 0 or more", c.Missing.Grace)
	}
	return nil
}

// enabled returns the rules the configuration turns on, in Rules order.
func (c *Config) enabled() []report.Rule {
	on := map[report.Rule]bool{
		report.RuleR5: c.CarryOver.Enabled, report.RuleR6: c.Stock.Enabled, RuleJump: c.Jump.Enabled,
		RulePeerOutlier: c.Peer.Enabled, RuleCopy: c.Copy.Enabled, RuleMissing: c.Missing.Enabled, RuleLate: c.Late.Enabled,
	}
	var out []report.Rule
	for _, r := range Rules {
		if on[r] {
			out = append(out, r)
		}
	}
	return out
}
