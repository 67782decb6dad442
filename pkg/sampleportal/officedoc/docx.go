package officedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DocxOptions vary how a document is written, as different editors write it.
type DocxOptions struct {
	// Seed drives where runs are split, whether a cell's lines are paragraphs or
	// breaks, and which header cells are stacked.
	Seed uint64
	// Stack writes short header labels of narrow columns one character per line,
	// as many reports print 自然人 or 商业企业 vertically.
	Stack bool
	// Title is the core property dc:title ("" writes none).
	Title string
}

// page geometry in twips: A4 with 2 cm margins.
const (
	pageWidth  = 11906
	pageHeight = 16838
	margin     = 1134
	textWidth  = pageWidth - 2*margin
)

// WriteDocx renders a document as a .docx.
func WriteDocx(d Doc, o DocxOptions) ([]byte, error) {
	w := &docxWriter{r: rand.New(rand.NewPCG(o.Seed, 0x646f6378)), o: o}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	w.b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	for _, bl := range d.Blocks {
		if bl.Table != nil {
			w.table(bl.Table)
			continue
		}
		w.paragraph(bl.Text, "")
	}
	fmt.Fprintf(&w.b, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`,
		pageWidth, pageHeight, margin, margin, margin, margin)
	w.b.WriteString(`</w:body></w:document>`)
	return pack(map[string]string{
		"[Content_Types].xml":          contentTypes,
		"_rels/.rels":                  rootRels,
		"word/_rels/document.xml.rels": docRels,
		"word/styles.xml":              styles,
		"docProps/core.xml":            coreProps(o.Title),
		"word/document.xml":            w.b.String(),
	}, []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/document.xml"})
}

type docxWriter struct {
	b bytes.Buffer
	r *rand.Rand
	o DocxOptions
}

// paragraph writes a paragraph: its text in runs split at random places, tabs as
// w:tab, line breaks as w:br. align is "" or "center".
func (w *docxWriter) paragraph(text, align string) {
	w.b.WriteString("<w:p>")
	if align != "" {
		fmt.Fprintf(&w.b, `<w:pPr><w:jc w:val="%s"/></w:pPr>`, align)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			w.b.WriteString("<w:r><w:br/></w:r>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				w.b.WriteString("<w:r><w:tab/></w:r>")
			}
			w.runs(part)
		}
	}
	w.b.WriteString("</w:p>")
}

// runs writes a text as one to three runs, split at random rune boundaries, with a
// proofing mark or a bookmark between some of them, as Word leaves them.
func (w *docxWriter) runs(s string) {
	if s == "" {
		return
	}
	rs := []rune(s)
	cuts := []int{0}
	if n := len(rs); n > 1 {
		for k := w.r.IntN(3); k > 0; k-- {
			cuts = append(cuts, 1+w.r.IntN(n-1))
		}
	}
	cuts = append(cuts, len(rs))
	sortInts(cuts)
	for i := 0; i+1 < len(cuts); i++ {
		piece := string(rs[cuts[i]:cuts[i+1]])
		if piece == "" {
			continue
		}
		if i > 0 && w.r.IntN(4) == 0 {
			w.b.WriteString(`<w:proofErr w:type="gramStart"/>`)
		}
		w.b.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">`)
		xml.EscapeText(&w.b, []byte(piece))
		w.b.WriteString("</w:t></w:r>")
	}
}

// table writes a table: the grid from the cells' spans, w:gridSpan across columns,
// w:vMerge restart/continue down rows.
func (w *docxWriter) table(t *Table) {
	occ := t.layout()
	if len(occ) == 0 {
		return
	}
	widths := columnWidths(occ)
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&w.b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	w.b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, wd)
	}
	w.b.WriteString("</w:tblGrid>")
	for r, row := range occ {
		w.b.WriteString("<w:tr>")
		for c := 0; c < len(row); {
			s := row[c]
			if s.cell == nil {
				fmt.Fprintf(&w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p/></w:tc>`, widths[c])
				c++
				continue
			}
			cs := 1
			for c+cs < len(row) && row[c+cs].cell == s.cell {
				cs++
			}
			width := 0
			for k := c; k < c+cs; k++ {
				width += widths[k]
			}
			fmt.Fprintf(&w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
			if cs > 1 {
				fmt.Fprintf(&w.b, `<w:gridSpan w:val="%d"/>`, cs)
			}
			rowspan := max(s.cell.RowSpan, 1) > 1
			switch {
			case rowspan && s.top:
				w.b.WriteString(`<w:vMerge w:val="restart"/>`)
			case rowspan:
				w.b.WriteString(`<w:vMerge/>`)
			}
			w.b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			if s.top {
				w.cellText(s.cell.Text, r, cs, width)
			} else {
				w.b.WriteString("<w:p/>")
			}
			w.b.WriteString("</w:tc>")
			c += cs
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
	// Word needs a paragraph between two tables, or it joins them.
	w.b.WriteString("<w:p/>")
}

// cellText writes a cell's paragraphs: its lines as paragraphs or breaks, or a
// short header label stacked one character per paragraph.
func (w *docxWriter) cellText(text string, row, span, width int) {
	if text == "" {
		w.b.WriteString("<w:p/>")
		return
	}
	if w.o.Stack && row < 4 && span == 1 && width < 800 && stackable(text) {
		for _, r := range text {
			w.paragraph(string(r), "center")
		}
		return
	}
	if w.r.IntN(2) == 0 {
		w.paragraph(text, "")
		return
	}
	for _, l := range strings.Split(text, "\n") {
		w.paragraph(l, "")
	}
}

// stackable reports whether a label is 2 to 6 Han characters.
func stackable(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 6 {
		return false
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// columnWidths sizes the grid columns by the longest line of the single-column
// cells in each, scaled to the text width.
func columnWidths(occ [][]slot) []int {
	n := len(occ[0])
	want := make([]int, n)
	for _, row := range occ {
		for c, s := range row {
			if s.cell == nil || !s.anchor || max(s.cell.ColSpan, 1) > 1 {
				continue
			}
			for _, l := range strings.Split(s.cell.Text, "\n") {
				want[c] = max(want[c], min(utf8.RuneCountInString(l), 16))
			}
		}
	}
	total := 0
	for c := range want {
		want[c] = max(want[c], 3)
		total += want[c]
	}
	out := make([]int, n)
	for c := range want {
		out[c] = textWidth * want[c] / total
	}
	return out
}

func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// pack zips files in the given order with fixed times, so output is reproducible.
func pack(files map[string]string, order []string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", name, err)
		}
		if _, err := fw.Write([]byte(files[name])); err != nil {
			return nil, fmt.Errorf("zip %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

func coreProps(title string) string {
	var t bytes.Buffer
	xml.EscapeText(&t, []byte(title))
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + t.String() + `</dc:title></cp:coreProperties>`
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="DejaVu Sans" w:hAnsi="DejaVu Sans" w:eastAsia="WenQuanYi Micro Hei"/><w:sz w:val="20"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`
