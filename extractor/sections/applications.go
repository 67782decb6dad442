package sections

import (
	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// applications reads a row of section 三. A row without values is a header (its
// applicant columns are learnt on aligned grids) or a group heading; a row with
// values is named by its labels and its values go to the applicant columns — by the
// header's columns when the grid is aligned and the header named all seven, else in
// order. A row with values but no row label is held for placement by position
// (see position.go).
func (r *reader) applications(cells, lbls, vals []grid.Cell) {
	if len(nonBlank(vals)) == 0 && isColumnHeader(lbls) {
		if r.grid.Aligned {
			r.learnColumns(lbls)
		}
		return
	}
	if len(vals) > 0 && r.grid.Aligned && len(r.colmap) == len(report.Cols) {
		lbls, vals = r.byColumns(cells)
	}
	res := r.rows.Resolve(texts(lbls))
	if res.Row == "" {
		if g, ok := positional(lbls); ok && hasText(vals) {
			r.hold(vals, g)
			return
		}
		if len(nonBlank(vals)) > 0 {
			reason := "no row label"
			if len(lbls) > 0 {
				reason = "row label not recognised: " + lbls[len(lbls)-1].Text
			}
			r.unplaced(labels.SectionRequests, reason, vals)
		}
		return
	}
	if len(vals) == 0 {
		return
	}
	r.flushPending(res.Row)
	r.lastRow = res.Row
	switch {
	case res.Row == report.RowOther:
		r.res.show(report.Template2019, "（六）其他处理")
	case res.Row == report.RowOtherNoCorrection || res.Row == report.RowOtherNoFeePaid || res.Row == report.RowOtherOther:
		r.res.show(report.Template2021, "（六）其他处理·"+string(res.Row))
	}
	if r.grid.Aligned && len(r.colmap) == len(report.Cols) {
		for _, v := range vals {
			if col, ok := r.colmap[v.Col]; ok {
				r.setApp(res.Row, res.ByNumber, col, v)
			}
		}
		return
	}
	vals = trim(vals, len(report.Cols))
	if extra := len(vals) - len(report.Cols); extra > 0 {
		r.unplaced(labels.SectionRequests, "more values than applicant columns in row "+string(res.Row)+"; kept the last 7", vals[:extra])
		vals = vals[extra:]
	}
	for i, v := range vals {
		r.setApp(res.Row, res.ByNumber, report.Cols[i], v)
	}
}

// byColumns splits an aligned row by the learnt columns: cells left of the first
// applicant column are labels, cells in an applicant column are values.
func (r *reader) byColumns(cells []grid.Cell) (lbls, vals []grid.Cell) {
	first := -1
	for c := range r.colmap {
		if first < 0 || c < first {
			first = c
		}
	}
	for _, c := range cells {
		switch _, ok := r.colmap[c.Col]; {
		case ok:
			vals = append(vals, c)
		case c.Col+c.Span <= first && c.Text != "":
			lbls = append(lbls, c)
		}
	}
	return lbls, vals
}

// isColumnHeader reports whether a row of labels is the applicant header: more than
// one label, one of them an applicant column other than 总计 (which alone names the
// total row), and the last one not a row label unless it is a column too — in
// flattened text the header's words run into the first row's label ("…其他 |
// 一、本年新收… | / | /"), which makes a row, blank values and all.
func isColumnHeader(lbls []grid.Cell) bool {
	n := 0
	for _, l := range lbls {
		if c, ok, _ := labels.Column(l.Text); ok && c != report.ColTotal {
			n++
		}
	}
	if n == 0 || len(lbls) < 2 {
		return false
	}
	last := lbls[len(lbls)-1].Text
	if _, ok, other := labels.Column(last); ok || other {
		return true
	}
	var probe labels.RowResolver
	return probe.Resolve([]string{last}).Row == ""
}

// learnColumns reads the applicant column headers of a header row.
func (r *reader) learnColumns(cells []grid.Cell) {
	if r.colmap == nil {
		r.colmap = map[int]report.Col{}
	}
	otherCol, orgRow := -1, false
	for _, c := range cells {
		col, ok, other := labels.Column(c.Text)
		switch {
		case ok:
			r.colmap[c.Col] = col
			orgRow = orgRow || col == report.ColCommercial
		case other:
			otherCol = c.Col
		}
	}
	if orgRow && otherCol >= 0 {
		r.colmap[otherCol] = report.ColOtherOrg
	}
	// A header naming a column twice is not a header to trust.
	seen := map[report.Col]bool{}
	for _, col := range r.colmap {
		if seen[col] {
			r.colmap = map[int]report.Col{}
			return
		}
		seen[col] = true
	}
}

// setApp places a value; byPosition says the row was known from its position (its
// number within the group, or its place in a run of rows without labels), not its
// words.
func (r *reader) setApp(row report.Row, byPosition bool, col report.Col, v grid.Cell) {
	if old := r.res.Applications.Get(row, col); !old.IsZero() {
		r.unplaced(labels.SectionRequests, "a second value for "+report.CellAddr(row, col)+" (first kept from "+old.Src+")", []grid.Cell{v})
		return
	}
	c := cellvalue.Parse(v.Text, cellvalue.Count, report.UnitUnknown)
	c.Src, c.ByPosition = v.Src, byPosition
	r.res.Applications.Set(row, col, c)
	r.res.Cells[labels.SectionRequests]++
}
