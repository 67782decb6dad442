package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// Alert is one anomaly worth a person's attention: which body, which year, which
// cells or documents with their values, why, and where to read the source.
type Alert struct {
	// ID identifies this alert for one version of its evidence: the same evidence
	// gives the same ID, so an alert is raised once however often it is computed.
	ID string `json:"id"`
	// Key identifies what the alert is about, whatever the evidence: a rule on a
	// document and scope (per-report rules) or on a body, year and scope
	// (cross-report rules). A later alert with the same key replaces an earlier
	// one; when the rule no longer fires for the key the alert is resolved.
	Key      string      `json:"key"`
	Rule     report.Rule `json:"rule"`
	Severity string      `json:"severity"`
	// Status is StatusOpen or StatusResolved.
	Status string `json:"status"`
	// DocID is the document the alert is about (for a missing report: the last
	// report the body filed).
	DocID     string        `json:"doc_id"`
	Body      string        `json:"body"`
	Year      int           `json:"year"`
	Level     report.Level  `json:"level,omitempty"`
	Region    report.Region `json:"region"`
	SourceURL string        `json:"source_url"`
	// Scope says which part of the report the rule was checked on (col:total,
	// group:review, table, …).
	Scope string `json:"scope"`
	// Cells are the cell addresses involved and CellValues their values, in order.
	Cells      []string `json:"cells"`
	CellValues []string `json:"cell_values"`
	// Related are the other documents involved: last year's report for a
	// carry-over, the original of a copy.
	Related []Related `json:"related,omitempty"`
	// Evidence holds the figures the rule computed (median, MAD, ratio, similarity…).
	Evidence  map[string]float64 `json:"evidence,omitempty"`
	MessageZH string             `json:"message_zh"`
	MessageEN string             `json:"message_en"`
	RaisedAt  time.Time          `json:"raised_at"`
	// ResolvedAt is when a resolved alert stopped firing.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	// Version orders the rows of one alert ID in ClickHouse (a resolution replaces
	// the open row).
	Version uint64 `json:"version"`
}

// Related is another document an alert rests on.
type Related struct {
	DocID     string `json:"doc_id"`
	Body      string `json:"body,omitempty"`
	Year      int    `json:"year,omitempty"`
	SourceURL string `json:"source_url,omitempty"`
}

// Alert statuses.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"
)

// Severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Marshal encodes the alert as JSON. Evidence figures that are not finite (a ratio
// over a zero count) are left out: JSON has no number for them.
func (a *Alert) Marshal() ([]byte, error) {
	c := *a
	c.Evidence = FiniteEvidence(a.Evidence)
	return json.Marshal(&c)
}

// FiniteEvidence returns evidence without its NaN and infinite figures (itself
// when all are finite).
func FiniteEvidence(e map[string]float64) map[string]float64 {
	for _, v := range e {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out := make(map[string]float64, len(e))
			for k, v := range e {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					out[k] = v
				}
			}
			return out
		}
	}
	return e
}

// KeyFor joins a rule and the parts that name what it fired on into an alert key.
func KeyFor(rule report.Rule, parts ...string) string {
	return string(rule) + "|" + strings.Join(parts, "|")
}

// ID derives an alert ID from its key and the versions of its evidence (content
// hashes of the documents involved, or the figures themselves).
func ID(key string, evidence ...string) string {
	h := sha256.Sum256([]byte(key + "\x00" + strings.Join(evidence, "\x00")))
	return hex.EncodeToString(h[:16])
}
