package pdftext

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
)

// textLine is characters sharing a baseline, left to right.
type textLine struct {
	y     float64
	size  float64
	chars []char
}

// textLines groups characters into lines, top to bottom. A character joins a line
// when its baseline is within half a font size of the line's.
func textLines(cs []char) []*textLine {
	sorted := append([]char{}, cs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].y > sorted[j].y })
	var lines []*textLine
	for _, c := range sorted {
		var best *textLine
		for _, l := range lines {
			if math.Abs(l.y-c.y) <= 0.5*math.Max(l.size, c.size) {
				best = l
			}
		}
		if best == nil {
			best = &textLine{y: c.y, size: c.size}
			lines = append(lines, best)
		}
		best.chars = append(best.chars, c)
		best.size = math.Max(best.size, c.size)
	}
	for _, l := range lines {
		sort.SliceStable(l.chars, func(i, j int) bool { return l.chars[i].x0 < l.chars[j].x0 })
		l.chars = dedupe(l.chars)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].y > lines[j].y })
	return lines
}

// dedupe drops a character drawn again on itself (fake bold, shadows).
func dedupe(cs []char) []char {
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].text == c.text && math.Abs(out[n-1].x0-c.x0) < 0.5*c.size*0.2+0.3 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// text renders a line: a space in a gap of a third of the font size, and — with
// tabs — a tab in a gap wider than one and a half font sizes or, in a line that
// has such a gap, in a small gap ending at one of the tab stops (aligned columns).
func (l *textLine) text(tabs bool, stops []float64) string {
	aligned := false
	for i := 1; tabs && i < len(l.chars) && !aligned; i++ {
		aligned = l.wideGap(i)
	}
	var b strings.Builder
	for i, c := range l.chars {
		if i > 0 {
			gap := c.x0 - l.chars[i-1].x1
			size := math.Max(c.size, 1)
			switch {
			case tabs && l.tabBefore(i, stops, aligned):
				b.WriteByte('\t')
			case gap > size/3 && c.text != " " && l.chars[i-1].text != " ":
				b.WriteByte(' ')
			}
		}
		b.WriteString(c.text)
	}
	return cleanLine(b.String())
}

// cleanLine collapses the white space of each tab-separated part of a line.
func cleanLine(l string) string {
	parts := strings.Split(l, "\t")
	for i, s := range parts {
		parts[i] = strings.Join(strings.Fields(s), " ")
	}
	return strings.Trim(strings.Join(parts, "\t"), "\t")
}

// block is a page's table or line of text, in reading order.
type block struct {
	top   float64
	line  string
	table *table
	// blank is true when an empty line's height or more separates the line from
	// the line above it: an empty paragraph, which text readers use as a row
	// separator.
	blank bool
}

// pageBlocks places the page's characters in its tables and the rest in lines,
// and returns both in reading order (top to bottom).
func pageBlocks(page int, pc *pageContent) []block {
	tables := findTables(page, pc.lines)
	var loose []char
	for _, c := range pc.chars {
		placed := false
		for _, t := range tables {
			if t.place(c) {
				placed = true
				break
			}
		}
		if !placed {
			loose = append(loose, c)
		}
	}
	var out []block
	for _, t := range tables {
		t.finish()
		out = append(out, block{top: t.top(), table: t})
	}
	lines := textLines(loose)
	margin := math.Inf(1)
	for _, l := range lines {
		margin = math.Min(margin, l.chars[0].x0)
	}
	stops := tabStops(lines)
	var prev *textLine
	for _, l := range lines {
		s := l.text(true, stops)
		if s == "" {
			continue
		}
		if l.chars[0].x0-margin > 1.5*l.size {
			// Indented from the page's text margin: a tab typed before the
			// text (a cell of a table pasted as text).
			s = "\t" + s
		}
		blank := prev != nil && prev.y-l.y > 1.7*math.Max(prev.size, l.size)
		out = append(out, block{top: l.y + l.size*0.8, line: s, blank: blank})
		prev = l
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].top > out[j].top })
	return out
}

// pageNumberRE matches a page number line: "3", "- 3 -", "第3页", "第 3 页 共 5 页".
var pageNumberRE = regexp.MustCompile(`^[-—－\s]*(第\s*)?\d+\s*(页)?(\s*共\s*\d+\s*页)?[-—－\s]*$|^\d+\s*/\s*\d+$`)

// pageNumber reports whether block i of a page is its page number: the last block,
// alone well below the text above it, and saying nothing but a page number.
func pageNumber(blocks []block, i int) bool {
	b := blocks[i]
	if b.table != nil || i != len(blocks)-1 || !pageNumberRE.MatchString(strings.TrimSpace(b.line)) {
		return false
	}
	return i == 0 || blocks[i-1].top-b.top > 40
}

// joinPages concatenates the pages' blocks and joins a table that goes on at the
// top of the next page to the table that ended the page before it.
func joinPages(pages [][]block) []block {
	var out []block
	lastTable := -1 // index in out of the table that ends the previous page, or -1
	for _, blocks := range pages {
		first := true
		for i, b := range blocks {
			if pageNumber(blocks, i) {
				continue // page furniture
			}
			if first && b.table != nil && lastTable >= 0 && sameColumns(out[lastTable].table, b.table) {
				join(out[lastTable].table, b.table)
				first = false
				continue
			}
			first = false
			out = append(out, b)
		}
		lastTable = -1
		for i := len(out) - 1; i >= 0; i-- {
			if out[i].table != nil {
				lastTable = i
			}
			break
		}
	}
	return out
}

// sameColumns reports whether two tables share their outer borders.
func sameColumns(a, b *table) bool {
	return math.Abs(a.xs[0]-b.xs[0]) <= 2*snap && math.Abs(a.xs[len(a.xs)-1]-b.xs[len(b.xs)-1]) <= 2*snap
}

// join appends table b (the next page's part) to a: the column boundaries become
// the union of both; a first row of b that holds no value and leaves a cell empty
// is the rest of a's last row, cut by the page break, and is merged into it; an
// empty cell of b's first row that spans rows, under a cell of a's last row with
// the same columns, continues that cell down (a row span cut by the page break).
func join(a, b *table) {
	xs := cluster(append(append([]float64{}, a.xs...), b.xs...))
	remap := func(t *table) {
		for _, c := range t.cells {
			c.c0, c.c1 = nearest(xs, t.xs[c.c0]), nearest(xs, t.xs[c.c1+1])-1
			c.c1 = max(c.c1, c.c0)
		}
		t.xs = xs
	}
	remap(a)
	remap(b)
	last := a.rows() - 1
	below := func(bc *tcell) *tcell { // a's cell over the same columns in its last row
		for _, ac := range a.cells {
			if ac.r1 == last && ac.c0 == bc.c0 && ac.c1 == bc.c1 {
				return ac
			}
		}
		return nil
	}
	var first []*tcell
	for _, c := range b.cells {
		if c.r0 == 0 {
			first = append(first, c)
		}
	}
	// b's first row is the rest of a's last row when it holds text but no value,
	// every text sits under a cell of a's last row, and a cell of it is empty.
	split, texts, empty := true, 0, 0
	for _, c := range first {
		switch {
		case c.text == "" && c.r1 == 0:
			empty++
		case c.text == "":
		case c.r1 != 0 || cellvalue.IsValueLike(c.text) || below(c) == nil:
			split = false
		default:
			texts++
		}
	}
	split = split && texts > 0 && empty > 0
	offset := a.rows()
	if split {
		offset-- // b's row 0 is a's last row
	}
	drop := map[*tcell]bool{}
	for _, c := range first {
		ac := below(c)
		switch {
		case split && c.r1 == 0:
			if ac != nil {
				ac.text += c.text
			}
			drop[c] = true
		case c.text == "" && ac != nil && c.r1 > 0:
			// An empty cell spanning rows under a cell of a's last row: the
			// page break cut a row span; the span goes on. (An empty cell of one
			// row may be a blank value: it stays.)
			ac.r1 = c.r1 + offset
			drop[c] = true
		}
	}
	for _, c := range b.cells {
		if drop[c] {
			continue
		}
		c.r0, c.r1 = c.r0+offset, c.r1+offset
		a.cells = append(a.cells, c)
	}
	skip := 0
	if split {
		skip = 1
	}
	a.ys = append(a.ys, b.ys[1+skip:]...)
	// The joined table's rows continue below a's; their y values are only used
	// as row boundaries, which the row count already fixes.
}

// nearest returns the index of the boundary closest to x.
func nearest(xs []float64, x float64) int {
	best, d := 0, math.Inf(1)
	for i, v := range xs {
		if dd := math.Abs(v - x); dd < d {
			best, d = i, dd
		}
	}
	return best
}

// toGrid renders a table as a grid: each fine row lists the cells covering it,
// a cell spanning rows appearing in each (as an HTML rowspan does).
func (t *table) toGrid(id string) grid.Grid {
	g := grid.Grid{ID: id, Aligned: true}
	cells := append([]*tcell{}, t.cells...)
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].c0 < cells[j].c0 })
	for r := 0; r < t.rows(); r++ {
		var row grid.Row
		for _, c := range cells {
			if r < c.r0 || r > c.r1 {
				continue
			}
			row.Cells = append(row.Cells, grid.Cell{
				Text: c.text,
				Src:  id + ":r" + strconv.Itoa(c.r0+1) + ":c" + strconv.Itoa(c.c0+1),
				Col:  c.c0,
				Span: c.c1 - c.c0 + 1,
			})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// rowLines renders a table as lines: per row, the cells that start in it,
// separated by tabs (as a page renders a table row).
func (t *table) rowLines() []string {
	var out []string
	cells := append([]*tcell{}, t.cells...)
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].c0 < cells[j].c0 })
	for r := 0; r < t.rows(); r++ {
		var parts []string
		for _, c := range cells {
			if c.r0 == r {
				parts = append(parts, c.text)
			}
		}
		if l := cleanLine(strings.Join(parts, "\t")); l != "" {
			out = append(out, l)
		}
	}
	return out
}
