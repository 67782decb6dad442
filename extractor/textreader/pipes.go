package textreader

import (
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/normalize"
)

// A table converted to text with '|' after every cell (seed 001) writes each cell on
// a line, a "|" line after it, and runs of "|" where merged cells and row ends were:
// "四、結轉下年度繼續辦理 | | ||||||||" is a label and seven empty cells. Reading such a
// section separator by separator keeps the empty cells, which tokens drops — the
// difference between a blank (the body left the cell empty) and a missing cell.

// minPipeLines is how many lines of only '|' a section needs to be read as pipes.
const minPipeLines = 4

// isPipeLine reports whether a line holds only '|' (and spaces).
func isPipeLine(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && strings.Trim(t, "|｜") == ""
}

// pipePerLine reports whether a section is a table written with '|' after every
// cell: at least minPipeLines lines of only '|', a quarter of the non-blank lines.
func pipePerLine(lines []string) bool {
	pipes, nonBlank := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		nonBlank++
		if isPipeLine(l) {
			pipes++
		}
	}
	return pipes >= minPipeLines && 4*pipes >= nonBlank
}

// pipeRows reads a section written with '|' after every cell: every '|' ends a cell,
// empty or not; two texts with no '|' between them are two cells. A label after any
// cell that is not a label — a value or an empty cell — starts a new row, so a
// row's trailing empty cells stay with it (see dropRowEnd) and the next row starts
// at its label.
func pipeRows(lines []string, firstLine int) []grid.Row {
	var cells []grid.Cell
	var cur *grid.Cell // the cell being read, nil when no text was read since the last '|'
	for i, l := range lines {
		src := "l" + strconv.Itoa(firstLine+i)
		pieces := splitPipes(l)
		for j, p := range pieces {
			if t := normalize.Space(p); t != "" {
				if cur != nil {
					cells = append(cells, *cur)
				}
				cur = &grid.Cell{Text: t, Src: src, Col: -1, Span: 1}
			}
			if j == len(pieces)-1 {
				continue
			}
			// A '|' ends the cell: the text read since the last one, or an empty cell.
			if cur == nil {
				cur = &grid.Cell{Src: src, Col: -1, Span: 1}
			}
			cells = append(cells, *cur)
			cur = nil
		}
	}
	if cur != nil {
		cells = append(cells, *cur)
	}
	out := splitAtLabels(cells)
	for i := range out {
		out[i].Cells = dropRowEnd(out[i].Cells)
	}
	return out
}

// dropRowEnd drops the empty cells at the end of a row that holds something besides
// row labels: there they are the row's end and the positions merged cells cover
// ("0 | ||", "见附件 | ||"). A row of row labels and nothing else keeps them: they
// are its empty cells (四、結轉下年度繼續辦理 | | ||||||||).
func dropRowEnd(cells []grid.Cell) []grid.Cell {
	content := false
	for _, c := range cells {
		content = content || (c.Text != "" && !isRowLabel(c.Text))
	}
	if !content {
		return cells
	}
	end := len(cells)
	for end > 0 && cells[end-1].Text == "" {
		end--
	}
	return cells[:end]
}

// splitPipes splits a line at every '|' or '｜', keeping the empty pieces.
func splitPipes(l string) []string {
	return strings.Split(strings.ReplaceAll(l, "｜", "|"), "|")
}

// splitAtLabels groups cells into rows: a label (a non-empty cell that is not a
// value) after a value or an empty cell starts a new row.
func splitAtLabels(cells []grid.Cell) []grid.Row {
	var out []grid.Row
	start, afterLabel := 0, false
	for i, c := range cells {
		isLabel := c.Text != "" && !cellvalue.IsValueLike(c.Text)
		if isLabel && !afterLabel && i > start {
			if hasText(cells[start:i]) {
				out = append(out, grid.Row{Cells: cells[start:i]})
			}
			start = i
		}
		afterLabel = isLabel
	}
	if hasText(cells[start:]) {
		out = append(out, grid.Row{Cells: cells[start:]})
	}
	return out
}
