package sheet

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/normalize"
)

// span is a merged range, 0-based and inclusive.
type span struct {
	r0, c0, r1, c1 int
}

// table is one sheet as read: its rows of cell texts (ragged: a row holds the
// cells the sheet stores, up to its last) and its merged ranges.
type table struct {
	name   string
	rows   [][]string
	merges []span
}

// toGrids expands a sheet into grids (id "s<n>" or "s<n>b<k>", Src
// "s<n>:r<row>:c<col>", 1-based sheet coordinates): a row the sheet stores no
// cell in (not even an empty bordered one) separates two tables, as the space
// between two tables on a page does, so that what follows a table is not read as
// more of it. A row of empty bordered cells stays: it is a row of blanks.
func (t *table) toGrids(id string) []grid.Grid {
	whole := t.toGrid(id)
	var out []grid.Grid
	cur := grid.Grid{ID: id, Aligned: true}
	flush := func() {
		if len(cur.Rows) > 0 {
			out = append(out, cur)
		}
		cur = grid.Grid{ID: id + "b" + strconv.Itoa(len(out)+2), Aligned: true}
	}
	for _, r := range whole.Rows {
		if len(r.Cells) == 0 {
			flush()
			continue
		}
		cur.Rows = append(cur.Rows, r)
	}
	flush()
	return out
}

// toGrid expands a sheet into one grid.
func (t *table) toGrid(id string) grid.Grid {
	g := grid.Grid{ID: id, Aligned: true, Rows: make([]grid.Row, 0, len(t.rows))}
	cover := map[[2]int]span{} // cell → the merge holding it
	for _, m := range t.merges {
		for r := m.r0; r <= m.r1; r++ {
			for c := m.c0; c <= m.c1; c++ {
				cover[[2]int{r, c}] = m
			}
		}
	}
	width := func(r int) int {
		w := 0
		if r < len(t.rows) {
			w = len(t.rows[r])
		}
		for _, m := range t.merges {
			if r >= m.r0 && r <= m.r1 {
				w = max(w, m.c1+1)
			}
		}
		return w
	}
	text := func(r, c int) string {
		if r < len(t.rows) && c < len(t.rows[r]) {
			return normalize.Space(t.rows[r][c])
		}
		return ""
	}
	for r := range t.rows {
		var row grid.Row
		w := width(r)
		for c := 0; c < w; {
			if m, ok := cover[[2]int{r, c}]; ok {
				row.Cells = append(row.Cells, grid.Cell{
					Text: text(m.r0, m.c0), Src: src(id, m.r0, m.c0), Col: m.c0, Span: m.c1 - m.c0 + 1,
				})
				c = m.c1 + 1
				continue
			}
			row.Cells = append(row.Cells, grid.Cell{Text: text(r, c), Src: src(id, r, c), Col: c, Span: 1})
			c++
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// lines renders the sheet as lines: per row, the texts of the cells that start in
// it, separated by tabs.
func (t *table) lines() []string {
	covered := map[[2]int]bool{}
	for _, m := range t.merges {
		for r := m.r0; r <= m.r1; r++ {
			for c := m.c0; c <= m.c1; c++ {
				if r != m.r0 || c != m.c0 {
					covered[[2]int{r, c}] = true
				}
			}
		}
	}
	var out []string
	for r, row := range t.rows {
		var parts []string
		for c, s := range row {
			if !covered[[2]int{r, c}] {
				parts = append(parts, strings.ReplaceAll(normalize.Space(s), "\t", " "))
			}
		}
		if l := strings.Trim(strings.Join(parts, "\t"), "\t"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func src(id string, r, c int) string {
	return id + ":r" + strconv.Itoa(r+1) + ":c" + strconv.Itoa(c+1)
}

// noisyRE matches a number with binary floating point noise or in exponent form.
var noisyRE = regexp.MustCompile(`^-?\d+\.\d*?(0{6,}\d{1,3}|9{6,}\d{1,3})$|^-?\d+(\.\d+)?[Ee][+-]?\d+$`)

// cleanNumber rounds a number a spreadsheet stored in binary floating point back to
// the decimal that was typed: "12.000000001" → "12", "0.30000000000000004" → "0.3",
// "1.0E+2" → "100". Other texts are returned as they are.
func cleanNumber(s string) string {
	if !noisyRE.MatchString(s) {
		return s
	}
	return formatFloat(s)
}

// formatFloat formats a stored number the way a General cell shows it: at most 15
// significant digits and 6 decimals, no exponent, no trailing zeros.
func formatFloat(s string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return s
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	v = math.Round(v*1e6) / 1e6
	return strconv.FormatFloat(v, 'f', -1, 64)
}
