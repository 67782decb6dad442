package sampleportal

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path"
	"strings"

	"github.com/govreport/govreport/pkg/sampleportal/officedoc"
)

// Reports published only as an attachment (Config.AttachmentRate): the report
// column links an article page that says the report is attached ("详见附件") and
// links the file, named as TRS names uploads (P0 + the upload date + a serial
// number, in the article's directory). The file is a Word document or a workbook
// holding the whole report: the title as its first line, the article (prose,
// headings, tables with their spans), the body's name and, in most documents, the
// date it was signed.

// Attachment formats.
const (
	// FormatDocx is a Word document (.docx).
	FormatDocx = "docx"
	// FormatXLSX is an Excel workbook (.xlsx).
	FormatXLSX = "xlsx"
)

// attachStream offsets the PCG streams of the attachment choices from the sites'
// and the layouts', so that the reports not attached are as they would be without
// attachments.
const attachStream = 0xa77a_0000_0000

// attachDatedRate is the share of attached documents that end with the date they
// were signed; the others end with the body's name (the page carries the date).
const attachDatedRate = 0.75

// attachment is how a report published as an attachment is served.
type attachment struct {
	format string // FormatDocx or FormatXLSX
	serial int64  // the upload's serial number in its file name
	dated  bool   // the document ends with the date
	seed   uint64 // drives the writer's choices (run splits, stacked headers, sheets)
	path   string // set when the articles are numbered
}

// pickAttachment draws how a report is published as an attachment.
func pickAttachment(r *rand.Rand) *attachment {
	a := &attachment{format: FormatDocx, seed: r.Uint64()}
	if r.IntN(2) == 1 {
		a.format = FormatXLSX
	}
	a.serial = between(r, 100_000_000_000, 999_999_999_999)
	a.dated = chance(r, attachDatedRate)
	return a
}

// attachedLayout is the layout of a report whose document is attached: a Word
// document or a workbook prints its tables as tables (one per section, or one for
// everything); the variations of the page (a text file, a page converted to
// traditional characters, its container) do not apply to a file.
func attachedLayout(l layout) layout {
	if l.form != LayoutOneTable {
		l.form = LayoutTables
	}
	l.text, l.tradPage, l.unboxed = false, false, false
	return l
}

// recordPath returns the path of the document a report's record is read from: its
// attachment's, or its page's.
func (d *reportDoc) recordPath() string {
	if d.attach != nil {
		return d.attach.path
	}
	return d.path
}

// fileName returns the attachment's file name: P0, the upload date, the serial.
func (a *attachment) fileName(d *reportDoc) string {
	return fmt.Sprintf("P0%s%d.%s", d.pub.Format("20060102"), a.serial, a.format)
}

// contentType returns the attachment's Content-Type.
func (a *attachment) contentType() string {
	if a.format == FormatXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

// contentDisposition returns the attachment's Content-Disposition: the stored
// name, and the report's title as the name to save it under (RFC 6266).
func (a *attachment) contentDisposition(d *reportDoc) string {
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, a.fileName(d),
		url.PathEscape(d.title+"."+a.format))
}

// attachmentDoc builds the attached document of a report: its title, the article
// with the layout's variations, and the signature (the date only when dated).
func attachmentDoc(d *reportDoc, st style) officedoc.Doc {
	blocks := articleBlocks(d, st)
	if d.layout.noisy {
		noiseLabels(blocks, d.layout.variant)
	}
	if d.layout.traditional {
		traditionalArticle(blocks, d.layout.fullTraditional)
	}
	if d.layout.form == LayoutOneTable {
		blocks = oneTableBlocks(blocks)
	}
	if !d.attach.dated {
		blocks = blocks[:len(blocks)-1] // the date is the last signature line
	}
	doc := officedoc.Doc{Blocks: []officedoc.Block{{Text: d.title}}}
	for _, bl := range blocks {
		if bl.kind != blockTable {
			doc.Blocks = append(doc.Blocks, officedoc.Block{Text: bl.text})
			continue
		}
		t := &officedoc.Table{}
		for _, row := range bl.table.rows {
			cells := make([]officedoc.Cell, len(row))
			for i, c := range row {
				cells[i] = officedoc.Cell{Text: c.text, ColSpan: c.colspan, RowSpan: c.rowspan}
			}
			t.Rows = append(t.Rows, cells)
		}
		doc.Blocks = append(doc.Blocks, officedoc.Block{Table: t})
	}
	return doc
}

// renderAttachment writes a report's attached file.
func renderAttachment(b *bytes.Buffer, s *site, d *reportDoc) error {
	doc := attachmentDoc(d, s.style)
	var out []byte
	var err error
	if d.attach.format == FormatXLSX {
		out, err = officedoc.WriteXLSX(doc, officedoc.XLSXOptions{SheetPerTable: d.attach.seed%3 == 1})
	} else {
		out, err = officedoc.WriteDocx(doc, officedoc.DocxOptions{Seed: d.attach.seed, Stack: d.attach.seed%2 == 0})
	}
	if err != nil {
		return fmt.Errorf("render %s attachment of %s: %w", d.attach.format, d.path, err)
	}
	b.Write(out)
	return nil
}

// renderAttachmentPage writes the article page of a report published as an
// attachment: a line saying the report is attached and the link to the file.
func renderAttachmentPage(b *bytes.Buffer, s *site, d *reportDoc) {
	writeArticleOpen(b, s, d.article)
	name := d.title + "." + d.attach.format
	para(b, "根据《中华人民共和国政府信息公开条例》规定，现将《"+d.title+"》予以公开，详见附件。")
	b.WriteString("<p>附件：<a href=\"./" + path.Base(d.attach.path) + "\" title=\"" + esc(name) + "\" target=\"_blank\">" + esc(name) + "</a></p>\n")
	b.WriteString("<p style=\"text-align:right\">" + esc(strings.TrimSpace(d.body.name)) + "</p>\n")
	writeArticleClose(b, s)
}
