package pdftext

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// box returns the four ruling lines of a rectangle.
func box(x0, y0, x1, y1 float64) []segment {
	return []segment{{x0, y0, x1, y0}, {x0, y1, x1, y1}, {x0, y0, x0, y1}, {x1, y0, x1, y1}}
}

// text places a string as characters of size 10 starting at (x, y).
func text(s string, x, y float64) []char {
	var out []char
	for _, r := range s {
		out = append(out, char{text: string(r), x0: x, x1: x + 10, y: y, size: 10})
		x += 10
	}
	return out
}

func describe(t *table) string {
	cs := append([]*tcell{}, t.cells...)
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].r0 != cs[j].r0 {
			return cs[i].r0 < cs[j].r0
		}
		return cs[i].c0 < cs[j].c0
	})
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("r%d-%d c%d-%d %q", c.r0, c.r1, c.c0, c.c1, c.text))
	}
	return strings.Join(parts, "; ")
}

// TestRuledTable draws a 3×3 table whose first column's cell spans two rows and
// whose top-right cell spans two columns, with a label stacked one character per
// line, and checks the cells the lines make.
func TestRuledTable(t *testing.T) {
	// columns at x 0, 100, 150, 200; rows at y 300, 270, 240, 210 (top down).
	var lines []segment
	lines = append(lines, box(0, 210, 200, 300)...)
	lines = append(lines,
		segment{100, 270, 200, 270}, // under the header, not under the spanning first column
		segment{0, 240, 200, 240},
		segment{100, 210, 100, 300},
		segment{150, 210, 150, 270}, // the header's cell spans columns 2 and 3
	)
	tables := findTables(1, lines)
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	tb := tables[0]
	var chars []char
	chars = append(chars, text("总", 10, 285)...)
	chars = append(chars, text("计", 10, 260)...) // stacked below 总, same cell
	chars = append(chars, text("申请人", 110, 280)...)
	chars = append(chars, text("5", 110, 250)...)
	chars = append(chars, text("0", 160, 250)...)
	chars = append(chars, text("合计", 10, 220)...)
	for _, c := range chars {
		if !tb.place(c) {
			t.Fatalf("%q not placed", c.text)
		}
	}
	tb.finish()
	want := `r0-1 c0-0 "总计"; r0-0 c1-2 "申请人"; r1-1 c1-1 "5"; r1-1 c2-2 "0"; r2-2 c0-0 "合计"; r2-2 c1-1 ""; r2-2 c2-2 ""`
	if got := describe(tb); got != want {
		t.Errorf("cells\n%s\nwant\n%s", got, want)
	}
	g := tb.toGrid("p1t1")
	if len(g.Rows) != 3 || len(g.Rows[1].Cells) != 3 || g.Rows[1].Cells[0].Text != "总计" {
		t.Errorf("grid rows %+v", g.Rows)
	}
}

// TestJoinPages checks a table cut by a page break: the row cut in two is joined,
// and a row span cut by the break goes on.
func TestJoinPages(t *testing.T) {
	mk := func(rows int, texts map[[2]int]string, spans map[[2]int]int) *table {
		tb := &table{page: 1, xs: []float64{0, 100, 150}}
		for r := 0; r <= rows; r++ {
			tb.ys = append(tb.ys, float64(500-30*r))
		}
		for r := 0; r < rows; r++ {
			for c := 0; c < 2; c++ {
				if s, ok := spans[[2]int{r, c}]; ok && s < 0 {
					continue
				}
				cell := &tcell{r0: r, r1: r, c0: c, c1: c, text: texts[[2]int{r, c}]}
				if s, ok := spans[[2]int{r, c}]; ok {
					cell.r1 = r + s
				}
				tb.cells = append(tb.cells, cell)
			}
		}
		return tb
	}
	a := mk(2, map[[2]int]string{{0, 0}: "1.本机关不掌握", {0, 1}: "3", {1, 0}: "3.补正后申请内容", {1, 1}: "1"}, nil)
	b := mk(2, map[[2]int]string{{0, 0}: "仍不明确", {1, 0}: "（五）不予处理", {1, 1}: "4"}, nil)
	if !sameColumns(a, b) {
		t.Fatal("same columns not seen")
	}
	join(a, b)
	want := `r0-0 c0-0 "1.本机关不掌握"; r0-0 c1-1 "3"; r1-1 c0-0 "3.补正后申请内容仍不明确"; r1-1 c1-1 "1"; r2-2 c0-0 "（五）不予处理"; r2-2 c1-1 "4"`
	if got := describe(a); got != want || a.rows() != 3 {
		t.Errorf("joined (%d rows)\n%s\nwant\n%s", a.rows(), got, want)
	}

	// A first row with a value is a row of its own.
	a = mk(1, map[[2]int]string{{0, 0}: "x", {0, 1}: "1"}, nil)
	b = mk(1, map[[2]int]string{{0, 0}: "y", {0, 1}: "2"}, nil)
	join(a, b)
	if a.rows() != 2 {
		t.Errorf("rows %d, want 2: %s", a.rows(), describe(a))
	}
}

func TestCMap(t *testing.T) {
	cmap := []byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <672C> endbfchar
2 beginbfrange <0020> <0022> <5E74> <0030> <0031> [<65B0> <6536>] endbfrange
endcmap`)
	f := &font{toUni: map[uint32]string{}}
	toks := cmapTokens(cmap)
	if len(toks) == 0 {
		t.Fatal("no tokens")
	}
	f.kind = "type0"
	readTokens(f, toks)
	got := ""
	for _, g := range f.decode("\x00\x10\x00\x20\x00\x30\x00\x31\x00\x03") {
		got += g.text
	}
	if got != "本年新收 " {
		t.Errorf("decoded %q, want %q", got, "本年新收 ")
	}
}
