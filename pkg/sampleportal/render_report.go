package sampleportal

import (
	"bytes"
	"strings"
)

// renderReport writes a report: the model of its article with the layout's
// variations applied, printed in the layout's form, inside the portal's chrome (or
// as a text file). A report published as an attachment gets its article page.
func renderReport(b *bytes.Buffer, s *site, d *reportDoc) {
	if d.attach != nil {
		renderAttachmentPage(b, s, d)
		return
	}
	l := d.layout
	blocks := articleBlocks(d, s.style)
	if l.noisy {
		noiseLabels(blocks, l.variant)
	}
	if l.traditional {
		traditionalArticle(blocks, l.fullTraditional)
	}
	if l.text {
		writeTextReport(b, d, blocks)
		return
	}
	if l.tradPage {
		// The portal's 繁體 version converts the page as it goes out: markup
		// and URLs are ASCII, every Chinese character of the page is converted.
		var page bytes.Buffer
		writeReportPage(&page, s, d, blocks)
		b.WriteString(traditional(page.String(), l.fullTraditional))
		return
	}
	writeReportPage(b, s, d, blocks)
}

// writeReportPage writes a report's HTML page: the chrome around the article
// printed in its form.
func writeReportPage(b *bytes.Buffer, s *site, d *reportDoc, blocks []block) {
	l := d.layout
	writeArticleOpen(b, s, d.article)
	switch l.form {
	case LayoutOneTable:
		writeOneTableArticle(b, s.style, blocks)
	case LayoutWord:
		writeWordArticle(b, l, blocks)
	case LayoutLines, LayoutTabs, LayoutPipes:
		writeFlatArticle(b, s.style, l, blocks)
	default:
		writeTablesArticle(b, s.style, blocks)
	}
	writeArticleClose(b, s)
}

// writeTablesArticle writes the article with one table per section.
func writeTablesArticle(b *bytes.Buffer, st style, blocks []block) {
	for _, bl := range blocks {
		writeBlock(b, st, bl)
	}
}

// writeBlock writes a heading, a paragraph, a signature line or a table in a site's
// style.
func writeBlock(b *bytes.Buffer, st style, bl block) {
	switch bl.kind {
	case blockHeading:
		heading(b, st, bl.text)
	case blockPara:
		para(b, bl.text)
	case blockSignature:
		b.WriteString("<p style=\"text-align:right\">" + esc(bl.text) + "</p>\n")
	case blockTable:
		writeTable(b, st, bl.table)
	}
}

// Column widths of the three tables on the 15-column grid of one table for
// everything (the label columns widened, as UCAP editors print them).
var (
	oneTableWidths = map[int][]int{
		2: {6, 3, 3, 3},
		3: {2, 3, 3, 1, 1, 1, 1, 1, 1, 1},
		4: {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	}
	oneTableWidth = 15
)

// writeOneTableArticle writes sections 二, 三 and 四 as one table whose rows include
// the three section headings; the other blocks as usual.
func writeOneTableArticle(b *bytes.Buffer, st style, blocks []block) {
	for _, bl := range oneTableBlocks(blocks) {
		writeBlock(b, st, bl)
	}
}

// oneTableBlocks returns the article with sections 二, 三 and 四 merged into one
// table, in the place of section 四's table: the section headings become full-width
// rows, the tables are rescaled to the common grid.
func oneTableBlocks(blocks []block) []block {
	one := &stable{width: oneTableWidth}
	var out []block
	for _, bl := range blocks {
		switch {
		case bl.kind == blockHeading && bl.section >= 2 && bl.section <= 4:
			one.rows = append(one.rows, []tcell{label(bl.text, oneTableWidth, 1)})
		case bl.kind == blockTable:
			one.rows = append(one.rows, bl.table.rescaled(oneTableWidths[bl.section]).rows...)
			if bl.section == 4 {
				out = append(out, block{kind: blockTable, section: 4, table: one})
			}
		default:
			out = append(out, bl)
		}
	}
	return out
}

// heading writes a section heading.
func heading(b *bytes.Buffer, st style, text string) {
	if st.headingTag {
		b.WriteString("<h3>" + esc(text) + "</h3>\n")
		return
	}
	b.WriteString("<p style=\"text-indent:2em\"><strong>" + esc(text) + "</strong></p>\n")
}

// para writes a paragraph of prose.
func para(b *bytes.Buffer, text string) {
	b.WriteString("<p style=\"text-indent:2em\">" + esc(text) + "</p>\n")
}

// signature writes the body and the date at the end of a document.
func signature(b *bytes.Buffer, who string, y, m, d int) {
	b.WriteString("<p style=\"text-align:right\">" + esc(who) + "</p>\n")
	b.WriteString("<p style=\"text-align:right\">" + esc(dateText(y, m, d)) + "</p>\n")
}

// splitNumbering splits a heading after its numbering ("二、主动公开…" → "二、",
// "主动公开…"), as flattened documents often print it over two lines.
func splitNumbering(h string) (num, rest string, ok bool) {
	i := strings.Index(h, "、")
	if i <= 0 || i > len("十二") {
		return "", h, false
	}
	return h[:i+len("、")], h[i+len("、"):], true
}
