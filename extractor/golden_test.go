package extractor

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

var update = flag.Bool("update", false, "rewrite the *.golden.json files from the current output")

// checkGolden compares a record with testdata/<name>.golden.json cell by cell, or
// rewrites the file with -update.
func checkGolden(t *testing.T, name string, got *report.Record) {
	t.Helper()
	path := "testdata/" + name + ".golden.json"
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	want, err := report.Unmarshal(b)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	if diff := diffRecords(got, want); len(diff) > 0 {
		t.Errorf("%s: %d difference(s) (got vs want):\n  %s", path, len(diff), strings.Join(diff, "\n  "))
	}
}

// flatten lists every value of a record as "path: value" lines.
func flatten(r *report.Record) map[string]string {
	out := map[string]string{}
	cell := func(c report.Cell) string {
		s := fmt.Sprintf("%s raw=%q src=%s", c.String(), c.Raw, c.Src)
		if c.Unit != "" {
			s += " unit=" + string(c.Unit)
		}
		if c.ByPosition {
			s += " by_position"
		}
		return s
	}
	for row, cols := range r.Applications {
		for col, c := range cols {
			out["applications."+report.CellAddr(row, col)] = cell(c)
		}
	}
	for g, os := range r.Review {
		for o, c := range os {
			out["review."+report.ReviewAddr(g, o)] = cell(c)
		}
	}
	for it, ms := range r.Disclosure {
		for m, c := range ms {
			out["disclosure."+report.DisclosureAddr(it, m)] = cell(c)
		}
	}
	m := r.Meta
	for k, v := range map[string]string{
		"doc_id": m.DocID, "source_url": m.SourceURL, "site": m.Site, "body": m.Body, "title": m.Title,
		"year": fmt.Sprint(m.Year), "level": string(m.Level), "region": fmt.Sprintf("%+v", m.Region),
		"published_at": m.PublishedAt, "fetched_at": m.FetchedAt.String(), "sha256": m.ContentSHA256,
		"parser_version": m.ParserVersion, "extracted_at": m.ExtractedAt.String(), "site_id_code": m.SiteIDCode,
		"page_meta": fmt.Sprint(m.PageMeta),
	} {
		out["meta."+k] = v
	}
	out["template"] = string(r.Template)
	out["confidence"] = fmt.Sprint(r.Confidence)
	for i, f := range r.Findings {
		out[fmt.Sprintf("findings[%02d]", i)] = fmt.Sprintf("%s %s %s %s cells=%v lhs=%v rhs=%v", f.Rule, f.Severity, f.Status, f.Scope, f.Cells, f.LHS, f.RHS)
	}
	return out
}

// diffRecords returns one line per path whose value differs.
func diffRecords(got, want *report.Record) []string {
	g, w := flatten(got), flatten(want)
	keys := map[string]bool{}
	for k := range g {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		gv, gok := g[k]
		wv, wok := w[k]
		switch {
		case !gok:
			out = append(out, fmt.Sprintf("%s: missing, want %s", k, wv))
		case !wok:
			out = append(out, fmt.Sprintf("%s: %s, want nothing", k, gv))
		case gv != wv:
			out = append(out, fmt.Sprintf("%s: %s, want %s", k, gv, wv))
		}
	}
	sort.Strings(out)
	return out
}
