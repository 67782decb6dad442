package loader

import (
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
)

// sampleBaseURL is the base URL the sample portal's records are expected at.
const sampleBaseURL = "http://127.0.0.1:8080"

// sampleRecords generates a sample portal and returns its expected records as the
// extractor would publish them: extracted at t0 by parser test-1.
func sampleRecords(t testing.TB, cfg sampleportal.Config) []*report.Record {
	t.Helper()
	p, err := sampleportal.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []*report.Record
	for _, e := range p.Expected(sampleBaseURL) {
		r := e.Record
		r.Meta.ExtractedAt = t0
		r.Meta.ParserVersion = "test-1"
		r.Meta.FetchedAt = t0.Add(-time.Hour)
		out = append(out, r)
	}
	return out
}

// thousandRecords is a sample portal of 1,000 reports: 40 sites of 25 reports over
// 2019–2023.
func thousandRecords(t testing.TB) []*report.Record {
	cfg := sampleportal.DefaultConfig()
	cfg.Seed, cfg.Sites, cfg.ReportsPerSite = 5, 40, 25
	cfg.Years = []int{2019, 2020, 2021, 2022, 2023}
	recs := sampleRecords(t, cfg)
	if len(recs) != 1000 {
		t.Fatalf("%d sample records, want 1000", len(recs))
	}
	return recs
}
