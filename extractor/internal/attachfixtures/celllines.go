package attachfixtures

import (
	"regexp"
	"strings"
)

// sectionHeading matches a line that opens a section (四、…), which ends a table
// even when no empty line comes before it.
var sectionHeading = regexp.MustCompile(`^[ \x{3000}]*[一二三四五六七八九十]+、`)

// FromCellLines makes a document of a text whose tables were flattened one cell
// per line, as copying a Word table out as text writes them: each line that starts
// with a tab starts a cell (every further tab starts another), a line without a
// tab right after one goes on the cell above it (a line break in the cell), and an
// empty line ends the row. Such runs become tables with one cell per field, an
// empty field an empty cell, so that a printed copy still draws every cell (a line
// holding only a tab prints nothing); the other lines stay paragraphs, as
// FromLines makes them.
func FromCellLines(lines []string) Doc {
	var (
		d     Doc
		t     *Table
		row   []Cell
		inRow bool // the line before is a cell's
		blank int  // empty lines since the last row: paragraphs if the table ends
	)
	endRow := func() {
		if len(row) > 0 {
			t.Rows = append(t.Rows, row)
		}
		row, inRow = nil, false
	}
	endTable := func() {
		if t == nil {
			return
		}
		endRow()
		d.Blocks = append(d.Blocks, Block{Table: t})
		for ; blank > 0; blank-- {
			d.Blocks = append(d.Blocks, Block{})
		}
		t = nil
	}
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		switch {
		case strings.HasPrefix(l, "\t"):
			if t == nil {
				t = &Table{}
			}
			blank = 0
			for _, f := range strings.Split(l, "\t")[1:] {
				row = append(row, Cell{Text: f})
			}
			inRow = true
		case t != nil && strings.TrimSpace(l) == "":
			endRow()
			blank++
		case inRow && !sectionHeading.MatchString(l):
			row[len(row)-1].Text += "\n" + l
		default:
			endTable()
			d.Blocks = append(d.Blocks, Block{Text: l})
		}
	}
	endTable()
	return d
}
