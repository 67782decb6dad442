package extractor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/govreport/govreport/extractor/internal/attachfixtures"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/score"
	"github.com/govreport/govreport/pkg/sites"
)

// renderFunc renders a report document into one attachment format.
type renderFunc func(d attachfixtures.Doc, seed uint64, title string) ([]byte, error)

// attachRenderers are the formats the tests render on the fly (no tool needed).
var attachRenderers = map[string]renderFunc{
	"docx": func(d attachfixtures.Doc, seed uint64, title string) ([]byte, error) {
		return attachfixtures.WriteDocx(d, attachfixtures.DocxOptions{Seed: seed, Stack: seed%2 == 0, Title: title})
	},
	"xlsx": func(d attachfixtures.Doc, seed uint64, _ string) ([]byte, error) {
		return attachfixtures.WriteXLSX(d, attachfixtures.XLSXOptions{SheetPerTable: seed%3 == 1})
	},
}

// TestAttachmentProperty renders generated reports of every layout into each
// attachment format the Go writers produce, parses them, and compares every record
// with the record the report was rendered from, cell by cell (pkg/score) and field by
// field (the same comparison as the HTML property test).
func TestAttachmentProperty(t *testing.T) {
	cfg := sampleportal.Config{Seed: 7, Sites: 12, ReportsPerSite: 10, Years: []int{2019, 2020, 2021, 2022, 2023},
		ListPageSize: 20, AnomalyRate: 0.3}
	if testing.Short() {
		cfg.Sites = 4
	}
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
	for _, format := range []string{"docx", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			var total score.Total
			shown := 0
			for i, e := range portal.Expected(base) {
				body, ctype := portalPage(t, h, e.Path)
				s := siteOf[e.Record.Meta.Site]
				d, err := attachfixtures.FromPage(body, ctype, s.ContentSelector, e.Record.Meta.Title, e.Record.Meta.PublishedAt)
				if err != nil {
					t.Fatal(err)
				}
				file, err := attachRenderers[format](d, uint64(i), "")
				if err != nil {
					t.Fatal(err)
				}
				got, err := Parse(Input{URL: e.URL, Body: file, Site: s.RawSite(), Kind: "attachment"})
				if err != nil {
					total.Add(score.Compare(nil, e.Record))
					if shown++; shown <= 6 {
						t.Errorf("%s [%s]: %v", e.Path, e.Layout, err)
					}
					continue
				}
				total.Add(score.Compare(got, e.Record))
				if diff := diffRecords(comparable(got), comparable(e.Record)); len(diff) > 0 {
					if shown++; shown <= 6 {
						t.Errorf("%s [%s]: %d difference(s) (got vs want):\n  %s", e.Path, e.Layout, len(diff), strings.Join(head(diff, 10), "\n  "))
					}
				}
			}
			t.Logf("%s: %d reports, %d exact; cells %d/%d (%.4f)", format, total.Documents, total.Exact, total.Correct, total.Cells, total.Accuracy())
			if total.Exact != total.Documents {
				t.Errorf("%s: %s", format, fmt.Sprintf("%d of %d reports differ", total.Documents-total.Exact, total.Documents))
			}
		})
	}
}
