package sections

import (
	"strings"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// Read places the values of every grid. Grids are read in order; within a grid the
// section is inferred row by row from the labels (starting from the grid's hint), so
// one table per section and one table for everything both work. When two tables
// give the same cell, the first wins and the second is reported unplaced.
func Read(grids []grid.Grid) *Result {
	res := &Result{
		Applications: report.ApplicationTable{},
		Review:       report.ReviewTable{},
		Disclosure:   report.DisclosureTable{},
		Shows:        map[report.Template][]string{},
		Cells:        map[int]int{},
	}
	expected := map[report.ItemMetric]bool{}
	sectionOf := map[string]int{}
	for i := range grids {
		r := &reader{res: res, grid: &grids[i], section: grids[i].Section, expected: expected, sectionOf: sectionOf}
		for _, row := range grids[i].Rows {
			r.row(row.Cells)
		}
		r.flushPending("")
	}
	for _, im := range report.DisclosureLayout(report.Template2019) {
		if expected[im] {
			res.ExpectedDisclosure = append(res.ExpectedDisclosure, im)
		}
	}
	for _, im := range report.DisclosureLayout(report.Template2021) {
		if expected[im] && !contains(res.ExpectedDisclosure, im) {
			res.ExpectedDisclosure = append(res.ExpectedDisclosure, im)
		}
	}
	return res
}

func contains(xs []report.ItemMetric, x report.ItemMetric) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// reader reads one grid.
type reader struct {
	res      *Result
	grid     *grid.Grid
	section  int
	expected map[report.ItemMetric]bool
	// sectionOf memoises labels.SectionOf: spanned labels repeat on every row.
	sectionOf map[string]int

	rows   labels.RowResolver // section 三 group context
	colmap map[int]report.Col // section 三: grid column → applicant column (aligned grids)
	header *labels.Header     // section 二: the block header in force
	disc   disclosureState    // section 二: the header's columns, the item being read

	lastRow report.Row   // section 三: the last row placed by its label
	pending []pendingRow // section 三: rows without labels since lastRow (position.go)
}

// row reads one row of the grid.
func (r *reader) row(cells []grid.Cell) {
	lbls, vals := split(cells)
	for _, l := range lbls {
		s, ok := r.sectionOf[l.Text]
		if !ok {
			s = labels.SectionOf(l.Text)
			r.sectionOf[l.Text] = s
		}
		if s != labels.SectionNone && s != r.section {
			r.enter(s)
		}
	}
	switch r.section {
	case labels.SectionDisclosure:
		r.disclosure(cells, lbls, vals)
	case labels.SectionRequests:
		r.applications(cells, lbls, vals)
	case labels.SectionReview:
		if lbls == nil && vals == nil && len(cells) >= len(report.ReviewGroups)*len(report.Outcomes) && len(r.res.Review) == 0 {
			// Fifteen empty cells where the numbers belong: a body that had no
			// review or litigation left every cell blank.
			vals = cells
		}
		r.review(lbls, vals)
	}
}

// enter switches to a section and forgets the previous section's context.
func (r *reader) enter(s int) {
	r.flushPending("")
	r.lastRow = ""
	r.section = s
	r.rows = labels.RowResolver{}
	r.colmap = nil
	r.header = nil
	r.disc = disclosureState{}
}

// split separates a row's label cells from its value cells. Labels are the
// non-empty cells before the first value; values run from the first value (a number,
// a blank mark, or an empty cell just before them) to the end of the row, text
// included. Empty cells between labels are padding, not values; a row of labels
// followed only by empty cells has those empty cells as (blank) values.
func split(cells []grid.Cell) (lbls, vals []grid.Cell) {
	first := -1
	for i, c := range cells {
		if strings.TrimSpace(c.Text) != "" && cellvalue.IsValueLike(c.Text) {
			first = i
			break
		}
	}
	end := first
	if first < 0 {
		end = len(cells)
	}
	lastLabel := -1
	for i := 0; i < end; i++ {
		if strings.TrimSpace(cells[i].Text) != "" {
			lbls = append(lbls, cells[i])
			lastLabel = i
		}
	}
	if lastLabel < 0 {
		if first < 0 {
			return nil, nil
		}
		// A row without labels is all values: its leading empty cells are blanks
		// (readers that expect fewer values trim them).
		return nil, cells
	}
	return lbls, cells[lastLabel+1:]
}

// trim drops empty cells at the end, then at the start, while there are more than
// want cells: empty label columns and empty trailing columns are not values.
func trim(vals []grid.Cell, want int) []grid.Cell {
	for len(vals) > want && strings.TrimSpace(vals[len(vals)-1].Text) == "" {
		vals = vals[:len(vals)-1]
	}
	for len(vals) > want && strings.TrimSpace(vals[0].Text) == "" {
		vals = vals[1:]
	}
	return vals
}

func texts(cells []grid.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Text
	}
	return out
}

func (r *reader) unplaced(section int, reason string, cells []grid.Cell) {
	u := Unplaced{Section: section, Reason: reason}
	for _, c := range cells {
		u.Srcs = append(u.Srcs, c.Src)
		u.Raws = append(u.Raws, c.Text)
	}
	if len(u.Srcs) > 0 {
		r.res.Unplaced = append(r.res.Unplaced, u)
	}
}

// nonBlank returns the cells that hold something.
func nonBlank(cells []grid.Cell) []grid.Cell {
	var out []grid.Cell
	for _, c := range cells {
		if !cellvalue.IsBlank(c.Text) {
			out = append(out, c)
		}
	}
	return out
}
