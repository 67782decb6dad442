package sampleportal

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"unicode/utf8"
)

// Word-exported HTML, as bodies paste it from a .doc saved as a web page: every
// paragraph a MsoNormal <p> with <span>s (and on some documents <font>s), numbers
// and words split across tags where Word's revision marks or spell-checker cut
// the runs (2</span><span>3 is 23), long header words broken with <br>, empty
// cells holding <o:p>&nbsp;</o:p>, a column grid finer than the template's (the
// header and data rows use different spans), and Word's spacer row of empty cells
// closing each table.

// wordWidths are the template columns' widths on Word's finer grid, per section.
var wordWidths = map[int][]int{
	2: {3, 2, 2, 2},
	3: {1, 1, 2, 2, 2, 2, 2, 2, 2, 2},
	4: {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
}

// Variant bits of the Word form (layout.variant; bits 0–4 are the flat forms').
const (
	bitFonts  = 8  // wrap cell text in <font face="宋体">
	bitSplits = 9  // split numbers across spans
	bitBrs    = 10 // break header words with <br>
)

// brLabels are the header words Word breaks over two lines in a narrow column, and
// where (labels changed by noise or traditional characters are left whole).
var brLabels = map[string]int{
	"商业企业": 2, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 2, "结果维持": 2, "结果纠正": 2,
	"其他结果": 2, "尚未审结": 2, "本年新制作数量": 3, "本年新公开数量": 3, "对外公开总数量": 4,
	"上一年项目数量": 3, "处理决定数量": 2, "本年制发件数": 2, "本年废止件数": 2, "现行有效件数": 2,
}

// writeWordArticle writes the article as Word's HTML.
func writeWordArticle(b *bytes.Buffer, l layout, blocks []block) {
	w := wordWriter{b: b, l: l, r: rand.New(rand.NewPCG(uint64(l.variant), 0x3d0c))}
	b.WriteString("<div class=\"WordSection1\" style=\"layout-grid:15.6pt\">\n")
	for _, bl := range blocks {
		switch bl.kind {
		case blockHeading:
			b.WriteString("<p class=\"MsoNormal\" style=\"text-indent:32.0pt;line-height:28.0pt\"><b><span style=\"font-size:16.0pt;font-family:黑体\">" +
				w.runs(bl.text) + "</span></b></p>\n")
		case blockPara:
			b.WriteString("<p class=\"MsoNormal\" style=\"text-indent:32.0pt;line-height:28.0pt\"><span style=\"font-size:16.0pt;font-family:仿宋_GB2312\">" +
				w.runs(bl.text) + "</span></p>\n")
		case blockSignature:
			b.WriteString("<p class=\"MsoNormal\" align=\"right\" style=\"text-align:right\"><span style=\"font-size:16.0pt;font-family:仿宋_GB2312\">" +
				esc(bl.text) + "</span></p>\n")
		case blockTable:
			w.table(bl.table.rescaled(wordWidths[bl.section]))
			b.WriteString("<p class=\"MsoNormal\"><span lang=\"EN-US\"><o:p>&nbsp;</o:p></span></p>\n")
		}
	}
	b.WriteString("</div>\n")
}

type wordWriter struct {
	b *bytes.Buffer
	l layout
	r *rand.Rand
}

// runs escapes a paragraph's text and now and then cuts it into two spans.
func (w wordWriter) runs(text string) string {
	n := utf8.RuneCountInString(text)
	if n < 4 || !chance(w.r, 0.3) {
		return esc(text)
	}
	rs := []rune(text)
	k := 1 + w.r.IntN(n-1)
	return esc(string(rs[:k])) + "</span><span style=\"font-size:16.0pt;font-family:仿宋_GB2312\">" + esc(string(rs[k:]))
}

func (w wordWriter) table(t *stable) {
	b := w.b
	colW := 41
	b.WriteString("<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"" + strconv.Itoa(colW*t.width) +
		"\" style=\"width:" + strconv.Itoa(colW*t.width*3/4) + ".0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt\">\n")
	for _, row := range t.rows {
		b.WriteString(" <tr style=\"height:20.25pt\">\n")
		for _, c := range row {
			b.WriteString("  <td width=\"" + strconv.Itoa(colW*c.colspan) + "\"" + spanAttrs(c) +
				" valign=\"center\" style=\"width:" + strconv.Itoa(colW*c.colspan*3/4) + ".0pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt\">\n")
			b.WriteString("  <p class=\"MsoNormal\" align=\"center\" style=\"text-align:center\">" + w.cell(c) + "</p>\n  </td>\n")
		}
		b.WriteString(" </tr>\n")
	}
	b.WriteString(" <![if !supportMisalignedColumns]>\n <tr height=\"0\">\n")
	for range t.width {
		b.WriteString("  <td width=\"" + strconv.Itoa(colW) + "\" style=\"border:none\"></td>\n")
	}
	b.WriteString(" </tr>\n <![endif]>\n</table>\n")
}

// cell writes a cell's paragraph content.
func (w wordWriter) cell(c tcell) string {
	const open = "<span lang=\"EN-US\" style=\"font-size:10.5pt;font-family:宋体\">"
	wrap := func(s string) string {
		if w.l.bit(bitFonts) {
			s = "<font face=\"宋体\">" + s + "</font>"
		}
		return open + s + "</span>"
	}
	switch {
	case c.text == "":
		return "<span lang=\"EN-US\"><o:p>&nbsp;</o:p></span>"
	case c.number && w.l.bit(bitSplits) && utf8.RuneCountInString(c.text) > 1 && chance(w.r, 0.5):
		rs := []rune(c.text)
		k := 1 + w.r.IntN(len(rs)-1)
		return wrap(esc(string(rs[:k]))) + wrap(esc(string(rs[k:])))
	case c.label && w.l.bit(bitBrs):
		if k, ok := brLabels[c.text]; ok && k < utf8.RuneCountInString(c.text) {
			rs := []rune(c.text)
			return wrap(esc(string(rs[:k])) + "<br>\n" + esc(string(rs[k:])))
		}
	}
	return wrap(esc(c.text))
}
