package sections

import (
	"fmt"
	"slices"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// Rows of section 三 whose labels were lost in flattening (seed 002: the outcome
// rows come as bare runs of numbers) are placed by position: a run of such rows
// between two rows placed by label — or the start or end of the table — is matched
// against the rows the template prints between those two. When exactly one
// template row sequence has as many rows as the run, and every group heading left
// in a row agrees with the row it gets, the run is placed with ByPosition set;
// otherwise nothing is guessed: the values are reported unplaced, with the counts
// that made the run ambiguous, and the rows stay missing.

// pendingRow is a section 三 row with values but no row label, waiting for the next
// labelled row (or the end of the table) to be placed by position.
type pendingRow struct {
	vals  []grid.Cell
	group labels.Group // the group heading among its labels, GroupNone if none
}

// positional reports whether a row without a row label may be placed by position:
// it has no labels, or only group headings (the heading cell spans the rows below
// it and is repeated in each). It returns that heading's group.
func positional(lbls []grid.Cell) (labels.Group, bool) {
	g := labels.GroupNone
	for _, l := range lbls {
		hg, ok := labels.HeadingGroup(l.Text)
		if !ok {
			return labels.GroupNone, false
		}
		g = hg
	}
	return g, true
}

// hold keeps a row for placement by position.
func (r *reader) hold(vals []grid.Cell, group labels.Group) {
	r.pending = append(r.pending, pendingRow{vals: vals, group: group})
}

// flushPending places the rows held since the last labelled row, now that the next
// labelled row (next; "" for the end of the table) is known.
func (r *reader) flushPending(next report.Row) {
	run := r.pending
	r.pending = nil
	if len(run) == 0 {
		return
	}
	var seqs [][]report.Row
	var counts []string
	for _, tpl := range []report.Template{report.Template2019, report.Template2021} {
		between, ok := rowsBetween(report.Rows(tpl), r.lastRow, next)
		if !ok {
			continue
		}
		counts = append(counts, fmt.Sprintf("%d in template %s", len(between), tpl))
		if len(between) == len(run) && !slices.ContainsFunc(seqs, func(s []report.Row) bool { return slices.Equal(s, between) }) {
			seqs = append(seqs, between)
		}
	}
	from, to := string(r.lastRow), string(next)
	if from == "" {
		from = "the start of the table"
	}
	if to == "" {
		to = "the end of the table"
	}
	ambiguous := func(why string) {
		for _, p := range run {
			r.unplaced(labels.SectionRequests, why, p.vals)
		}
	}
	if len(seqs) != 1 {
		ambiguous(fmt.Sprintf("%d rows without labels between %s and %s, where the template prints %v: not placed by position",
			len(run), from, to, counts))
		return
	}
	rows := seqs[0]
	for i, p := range run {
		if p.group != labels.GroupNone && !labels.InGroup(rows[i], p.group) {
			ambiguous(fmt.Sprintf("rows without labels between %s and %s: row %d would be %s, outside its heading's group %s: not placed by position",
				from, to, i+1, rows[i], p.group))
			return
		}
	}
	var extra []grid.Cell
	for i, p := range run {
		if r.grid.Aligned && len(r.colmap) == len(report.Cols) {
			for _, v := range p.vals {
				if col, ok := r.colmap[v.Col]; ok {
					r.setApp(rows[i], true, col, v)
				}
			}
			continue
		}
		vals := trim(p.vals, len(report.Cols))
		if len(vals) < len(report.Cols) {
			r.unplaced(labels.SectionRequests, fmt.Sprintf("fewer values than applicant columns in the row placed by position as %s", rows[i]), vals)
			continue
		}
		extra = append(extra, vals[:len(vals)-len(report.Cols)]...)
		for j, v := range vals[len(vals)-len(report.Cols):] {
			r.setApp(rows[i], true, report.Cols[j], v)
		}
	}
	r.unplaced(labels.SectionRequests, fmt.Sprintf("more values than applicant columns in the rows placed by position between %s and %s; kept the last 7 of each", from, to), extra)
}

// rowsBetween returns the rows a template prints strictly between two rows ("" for
// the start or the end), and false when the template does not print one of them.
func rowsBetween(rows []report.Row, after, before report.Row) ([]report.Row, bool) {
	i, j := -1, len(rows)
	if after != "" {
		if i = slices.Index(rows, after); i < 0 {
			return nil, false
		}
	}
	if before != "" {
		if j = slices.Index(rows, before); j < 0 {
			return nil, false
		}
	}
	if j <= i {
		return nil, false
	}
	return rows[i+1 : j], true
}

// hasText reports whether any cell holds text (a blank mark counts; an empty cell
// does not).
func hasText(cells []grid.Cell) bool {
	for _, c := range cells {
		if c.Text != "" {
			return true
		}
	}
	return false
}
