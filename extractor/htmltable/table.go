package htmltable

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/normalize"
)

// Limits on spans, so that a hostile or broken page cannot make a huge grid.
const (
	maxColspan = 64
	maxColumns = 512
	maxRowspan = 1000
	// maxArea bounds the cells of one expanded grid; rows past it are dropped.
	maxArea = 1 << 20
)

// cell is a source cell placed in the grid.
type cell struct {
	text     string
	row, col int // anchor (top-left) in the grid, 0-based
	colspan  int
}

// Grid expands a <table> into a grid. n is the table's 1-based number in the
// document, used in Src ("t<n>:r<row>:c<col>", 1-based grid coordinates of each
// cell's top-left corner).
func Grid(table *html.Node, n int) grid.Grid {
	trs := Rows(table)
	// occ[r][c] is the index in cells of the cell covering (r, c), or -1.
	occ := make([][]int, len(trs))
	var cells []cell
	area := 0
	for r, tr := range trs {
		if area > maxArea {
			occ = occ[:r]
			break
		}
		col := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
				continue
			}
			for col < len(occ[r]) && occ[r][col] >= 0 {
				col++
			}
			if col >= maxColumns {
				break
			}
			cs := span(td, "colspan", 1, maxColspan)
			cs = min(cs, maxColumns-col)
			rs := span(td, "rowspan", 1, len(trs)-r)
			if rs == 0 { // rowspan="0": to the end of the table
				rs = len(trs) - r
			}
			rs = min(rs, maxRowspan)
			idx := len(cells)
			cells = append(cells, cell{text: Text(td), row: r, col: col, colspan: cs})
			for rr := r; rr < r+rs; rr++ {
				for len(occ[rr]) < col+cs {
					occ[rr] = append(occ[rr], -1)
					area++
				}
				for cc := col; cc < col+cs; cc++ {
					if occ[rr][cc] < 0 {
						occ[rr][cc] = idx
					}
				}
			}
			col += cs
		}
	}
	id := "t" + strconv.Itoa(n)
	g := grid.Grid{ID: id, Aligned: true, Rows: make([]grid.Row, 0, len(trs))}
	for r := range occ {
		var row grid.Row
		last := -1
		for _, idx := range occ[r] {
			if idx < 0 || idx == last {
				continue
			}
			last = idx
			c := cells[idx]
			row.Cells = append(row.Cells, grid.Cell{
				Text: c.text,
				Src:  id + ":r" + strconv.Itoa(c.row+1) + ":c" + strconv.Itoa(c.col+1),
				Col:  c.col,
				Span: c.colspan,
			})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// span reads a rowspan/colspan attribute, clamped to [lo, hi]; a missing or
// malformed value is lo, and "0" is 0 (rowspan="0" spans to the end).
func span(n *html.Node, name string, lo, hi int) int {
	for _, a := range n.Attr {
		if a.Key != name {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(a.Val))
		switch {
		case err != nil || v < 0:
			return lo
		case v == 0:
			return 0
		case v > hi:
			return max(hi, lo)
		}
		return v
	}
	return lo
}

// Rows returns the <tr> elements of a table, in order, without those of nested
// tables.
func Rows(table *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				out = append(out, c)
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(c)
			}
		}
	}
	walk(table)
	return out
}

// Text returns the text of a cell as a reader sees it: text nodes joined without
// the white space that only formats the source, line breaks for <br> and block
// elements, white space collapsed; nested tables, scripts and styles left out.
func Text(n *html.Node) string {
	var b strings.Builder
	appendText(&b, n)
	return normalize.Space(b.String())
}

func appendText(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) == "" && strings.ContainsAny(c.Data, "\n\r") {
				continue // indentation of the source
			}
			b.WriteString(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Table, atom.Script, atom.Style, atom.Noscript, atom.Template:
				continue
			case atom.Br:
				b.WriteByte('\n')
				continue
			}
			block := isBlock(c.DataAtom)
			if block {
				b.WriteByte('\n')
			}
			appendText(b, c)
			if block {
				b.WriteByte('\n')
			}
		}
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Section, atom.Article, atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Dl, atom.Dd, atom.Dt:
		return true
	}
	return false
}
