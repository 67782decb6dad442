package docx

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/normalize"
)

// Limits on the grid a table may make, as for HTML tables.
const (
	maxColumns = 512
	maxSpan    = 64
)

// tcell is a table cell as read: where it starts, how far it spans, its text.
type tcell struct {
	text  string
	col   int
	span  int
	merge string // vMerge: "" none, "restart", "continue"
}

// table reads a w:tbl already started. It returns the table's grid followed by the
// grids of tables nested in it, and its text as lines (a line per row, cells
// separated by tabs).
func (p *parser) table() ([]grid.Grid, []string, error) {
	p.tables++
	id := "t" + strconv.Itoa(p.tables)
	var (
		rows   [][]tcell
		nested []grid.Grid
	)
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return nil, nil, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tr":
				row, inner, err := p.row()
				if err != nil {
					return nil, nil, err
				}
				rows = append(rows, row)
				nested = append(nested, inner...)
				continue
			case "tblPr", "tblGrid":
				if err := p.skip(); err != nil {
					return nil, nil, err
				}
				continue
			}
			d++
		case xml.EndElement:
			d--
		}
	}
	g := build(id, rows)
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		parts := make([]string, len(r))
		for i, c := range r {
			parts[i] = strings.ReplaceAll(c.text, "\t", " ")
		}
		if l := cleanLine(strings.Join(parts, "\t")); l != "" {
			lines = append(lines, l)
		}
	}
	return append([]grid.Grid{g}, nested...), lines, nil
}

// row reads a w:tr already started: its cells placed on the table grid (after
// w:gridBefore), and the grids of tables nested in its cells.
func (p *parser) row() ([]tcell, []grid.Grid, error) {
	var (
		cells  []tcell
		nested []grid.Grid
		col    int
	)
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return nil, nil, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridBefore":
				col += clamp(attr(t, "val"), 0, maxColumns)
			case "tc":
				c, inner, err := p.cell()
				if err != nil {
					return nil, nil, err
				}
				c.col = min(col, maxColumns)
				c.span = min(c.span, maxColumns-c.col)
				col += c.span
				if c.span > 0 {
					cells = append(cells, c)
				}
				nested = append(nested, inner...)
				continue
			}
			d++
		case xml.EndElement:
			d--
		}
	}
	return cells, nested, nil
}

// cell reads a w:tc already started: its span and merge from w:tcPr, its
// paragraphs joined by line breaks, and its nested tables as grids.
func (p *parser) cell() (tcell, []grid.Grid, error) {
	c := tcell{span: 1}
	var (
		paras  []string
		nested []grid.Grid
	)
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return c, nil, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridSpan":
				c.span = clamp(attr(t, "val"), 1, maxSpan)
			case "hMerge":
				// Old-style horizontal merge: a continuing cell adds nothing.
				if v, ok := attrOK(t, "val"); !ok || v != "restart" {
					c.span = 0
				}
			case "vMerge":
				if v, ok := attrOK(t, "val"); ok && v == "restart" {
					c.merge = "restart"
				} else {
					c.merge = "continue"
				}
			case "p":
				text, err := p.paragraph()
				if err != nil {
					return c, nil, err
				}
				paras = append(paras, text)
				continue
			case "tbl":
				grids, lines, err := p.table()
				if err != nil {
					return c, nil, err
				}
				nested = append(nested, grids...)
				paras = append(paras, lines...)
				continue
			}
			d++
		case xml.EndElement:
			d--
		}
	}
	c.text = normalize.Space(strings.Join(paras, "\n"))
	return c, nested, nil
}

// build expands rows of cells into a grid: a cell continuing a vertical merge
// repeats the cell that started it (same Src), as a rowspan does in HTML.
func build(id string, rows [][]tcell) grid.Grid {
	g := grid.Grid{ID: id, Aligned: true, Rows: make([]grid.Row, 0, len(rows))}
	type anchor struct {
		cell grid.Cell
		ok   bool
	}
	above := map[int]anchor{} // grid column → the merge in force there
	for r, row := range rows {
		var out grid.Row
		for _, c := range row {
			gc := grid.Cell{
				Text: c.text,
				Src:  id + ":r" + strconv.Itoa(r+1) + ":c" + strconv.Itoa(c.col+1),
				Col:  c.col,
				Span: c.span,
			}
			switch c.merge {
			case "continue":
				if a, ok := above[c.col]; ok && a.ok && a.cell.Span == c.span {
					gc = a.cell
				}
			case "restart":
				above[c.col] = anchor{cell: gc, ok: true}
			default:
				delete(above, c.col)
			}
			out.Cells = append(out.Cells, gc)
		}
		g.Rows = append(g.Rows, out)
	}
	return g
}

func attrOK(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func attr(se xml.StartElement, local string) string {
	v, _ := attrOK(se, local)
	return v
}

// clamp parses an integer attribute and bounds it to [lo, hi]; lo when malformed.
func clamp(s string, lo, hi int) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case err != nil || v < lo:
		return lo
	case v > hi:
		return hi
	}
	return v
}
