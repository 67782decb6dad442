package sampleportal

import (
	"fmt"
	"math"
	"slices"
)

// Config says what portal to generate. The same Config always gives byte-identical
// pages and identical expected records.
type Config struct {
	// Seed seeds every random choice.
	Seed uint64 `yaml:"seed"`
	// Sites is the number of portals (site-001 …), at most MaxSites().
	Sites int `yaml:"sites"`
	// ReportsPerSite is the number of annual reports each site publishes: bodies ×
	// years, filled body by body (the last body gets the most recent years).
	ReportsPerSite int `yaml:"reports_per_site"`
	// Years are the report years (2019 or later; template 2019 for 2019–2020, 2021
	// from 2021).
	Years []int `yaml:"years"`
	// ListPageSize is the number of entries on one list page of the report column.
	ListPageSize int `yaml:"list_page_size"`
	// NoticesPerSite is the number of notices about preparing the annual report
	// (pages that mention 年度报告 but are not reports), at most len(Years).
	NoticesPerSite int `yaml:"notices_per_site"`
	// AnomalyRate is the probability that a report gets exactly one planted
	// arithmetic error (R1, R2, R3 or R4 broken).
	AnomalyRate float64 `yaml:"anomaly_rate"`
	// Layouts restricts the layouts reports are printed in (see Layouts): the
	// forms a report may take and the variations it may get. Empty means all.
	Layouts []Layout `yaml:"layouts,omitempty"`
	// HistoryAnomalies plants exactly one of each cross-report anomaly in the last
	// year — a broken carry-over, a tenfold jump in applications, a copied report,
	// a missing report and a peer outlier — and keeps every other body plausible
	// year over year (see ExpectedHistory). It needs the last two years to be
	// consecutive and at least 8 townships of one province reporting in the last
	// year. Off, the portal is the one it always was.
	HistoryAnomalies bool `yaml:"history_anomalies,omitempty"`
	// AttachmentRate is the share of reports published only as an attachment: the
	// report column links an article page saying the report is attached (详见附件)
	// and linking a .docx or an .xlsx of it (see Expected.Attachment). The choice
	// is drawn on streams of its own, so the other reports are as they are without
	// it; 0, the default, gives the portal it always was.
	AttachmentRate float64 `yaml:"attachment_rate,omitempty"`
}

// DefaultConfig returns a small portal: 10 sites with 6 reports each over 2020–2023.
func DefaultConfig() Config {
	return Config{
		Seed:           1,
		Sites:          10,
		ReportsPerSite: 6,
		Years:          []int{2020, 2021, 2022, 2023},
		ListPageSize:   5,
		NoticesPerSite: 1,
		AnomalyRate:    0.15,
	}
}

// Years the generator supports: the fixed templates start with report year 2019.
const (
	minYear = 2019
	maxYear = 2099
)

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Sites < 1 || c.Sites > MaxSites() {
		return fmt.Errorf("sampleportal: sites must be between 1 and %d (one per embedded division), got %d", MaxSites(), c.Sites)
	}
	if len(c.Years) == 0 {
		return fmt.Errorf("sampleportal: years is empty")
	}
	for i, y := range c.Years {
		if y < minYear || y > maxYear {
			return fmt.Errorf("sampleportal: year %d outside %d–%d (the fixed templates start in 2019)", y, minYear, maxYear)
		}
		if slices.Contains(c.Years[:i], y) {
			return fmt.Errorf("sampleportal: year %d listed twice", y)
		}
	}
	if max := len(c.Years) * maxBodies(); c.ReportsPerSite < 1 || c.ReportsPerSite > max {
		return fmt.Errorf("sampleportal: reports_per_site must be between 1 and %d (years × %d bodies), got %d", max, maxBodies(), c.ReportsPerSite)
	}
	if c.ListPageSize < 1 || c.ListPageSize > 100 {
		return fmt.Errorf("sampleportal: list_page_size must be between 1 and 100, got %d", c.ListPageSize)
	}
	if c.NoticesPerSite < 0 || c.NoticesPerSite > len(c.Years) {
		return fmt.Errorf("sampleportal: notices_per_site must be between 0 and the number of years (%d), got %d", len(c.Years), c.NoticesPerSite)
	}
	if err := validateLayouts(c.Layouts); err != nil {
		return err
	}
	if math.IsNaN(c.AnomalyRate) || c.AnomalyRate < 0 || c.AnomalyRate > 1 {
		return fmt.Errorf("sampleportal: anomaly_rate must be between 0 and 1, got %v", c.AnomalyRate)
	}
	if math.IsNaN(c.AttachmentRate) || c.AttachmentRate < 0 || c.AttachmentRate > 1 {
		return fmt.Errorf("sampleportal: attachment_rate must be between 0 and 1, got %v", c.AttachmentRate)
	}
	if c.HistoryAnomalies {
		last := slices.Max(c.Years)
		if !slices.Contains(c.Years, last-1) {
			return fmt.Errorf("sampleportal: history_anomalies needs the last two years to be consecutive (%d and %d)", last-1, last)
		}
	}
	return nil
}
