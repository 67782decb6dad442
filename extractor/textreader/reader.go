package textreader

import (
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/extractor/normalize"
)

// Lines splits a text into lines (\n, \r\n or \r).
func Lines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

// segment is a run of lines under one section heading.
type segment struct {
	section    int
	start, end int // line indexes, end exclusive
}

// Segments finds the statistics sections (二, 三, 四) of a text by their heading
// lines; a section runs to the next heading of any section. When no heading is
// found the whole text is one segment of unknown section.
func segments(lines []string) []segment {
	var segs []segment
	open := -1
	closeAt := func(i int) {
		if open >= 0 {
			segs[open].end = i
			open = -1
		}
	}
	for i, l := range lines {
		switch h := labels.Heading(l); h {
		case labels.SectionDisclosure, labels.SectionRequests, labels.SectionReview:
			closeAt(i)
			segs = append(segs, segment{section: h, start: i + 1, end: len(lines)})
			open = len(segs) - 1
		case labels.SectionOverview, labels.SectionProblems, labels.SectionOther:
			closeAt(i)
		}
	}
	if len(segs) == 0 {
		return []segment{{start: 0, end: len(lines)}}
	}
	return segs
}

// Read returns one grid per statistics section of the lines. Each cell's Src is
// "l<line>", 1-based; firstLine is the number of lines[0] (1 for a whole file). A
// section written one cell per line is read by its lines (cells.go), one written
// with '|' after every cell by its separators (pipes.go), any other by tokens.
func Read(lines []string, firstLine int) []grid.Grid {
	var out []grid.Grid
	for _, s := range segments(lines) {
		g := grid.Grid{ID: "l" + strconv.Itoa(firstLine+s.start), Section: s.section}
		switch seg := lines[s.start:s.end]; {
		case cellPerLine(seg):
			g.Rows = cellRows(seg, firstLine+s.start)
		case pipePerLine(seg):
			g.Rows = pipeRows(seg, firstLine+s.start)
		default:
			g.Rows = rows(tokens(seg, firstLine+s.start))
		}
		if len(g.Rows) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// tokens splits lines into non-empty cells at tabs and '|'.
func tokens(lines []string, firstLine int) []grid.Cell {
	var out []grid.Cell
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		src := "l" + strconv.Itoa(firstLine+i)
		for _, part := range strings.FieldsFunc(l, isSeparator) {
			if t := normalize.Space(part); t != "" {
				out = append(out, grid.Cell{Text: t, Src: src, Col: -1, Span: 1})
			}
		}
	}
	return out
}

func isSeparator(r rune) bool { return r == '\t' || r == '|' || r == '｜' }

// rows groups tokens into rows: one or more labels, then the values that follow.
// A label after a value starts a new row.
func rows(toks []grid.Cell) []grid.Row {
	var out []grid.Row
	var cur []grid.Cell
	inValues := false
	for _, t := range toks {
		isValue := cellvalue.IsValueLike(t.Text)
		if !isValue && inValues {
			out = append(out, grid.Row{Cells: cur})
			cur, inValues = nil, false
		}
		cur = append(cur, t)
		inValues = inValues || isValue
	}
	if len(cur) > 0 {
		out = append(out, grid.Row{Cells: cur})
	}
	return out
}
