package sampleportal

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Flattened tables: what is left of a table when a document is pasted as text or
// converted to text. Every flattener keeps the cells in reading order (row by row,
// a merged cell once, at its top-left position) and loses the grid.

// Variant bits of the flattened forms (layout.variant).
const (
	bitSplitHeadings = 0 // print a heading's numbering on a line of its own ("二、")
	bitBreaks        = 1 // HTML: lines as <br>-separated text of one <p>, not one <p> each
	bitTruncate      = 2 // pipes: cut the truncatable headers to "本年新 |"
	bitCRLF          = 3 // text: CRLF line ends
	bitNBSPLines     = 4 // HTML lines: empty lines as <p>&nbsp;</p>
	bitPipeRows      = 5 // pipes: a row per line, its cells separated by "|"
	bitBlankCells    = 6 // lines: no tabs, an empty line after every cell
)

// flatLines flattens a table in a form.
func flatLines(form Layout, l layout, t *stable) []string {
	switch form {
	case LayoutTabs:
		return tabLines(t)
	case LayoutPipes:
		if l.bit(bitPipeRows) {
			return pipeRowLines(t, l.bit(bitTruncate))
		}
		return pipeLines(t, l.bit(bitTruncate))
	}
	if l.bit(bitBlankCells) {
		return blankCellLines(t)
	}
	return cellLines(t)
}

// blankCellLines prints every cell on a line of its own followed by an empty line,
// a merged cell once: the rows are lost, only the order of the cells is left.
func blankCellLines(t *stable) []string {
	var out []string
	for r, gr := range t.grid() {
		for _, p := range gr {
			if p.row == r && p.anchor {
				out = append(out, t.rows[r][p.cell].text, "")
			}
		}
	}
	return out
}

// pipeRowLines prints each row as one line of grid positions separated by "|", a
// merged cell's text at its top-left position and empty strings elsewhere, a "|"
// closing the line; truncate cuts the truncatable headers ("本年新 |本年新 |").
func pipeRowLines(t *stable, truncate bool) []string {
	var out []string
	for r, gr := range t.grid() {
		var b strings.Builder
		for _, p := range gr {
			if p.row == r && p.anchor {
				c := t.rows[r][p.cell]
				text := c.text
				if truncate && c.truncatable && utf8.RuneCountInString(text) > 3 {
					text = string([]rune(text)[:3]) + " "
				}
				b.WriteString(text)
			}
			b.WriteString("|")
		}
		out = append(out, b.String())
	}
	return out
}

// cellLines prints one cell per line, each after a tab, a merged cell once and an
// empty cell where a rowspan continues, and an empty line after each row (seed 000).
func cellLines(t *stable) []string {
	var out []string
	anch := t.anchors()
	for r, gr := range t.grid() {
		for c, p := range gr {
			switch {
			case p.row == r && p.anchor:
				out = append(out, "\t"+t.rows[r][p.cell].text)
			case p.row >= 0 && p.row < r && c == anch[p.row][p.cell]:
				out = append(out, "\t")
			}
		}
		out = append(out, "")
	}
	return out
}

// tabLines prints each row as one line of tab-separated grid positions: a merged
// cell's text at its top-left position, empty strings elsewhere (seed 003).
func tabLines(t *stable) []string {
	var out []string
	for r, gr := range t.grid() {
		cells := make([]string, len(gr))
		for c, p := range gr {
			if p.row == r && p.anchor {
				cells[c] = t.rows[r][p.cell].text
			}
		}
		out = append(out, strings.Join(cells, "\t"))
	}
	return out
}

// pipeLines prints each cell on a line and a "|" line after it, a run of "|" for the
// positions merged cells cover after each row; truncate cuts the truncatable headers
// to their first three characters, written "本年新 |" (seed 001).
func pipeLines(t *stable, truncate bool) []string {
	var out []string
	for r, gr := range t.grid() {
		merged := 0
		for _, p := range gr {
			if !(p.row == r && p.anchor) {
				merged++
				continue
			}
			c := t.rows[r][p.cell]
			if truncate && c.truncatable && utf8.RuneCountInString(c.text) > 3 {
				out = append(out, string([]rune(c.text)[:3])+" |")
				continue
			}
			if c.text != "" {
				out = append(out, c.text)
			}
			out = append(out, "|")
		}
		if merged > 0 {
			out = append(out, strings.Repeat("|", merged))
		}
	}
	return out
}

// flatArticleLines returns the article as text lines: paragraphs and headings on a
// line each (headings split after their numbering in some documents), the tables
// flattened, the signature.
func flatArticleLines(l layout, blocks []block) []string {
	var out []string
	for _, bl := range blocks {
		switch bl.kind {
		case blockTable:
			out = append(out, flatLines(l.form, l, bl.table)...)
		case blockHeading:
			if num, rest, ok := splitNumbering(bl.text); ok && l.bit(bitSplitHeadings) {
				out = append(out, num, rest)
			} else {
				out = append(out, bl.text)
			}
		default:
			out = append(out, bl.text)
		}
		if bl.kind != blockTable {
			out = append(out, "")
		}
	}
	return out
}

// writeFlatArticle writes a flattened article in HTML: one <p> per line (or the
// lines of each block joined by <br>), the tab form as a <pre>.
func writeFlatArticle(b *bytes.Buffer, st style, l layout, blocks []block) {
	for _, bl := range blocks {
		switch {
		case bl.kind == blockTable && l.form == LayoutTabs:
			b.WriteString("<pre>" + esc(strings.Join(flatLines(l.form, l, bl.table), "\n")) + "\n</pre>\n")
		case bl.kind == blockTable:
			writeLines(b, l, flatLines(l.form, l, bl.table))
		case bl.kind == blockHeading && l.bit(bitSplitHeadings):
			if num, rest, ok := splitNumbering(bl.text); ok {
				writeLines(b, l, []string{num, rest})
				continue
			}
			writeBlock(b, st, bl)
		default:
			writeBlock(b, st, bl)
		}
	}
}

// writeLines writes lines of flattened text as paragraphs or as <br>-separated text.
func writeLines(b *bytes.Buffer, l layout, lines []string) {
	if l.bit(bitBreaks) {
		b.WriteString("<p>")
		for i, s := range lines {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(esc(strings.TrimLeft(s, "\t")))
		}
		b.WriteString("</p>\n")
		return
	}
	for _, s := range lines {
		s = strings.TrimLeft(s, "\t")
		switch {
		case s != "":
			b.WriteString("<p>" + esc(s) + "</p>\n")
		case l.bit(bitNBSPLines):
			b.WriteString("<p>&nbsp;</p>\n")
		default:
			b.WriteString("<p></p>\n")
		}
	}
}

// writeTextReport writes a report as a text file: the title over two lines (the
// body, then the rest), the article flattened, as text converted from a document.
func writeTextReport(b *bytes.Buffer, d *reportDoc, blocks []block) {
	nl := "\n"
	if d.layout.bit(bitCRLF) {
		nl = "\r\n"
	}
	rest := strings.TrimPrefix(d.title, d.body.name)
	lines := append([]string{"", d.body.name, rest, ""}, flatArticleLines(d.layout, blocks)...)
	for _, s := range lines {
		b.WriteString(s)
		b.WriteString(nl)
	}
}
