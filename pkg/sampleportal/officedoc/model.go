package officedoc

import "strings"

// Doc is a document to render: blocks in order.
type Doc struct {
	Blocks []Block
}

// Block is a paragraph (Text, which may hold tabs) or a table.
type Block struct {
	Text  string
	Table *Table
}

// Table is a table: rows of cells, each anchored where HTML would anchor it.
type Table struct {
	Rows [][]Cell
}

// Cell is one source cell with its spans. Text holds line breaks as "\n".
type Cell struct {
	Text    string
	ColSpan int
	RowSpan int
}

// FromLines makes a document of one paragraph per line (tabs kept), as a text
// pasted into Word is.
func FromLines(lines []string) Doc {
	var d Doc
	for _, l := range lines {
		d.Blocks = append(d.Blocks, Block{Text: strings.TrimRight(l, "\r")})
	}
	return d
}

// slot is a grid position and the cell that covers it.
type slot struct {
	cell   *Cell
	anchor bool // the cell's top-left corner
	top    bool // the cell's top row (the anchor row)
	first  bool // the cell's first column
}

// layout places the cells on the table's grid, as a browser does with rowspan and
// colspan: layout[r][c] is the cell covering (r, c), nil for a hole.
func (t *Table) layout() [][]slot {
	var occ [][]slot
	ensure := func(r, c int) {
		for len(occ) <= r {
			occ = append(occ, nil)
		}
		for len(occ[r]) <= c {
			occ[r] = append(occ[r], slot{})
		}
	}
	for r, row := range t.Rows {
		ensure(r, 0)
		col := 0
		for i := range row {
			c := &row[i]
			for col < len(occ[r]) && occ[r][col].cell != nil {
				col++
			}
			cs, rs := max(c.ColSpan, 1), max(c.RowSpan, 1)
			if r+rs > len(t.Rows) {
				rs = len(t.Rows) - r
			}
			for rr := r; rr < r+rs; rr++ {
				for cc := col; cc < col+cs; cc++ {
					ensure(rr, cc)
					occ[rr][cc] = slot{cell: c, anchor: rr == r && cc == col, top: rr == r, first: cc == col}
				}
			}
			col += cs
		}
	}
	width := 0
	for _, r := range occ {
		width = max(width, len(r))
	}
	for r := range occ {
		ensure(r, width-1)
	}
	return occ
}
