package pdftext

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// tolerances in points.
const (
	snap  = 1.5 // lines this close are one line
	touch = 2.5 // a line ending this close to another meets it
)

// table is a ruled table found on a page: its column and row boundaries and its
// logical cells on that fine grid.
type table struct {
	page  int
	xs    []float64 // column boundaries, left to right
	ys    []float64 // row boundaries, top to bottom (device y, decreasing)
	cells []*tcell
}

// tcell is a logical cell: fine rows r0..r1 and columns c0..c1, inclusive.
type tcell struct {
	r0, r1, c0, c1 int
	chars          []char
	text           string
}

func (t *table) top() float64    { return t.ys[0] }
func (t *table) bottom() float64 { return t.ys[len(t.ys)-1] }
func (t *table) rows() int       { return len(t.ys) - 1 }

// contains reports whether a point is inside the table's outer border.
func (t *table) contains(x, y float64) bool {
	return x >= t.xs[0] && x <= t.xs[len(t.xs)-1] && y <= t.ys[0] && y >= t.ys[len(t.ys)-1]
}

// findTables finds the ruled tables among a page's lines.
func findTables(page int, lines []segment) []*table {
	hs, vs := mergeLines(lines)
	if len(hs) < 2 || len(vs) < 2 {
		return nil
	}
	// Group lines that meet into tables (union-find over all lines).
	all := append(append([]segment{}, hs...), vs...)
	parent := make([]int, len(all))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range hs {
		for j := range vs {
			h, v := hs[i], vs[j]
			if v.x0 >= h.x0-touch && v.x0 <= h.x1+touch && h.y0 >= v.y0-touch && h.y0 <= v.y1+touch {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range all {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out []*table
	for _, r := range roots {
		var gh, gv []segment
		for _, i := range groups[r] {
			if i < len(hs) {
				gh = append(gh, all[i])
			} else {
				gv = append(gv, all[i])
			}
		}
		if t := buildTable(page, gh, gv); t != nil {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].top() > out[j].top() })
	return out
}

// mergeLines splits lines into horizontal and vertical ones and joins the pieces of
// each line (collinear, overlapping or touching).
func mergeLines(lines []segment) (hs, vs []segment) {
	for _, s := range lines {
		if s.horizontal() {
			hs = append(hs, s)
		} else {
			vs = append(vs, segment{s.x0, s.y0, s.x0, s.y1})
		}
	}
	return joinCollinear(hs, true), joinCollinear(vs, false)
}

func joinCollinear(segs []segment, horizontal bool) []segment {
	pos := func(s segment) float64 {
		if horizontal {
			return s.y0
		}
		return s.x0
	}
	lo := func(s segment) float64 {
		if horizontal {
			return s.x0
		}
		return s.y0
	}
	hi := func(s segment) float64 {
		if horizontal {
			return s.x1
		}
		return s.y1
	}
	sort.Slice(segs, func(i, j int) bool {
		if math.Abs(pos(segs[i])-pos(segs[j])) > snap {
			return pos(segs[i]) < pos(segs[j])
		}
		return lo(segs[i]) < lo(segs[j])
	})
	var out []segment
	for _, s := range segs {
		if n := len(out); n > 0 && math.Abs(pos(out[n-1])-pos(s)) <= snap && lo(s) <= hi(out[n-1])+touch {
			last := &out[n-1]
			if horizontal {
				last.x1 = math.Max(last.x1, s.x1)
			} else {
				last.y1 = math.Max(last.y1, s.y1)
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// buildTable makes the fine grid of one group of lines and merges the fine cells
// no line separates.
func buildTable(page int, hs, vs []segment) *table {
	if len(hs) < 2 || len(vs) < 2 {
		return nil
	}
	var xs, ys []float64
	for _, v := range vs {
		xs = append(xs, v.x0)
	}
	for _, h := range hs {
		ys = append(ys, h.y0)
	}
	xs, ys = cluster(xs), cluster(ys)
	if len(xs) < 2 || len(ys) < 2 || len(xs) > 512 || len(ys) > 4096 {
		return nil
	}
	// top to bottom
	for i, j := 0, len(ys)-1; i < j; i, j = i+1, j-1 {
		ys[i], ys[j] = ys[j], ys[i]
	}
	t := &table{page: page, xs: xs, ys: ys}
	nr, nc := len(ys)-1, len(xs)-1
	vAt := func(x, y float64) bool { // a vertical line at x passes through y
		for _, v := range vs {
			if math.Abs(v.x0-x) <= snap && y >= v.y0-1 && y <= v.y1+1 {
				return true
			}
		}
		return false
	}
	hAt := func(y, x float64) bool {
		for _, h := range hs {
			if math.Abs(h.y0-y) <= snap && x >= h.x0-1 && x <= h.x1+1 {
				return true
			}
		}
		return false
	}
	id := make([]int, nr*nc)
	for i := range id {
		id[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for id[i] != i {
			id[i] = id[id[i]]
			i = id[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			id[max(ra, rb)] = min(ra, rb)
		}
	}
	for r := 0; r < nr; r++ {
		ymid := (ys[r] + ys[r+1]) / 2
		for c := 0; c < nc; c++ {
			xmid := (xs[c] + xs[c+1]) / 2
			if c+1 < nc && !vAt(xs[c+1], ymid) {
				union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !hAt(ys[r+1], xmid) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	byRoot := map[int]*tcell{}
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			root := find(r*nc + c)
			tc, ok := byRoot[root]
			if !ok {
				tc = &tcell{r0: r, r1: r, c0: c, c1: c}
				byRoot[root] = tc
				t.cells = append(t.cells, tc)
			}
			tc.r0, tc.r1 = min(tc.r0, r), max(tc.r1, r)
			tc.c0, tc.c1 = min(tc.c0, c), max(tc.c1, c)
		}
	}
	return t
}

// cluster sorts values and merges those within snap of each other (their mean).
func cluster(v []float64) []float64 {
	sort.Float64s(v)
	var out []float64
	var sum float64
	n := 0
	for i, x := range v {
		if i > 0 && x-v[i-1] > snap {
			out = append(out, sum/float64(n))
			sum, n = 0, 0
		}
		sum += x
		n++
	}
	if n > 0 {
		out = append(out, sum/float64(n))
	}
	return out
}

// place puts a character in the cell that holds its centre; false when it is
// outside the table.
func (t *table) place(c char) bool {
	cx, cy := (c.x0+c.x1)/2, c.y+c.size*0.3
	if !t.contains(cx, cy) {
		return false
	}
	col := sort.Search(len(t.xs), func(i int) bool { return t.xs[i] > cx }) - 1
	row := sort.Search(len(t.ys), func(i int) bool { return t.ys[i] < cy }) - 1
	col = max(0, min(col, len(t.xs)-2))
	row = max(0, min(row, len(t.ys)-2))
	for _, tc := range t.cells {
		if row >= tc.r0 && row <= tc.r1 && col >= tc.c0 && col <= tc.c1 {
			tc.chars = append(tc.chars, c)
			return true
		}
	}
	return false
}

// finish renders every cell's text.
func (t *table) finish() {
	for _, tc := range t.cells {
		tc.text = cellText(tc.chars)
		tc.chars = nil
	}
}

// cellText renders the characters of one cell: lines top to bottom, joined without
// a space where Chinese text wraps (or a label is stacked one character per line),
// with one between Latin words.
func cellText(cs []char) string {
	var b strings.Builder
	for i, l := range textLines(cs) {
		s := l.text(false, nil)
		if i > 0 && b.Len() > 0 && s != "" {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(s)
			if last < 0x80 && first < 0x80 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	return strings.TrimSpace(b.String())
}
