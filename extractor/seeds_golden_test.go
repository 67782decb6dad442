package extractor

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// The seed goldens, testdata/seeds/<name>.golden.json, are what each real report
// says, written from reading it line by line — not from the extractor's output.
// Every cell was checked against the text (the line numbers are the seed's):
//
//   - 000 (德惠市岔路口镇, one cell per line): all 161 application cells, 15 review
//     and 22 disclosure cells read; the only non-zero cells are new_received and
//     granted, natural_person and total, each 5 (l103, l109, l122, l128). (七)总计
//     (l328–l334) and 结转 (l337–l343) are 0, so R1 and R3 break in natural_person and
//     total — the findings the golden carries. No publication date is printed.
//   - 001 (宿城區王官集鎮, traditional, '|' separated): every number is 0. The row
//     四、結轉下年度繼續辦理 (l541) is followed by ten '|' like every data row (label,
//     seven cells, "||") with nothing in the seven cells: seven blanks, so R1 holds
//     with blanks counted as 0. The 20(一) header is truncated ("本年新 |本年新 |"):
//     new_made and new_published of 规章 and 规范性文件 are known only by position.
//     Dated 2021年1月25日 (l630).
//   - 002 (东双河镇, labels lost): between 二、上年结转 (l118) and 四、结转 (l356) there
//     are exactly 20 blank-line separated rows, the rows template 2019 prints there
//     (section 二 has 2019's metrics); each holds eight single "0" cells (one in the
//     lost label's place) and three hold a merged cell of stacked zeros (l148–l155,
//     l243–l245, l278–l282, the 不予公开/无法提供/不予处理 group cells). All 0, placed
//     by position; the stray cells are one unplaced finding.
//   - 003 (高新区(近海镇), tab-separated rows): 20(一) in 2021's metrics with only
//     行政规范性文件 4/0/12 (no 规章 row: missing), 20(五)–(九) in 2019's (mixed);
//     许可 change 8, 采购 20 and "2500 万" (25,000,000 元, unit 万); (六) and (七) rows
//     carry an eighth 0 each (unplaced). Everything else 0.
//   - 004 (金瑞镇, one cell per line): all 0 but 政府集中采购 5 and 41521.5 with no unit
//     stated. The prose of section 二 states no table cell.
//
// Each golden was generated from these readings (the non-zero and special cells
// listed, every other cell of the template "0"), not from Parse; then every cell
// where the extractor disagreed was looked up in the text again — the 001 blanks and
// the 002 rows led to fixes in the extractor, not in the goldens.

// knownSeedDiffs are the differences between the extractor and the goldens that are
// not fixed yet, with why. TestSeedGoldens fails on any other difference, and on a
// listed one that is gone (remove it from the list).
var knownSeedDiffs = map[string]map[string]string{}

// seedNames returns the seed file names without extension.
func seedNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in %s: %v", seedDir, err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	return names
}

// TestSeedGoldens parses every seed and compares the record with its golden cell by
// cell (state, value, raw text, unit, by_position; not the provenance), plus the
// metadata the document states, the template and the findings (rule, severity,
// status, scope and the two sides of a violated equation).
func TestSeedGoldens(t *testing.T) {
	for _, name := range seedNames(t) {
		t.Run(name[:3], func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(seedDir, name+".golden.json"))
			if err != nil {
				t.Fatalf("every seed needs a golden: %v", err)
			}
			want, err := report.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			got := parseSeed(t, name[:3])
			diffs := seedDiff(got, want)
			known := knownSeedDiffs[name[:3]]
			var unexpected []string
			for _, addr := range sortedAddrs(diffs) {
				if why, ok := known[addr]; ok {
					t.Logf("known: %s: %s (%s)", addr, diffs[addr], why)
					continue
				}
				unexpected = append(unexpected, addr+": "+diffs[addr])
			}
			if len(unexpected) > 0 {
				t.Errorf("%s: %d cell(s) or field(s) differ from the golden (got, want):\n  %s", name, len(unexpected), strings.Join(unexpected, "\n  "))
			}
			for _, addr := range sortedAddrs(known) {
				if _, ok := diffs[addr]; !ok {
					t.Errorf("%s: %s now agrees with the golden: remove it from knownSeedDiffs", name, addr)
				}
			}
		})
	}
}

// seedDiff returns, per address, how got differs from want.
func seedDiff(got, want *report.Record) map[string]string {
	out := map[string]string{}
	g, w := seedCells(got), seedCells(want)
	for addr := range addrUnion(g, w) {
		gc, gok := g[addr]
		wc, wok := w[addr]
		switch {
		case !gok:
			out[addr] = "absent, want " + describeCell(wc)
		case !wok:
			out[addr] = describeCell(gc) + ", want absent"
		case !gc.Equal(wc) || gc.ByPosition != wc.ByPosition:
			out[addr] = describeCell(gc) + ", want " + describeCell(wc)
		}
	}
	gm, wm := got.Meta, want.Meta
	for _, f := range []struct{ name, got, want string }{
		{"meta.body", gm.Body, wm.Body},
		{"meta.title", gm.Title, wm.Title},
		{"meta.year", fmt.Sprint(gm.Year), fmt.Sprint(wm.Year)},
		{"meta.level", string(gm.Level), string(wm.Level)},
		{"meta.published_at", gm.PublishedAt, wm.PublishedAt},
		{"template", string(got.Template), string(want.Template)},
	} {
		if f.got != f.want {
			out[f.name] = fmt.Sprintf("%q, want %q", f.got, f.want)
		}
	}
	gf, wf := findingCounts(got), findingCounts(want)
	for sig := range addrUnion(gf, wf) {
		if gf[sig] != wf[sig] {
			out["finding "+sig] = fmt.Sprintf("%d, want %d", gf[sig], wf[sig])
		}
	}
	return out
}

func seedCells(r *report.Record) map[string]report.Cell {
	out := map[string]report.Cell{}
	for row, cols := range r.Applications {
		for col, c := range cols {
			out["applications."+report.CellAddr(row, col)] = c
		}
	}
	for g, os := range r.Review {
		for o, c := range os {
			out["review."+report.ReviewAddr(g, o)] = c
		}
	}
	for it, ms := range r.Disclosure {
		for m, c := range ms {
			out["disclosure."+report.DisclosureAddr(it, m)] = c
		}
	}
	return out
}

func describeCell(c report.Cell) string {
	s := fmt.Sprintf("%s raw=%q", c.String(), c.Raw)
	if c.Unit != "" {
		s += " unit=" + string(c.Unit)
	}
	if c.ByPosition {
		s += " by_position"
	}
	return s
}

// findingCounts counts the findings by what identifies them.
func findingCounts(r *report.Record) map[string]int {
	out := map[string]int{}
	for _, f := range r.Findings {
		sig := fmt.Sprintf("%s %s %s %s", f.Rule, f.Severity, f.Status, f.Scope)
		if f.Status == report.StatusViolated {
			sig += fmt.Sprintf(" %v≠%v", f.LHS, f.RHS)
		}
		out[sig]++
	}
	return out
}

func addrUnion[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func sortedAddrs[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
