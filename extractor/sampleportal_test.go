package extractor

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
)

// portalPage fetches one page of a generated portal through its handler.
func portalPage(t *testing.T, h http.Handler, path string) ([]byte, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.Bytes(), rec.Header().Get("Content-Type")
}

// comparable keeps what a correct extraction must reproduce exactly: the cells
// (provenance aside), the template, the metadata the page states, and the findings.
func comparable(r *report.Record) *report.Record {
	c := *r
	c.Meta.SourceURL, c.Meta.FetchedAt, c.Meta.ContentSHA256 = "", time.Time{}, ""
	c.Meta.ParserVersion, c.Meta.ExtractedAt, c.Meta.PageMeta, c.Meta.SiteIDCode = "", time.Time{}, nil, ""
	c.Confidence = 0
	strip := func(x report.Cell) report.Cell { x.Src, x.ByPosition = "", false; return x }
	c.Applications, c.Review, c.Disclosure = report.ApplicationTable{}, report.ReviewTable{}, report.DisclosureTable{}
	for row, cols := range r.Applications {
		for col, x := range cols {
			c.Applications.Set(row, col, strip(x))
		}
	}
	for g, outs := range r.Review {
		for o, x := range outs {
			c.Review.Set(g, o, strip(x))
		}
	}
	for it, ms := range r.Disclosure {
		for m, x := range ms {
			c.Disclosure.Set(it, m, strip(x))
		}
	}
	return &c
}

// TestSamplePortal parses every page of generated portals (both templates, every
// layout the generator renders, planted anomalies) and compares the records with
// the ones they were rendered from, cell by cell and finding by finding.
func TestSamplePortal(t *testing.T) {
	for _, cfg := range []sampleportal.Config{
		{Seed: 1, Sites: 20, ReportsPerSite: 6, Years: []int{2019, 2020, 2021, 2022, 2023}, ListPageSize: 5, NoticesPerSite: 1, AnomalyRate: 0.3},
		{Seed: 20261123, Sites: 9, ReportsPerSite: 7, Years: []int{2019, 2020, 2021, 2022, 2023}, ListPageSize: 3, NoticesPerSite: 1, AnomalyRate: 0.3},
		{Seed: 99, Sites: sampleportal.MaxSites(), ReportsPerSite: 2, Years: []int{2020, 2023}, ListPageSize: 5, NoticesPerSite: 1, AnomalyRate: 0.2},
	} {
		portal, err := sampleportal.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		const base = "http://portal.example.gov.cn"
		h := portal.Handler()
		siteOf := map[string]sites.Site{}
		for _, s := range portal.Sites(base) {
			siteOf[s.ID] = s
		}
		wrong := 0
		for _, e := range portal.Expected(base) {
			body, ctype := portalPage(t, h, e.Path)
			s := siteOf[e.Record.Meta.Site]
			got, err := Parse(Input{URL: e.URL, Body: body, ContentType: ctype, Site: s.RawSite(), ContentSelector: s.ContentSelector})
			if err != nil {
				t.Errorf("seed %d %s: %v", cfg.Seed, e.Path, err)
				wrong++
				continue
			}
			if diff := diffRecords(comparable(got), comparable(e.Record)); len(diff) > 0 {
				if wrong++; wrong <= 5 {
					t.Errorf("seed %d %s: %d difference(s) (got vs want):\n  %s", cfg.Seed, e.Path, len(diff), strings.Join(head(diff, 12), "\n  "))
				}
			}
		}
		for _, n := range portal.Notices(base) {
			body, ctype := portalPage(t, h, n.Path)
			ns := siteOf[n.Site]
			_, err := Parse(Input{URL: n.URL, Body: body, ContentType: ctype, Site: ns.RawSite()})
			var rej *report.Rejection
			if !errors.As(err, &rej) || rej.Reason != n.Reason {
				t.Errorf("seed %d notice %s: got %v, want rejection %s", cfg.Seed, n.Path, err, n.Reason)
			}
		}
		t.Logf("seed %d: %d reports, %d notices, %d wrong", cfg.Seed, len(portal.Expected(base)), len(portal.Notices(base)), wrong)
	}
}

func head(s []string, n int) []string { return slices.Clone(s[:min(n, len(s))]) }
