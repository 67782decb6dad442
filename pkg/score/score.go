package score

import (
	"sort"
	"strconv"

	"github.com/govreport/govreport/pkg/report"
)

// Diff is one cell or field that differs.
type Diff struct {
	// Addr names it: "app new_received.total", "review review.upheld",
	// "disclosure fees.amount", or "meta year".
	Addr string
	// Got and Want render the two values.
	Got, Want string
}

// Result is the comparison of one extracted record with its expected record.
type Result struct {
	// Cells is the number of cells the expected record holds; Correct how many of
	// them the extraction got right.
	Cells, Correct int
	// Extra counts cells the extraction produced that the expected record does not
	// hold (they are not in Cells, and are listed in Diffs).
	Extra int
	// Diffs lists every differing cell and field, sorted by address.
	Diffs []Diff
}

// Accuracy is Correct / Cells (1 for a record with no cells).
func (r Result) Accuracy() float64 {
	if r.Cells == 0 {
		return 1
	}
	return float64(r.Correct) / float64(r.Cells)
}

// Exact reports whether nothing differs.
func (r Result) Exact() bool { return len(r.Diffs) == 0 }

// Compare scores got against want. Cells are equal when state, value and unit are
// (report.Cell.SameValue); raw text and provenance are not compared. The template and
// the metadata the document itself states (body, year, publication date) are
// compared as fields: they appear in Diffs but not in the cell counts. Level and
// region come from the site a document was found on, not from the document, and
// are not compared. A nil got scores every cell wrong.
func Compare(got, want *report.Record) Result {
	var r Result
	g, w := cells(got), cells(want)
	for addr, wc := range w {
		r.Cells++
		gc, ok := g[addr]
		if ok && gc.SameValue(wc) {
			r.Correct++
			continue
		}
		r.Diffs = append(r.Diffs, Diff{Addr: addr, Got: render(gc, ok), Want: wc.String() + unit(wc)})
	}
	for addr, gc := range g {
		if _, ok := w[addr]; !ok {
			r.Extra++
			r.Diffs = append(r.Diffs, Diff{Addr: addr, Got: gc.String() + unit(gc), Want: "absent"})
		}
	}
	if got != nil {
		for _, f := range fields(got, want) {
			if f.Got != f.Want {
				r.Diffs = append(r.Diffs, f)
			}
		}
	}
	sort.Slice(r.Diffs, func(i, j int) bool { return r.Diffs[i].Addr < r.Diffs[j].Addr })
	return r
}

// cells flattens a record's three sections by address.
func cells(r *report.Record) map[string]report.Cell {
	out := map[string]report.Cell{}
	if r == nil {
		return out
	}
	for row, cols := range r.Applications {
		for col, c := range cols {
			out["app "+report.CellAddr(row, col)] = c
		}
	}
	for g, os := range r.Review {
		for o, c := range os {
			out["review "+report.ReviewAddr(g, o)] = c
		}
	}
	for it, ms := range r.Disclosure {
		for m, c := range ms {
			out["disclosure "+report.DisclosureAddr(it, m)] = c
		}
	}
	return out
}

func fields(got, want *report.Record) []Diff {
	g, w := got.Meta, want.Meta
	return []Diff{
		{"meta body", g.Body, w.Body},
		{"meta year", strconv.Itoa(g.Year), strconv.Itoa(w.Year)},
		{"meta published_at", g.PublishedAt, w.PublishedAt},
		{"template", string(got.Template), string(want.Template)},
	}
}

func render(c report.Cell, ok bool) string {
	if !ok {
		return "absent"
	}
	return c.String() + unit(c)
}

func unit(c report.Cell) string {
	if c.Unit == "" {
		return ""
	}
	return " " + string(c.Unit)
}

// Total sums results: every cell of every document.
type Total struct {
	// Documents is the number of documents scored; Exact how many had no difference.
	Documents, Exact int
	// Cells, Correct and Extra sum the documents' counts.
	Cells, Correct, Extra int
}

// Add counts one document's result.
func (t *Total) Add(r Result) {
	t.Documents++
	if r.Exact() {
		t.Exact++
	}
	t.Cells += r.Cells
	t.Correct += r.Correct
	t.Extra += r.Extra
}

// Accuracy is Correct / Cells over every document (1 when there are no cells).
func (t Total) Accuracy() float64 {
	if t.Cells == 0 {
		return 1
	}
	return float64(t.Correct) / float64(t.Cells)
}
