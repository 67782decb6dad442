package textreader

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/extractor/normalize"
)

// A table converted to text by a word processor often comes one cell per line:
// every cell a line that starts with a tab, a blank line after every row, a cell
// of several lines continued on lines without the tab ("\t本年新" + "制作数量", or
// a merged cell "\t0" + "0" + "0"), and an empty cell a tab alone. Seeds 000, 002
// and 004 are such tables. Reading them by their lines keeps what tokens loses: the
// row a value belongs to, the empty cells, and the cells merged over several lines —
// which is what lets the section reader place rows whose labels were lost.

// minCellLines is how many one-cell lines a section needs to be read as cells.
const minCellLines = 4

// maxContinuationRunes bounds a line that continues the cell above it: longer lines,
// or lines holding a full stop, are prose.
const maxContinuationRunes = 20

// isCellLine reports whether a line is one cell: a tab, then text without a tab.
func isCellLine(l string) bool {
	return strings.HasPrefix(l, "\t") && !strings.Contains(l[1:], "\t")
}

// cellPerLine reports whether a section's lines are a table one cell per line: at
// least minCellLines one-cell lines, and twice as many as the other non-blank lines
// (lines that continue a cell count for neither).
func cellPerLine(lines []string) bool {
	cells, other := 0, 0
	open := false
	for _, l := range lines {
		switch {
		case isBlank(l):
			open = false
		case isCellLine(l):
			cells++
			open = true
		case open && continues(l):
		default:
			other++
			open = false
		}
	}
	return cells >= minCellLines && cells >= 2*other
}

// isBlank reports whether a line separates rows: only spaces, no tab (a tab alone
// is an empty cell).
func isBlank(l string) bool {
	return strings.TrimSpace(l) == "" && !strings.HasPrefix(l, "\t")
}

// maxRowCells is the most cells one row of a statistics table holds (section 四's
// fifteen numbers and a few spare); a longer block holds several rows.
const maxRowCells = 20

// cellRows reads a section one cell per line: each blank-line separated block is a
// row, empty cells are kept, and lines without a leading tab continue the cell above
// them (or, when they are prose, stand alone). Inside a block a row label after a
// value starts a new row, but other words in a value column ("见附件" between
// numbers) stay in their row. When a block is longer than any row, the blank lines
// do not separate rows, and blocks are split wherever a label follows a value, as
// rows does.
func cellRows(lines []string, firstLine int) []grid.Row {
	var blocks [][]grid.Cell
	var block []grid.Cell
	open := false // the last cell may be continued by the next line
	flush := func() {
		if hasText(block) {
			blocks = append(blocks, block)
		}
		block, open = nil, false
	}
	for i, l := range lines {
		src := "l" + strconv.Itoa(firstLine+i)
		switch {
		case isBlank(l):
			flush()
		case strings.HasPrefix(l, "\t"):
			parts := strings.FieldsFunc(l[1:], isSeparator)
			if len(parts) == 0 {
				parts = []string{""}
			}
			for _, p := range parts {
				block = append(block, grid.Cell{Text: normalize.Space(p), Src: src, Col: -1, Span: 1})
			}
			open = len(parts) == 1
		case open && continues(l):
			last := &block[len(block)-1]
			last.Text = strings.TrimSpace(last.Text + " " + normalize.Space(l))
		default:
			// Prose, or a row of its own: a block by itself.
			flush()
			for _, p := range strings.FieldsFunc(l, isSeparator) {
				if t := normalize.Space(p); t != "" {
					block = append(block, grid.Cell{Text: t, Src: src, Col: -1, Span: 1})
				}
			}
			flush()
		}
	}
	flush()
	long := false
	for _, b := range blocks {
		long = long || len(b) > maxRowCells
	}
	var out []grid.Row
	for _, b := range blocks {
		out = append(out, blockRows(b, long)...)
	}
	return out
}

// continues reports whether a line without a leading tab is the rest of the cell
// above it: short, one piece, not a sentence.
func continues(l string) bool {
	t := normalize.Space(l)
	return t != "" && utf8.RuneCountInString(t) <= maxContinuationRunes &&
		strings.IndexFunc(l, isSeparator) < 0 && !strings.ContainsAny(t, "。；;")
}

// blockRows splits a block into rows where a non-empty label follows a non-empty
// value: any label when anyLabel, else only a label that names a table row, item or
// column, or carries a row number. Empty cells stay where they are.
func blockRows(block []grid.Cell, anyLabel bool) []grid.Row {
	var out []grid.Row
	start, inValues := 0, false
	for i, c := range block {
		if c.Text == "" {
			continue
		}
		isValue := cellvalue.IsValueLike(c.Text)
		if !isValue && inValues && (anyLabel || isRowLabel(c.Text)) {
			out = append(out, grid.Row{Cells: block[start:i]})
			start, inValues = i, false
		}
		inValues = inValues || isValue
	}
	if hasText(block[start:]) {
		out = append(out, grid.Row{Cells: block[start:]})
	}
	return out
}

// isRowLabel reports whether a text starts a row: a label of the tables, or a
// numbered label ("（七）总计", "3.其他").
func isRowLabel(text string) bool {
	if labels.SectionOf(text) != labels.SectionNone {
		return true
	}
	num, key := normalize.Split(text)
	return num != "" && key != ""
}

func hasText(cells []grid.Cell) bool {
	for _, c := range cells {
		if c.Text != "" {
			return true
		}
	}
	return false
}
