package pdftext

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/ledongthuc/pdf"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/grid"
)

// Read reads a PDF's text layer. Errors: *bounds.Exceeded over a limit (streams,
// pages, operators, the deadline), *bounds.Unsupported for a file that cannot be
// parsed or opened (encrypted), a scan without text, or text without Unicode.
func Read(ctx context.Context, body []byte, lim bounds.Limits) (*grid.Document, error) {
	if err := checkStreams(body, lim); err != nil {
		return nil, err
	}
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, bounds.Unsupport(err, "not a readable PDF")
	}
	if n := r.Trailer().Key("Size").Int64(); n > int64(lim.PDFObjects) {
		return nil, bounds.Exceed(int64(lim.PDFObjects), "PDF declares %d objects, over the limit of", n)
	}
	ops := bounds.NewCounter(ctx, int64(lim.PDFObjects), "PDF content holds more operators than the limit of")
	budget := func(n int) {
		if err := ops.Add(int64(n)); err != nil {
			panic(stop{err})
		}
	}
	pages, err := pageList(r, lim.PDFPages, budget)
	if err != nil {
		return nil, err
	}
	doc := &grid.Document{Title: title(r)}
	var (
		perPage [][]block
		chars   int
		images  int
		fonts   []*font
	)
	for i, p := range pages {
		pc, fs, err := readPage(p, budget)
		if err != nil {
			return nil, err
		}
		fonts = append(fonts, fs...)
		chars += len(pc.chars)
		images += pc.images
		perPage = append(perPage, pageBlocks(i+1, pc))
	}
	if chars == 0 {
		if images > 0 {
			return nil, bounds.Unsupport(nil, "scanned PDF: no text layer (%d pages, %d images)", len(pages), images)
		}
		return doc, nil // no text: the extractor rejects it as empty
	}
	unmapped := 0
	for _, f := range fonts {
		unmapped += f.unmapped
	}
	if unmapped > chars {
		return nil, bounds.Unsupport(nil, "PDF text has no Unicode mapping (%d of %d characters undecodable): it reads like a scan", unmapped, unmapped+chars)
	}
	n := 0
	for _, b := range joinPages(perPage) {
		if b.table == nil {
			if b.blank {
				doc.Lines = append(doc.Lines, "")
			}
			doc.Lines = append(doc.Lines, b.line)
			continue
		}
		n++
		doc.Grids = append(doc.Grids, b.table.toGrid("p"+strconv.Itoa(b.table.page)+"t"+strconv.Itoa(n)))
		doc.Lines = append(doc.Lines, b.table.rowLines()...)
	}
	return doc, nil
}

// readPage interprets one page, turning an abort from the budget into its error.
func readPage(p pdf.Value, budget func(int)) (pc *pageContent, fonts []*font, err error) {
	defer func() {
		if r := recover(); r != nil {
			if s, ok := r.(stop); ok {
				pc, fonts, err = nil, nil, s.err
				return
			}
			panic(r)
		}
	}()
	pc = &pageContent{}
	in := &interpreter{out: pc, budget: budget}
	contents := p.Key("Contents")
	if contents.Kind() != pdf.Null {
		in.run(contents, inherited(p, "Resources"), identity)
	}
	return pc, in.fonts, nil
}

// pageList walks the page tree (depth and size bounded, so a cycle or a huge tree
// stops) and returns the page objects in order.
func pageList(r *pdf.Reader, maxPages int, budget func(int)) (pages []pdf.Value, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			if s, ok := rec.(stop); ok {
				pages, err = nil, s.err
				return
			}
			panic(rec)
		}
	}()
	root := r.Trailer().Key("Root").Key("Pages")
	if n := root.Key("Count").Int64(); n > int64(maxPages) {
		return nil, bounds.Exceed(int64(maxPages), "PDF has %d pages, over the limit of", n)
	}
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		budget(1)
		if depth > 32 {
			return bounds.Unsupport(nil, "PDF page tree is deeper than 32 levels")
		}
		switch v.Key("Type").Name() {
		case "Page":
			pages = append(pages, v)
			if len(pages) > maxPages {
				return bounds.Exceed(int64(maxPages), "PDF has more pages than the limit of")
			}
			return nil
		}
		kids := v.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			if err := walk(kids.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, bounds.Unsupport(nil, "PDF has no pages")
	}
	return pages, nil
}

// inherited returns a page attribute, looking up the page tree.
func inherited(p pdf.Value, key string) pdf.Value {
	for i := 0; i < 32 && p.Kind() == pdf.Dict; i++ {
		if v := p.Key(key); !v.IsNull() {
			return v
		}
		p = p.Key("Parent")
	}
	return pdf.Value{}
}

// title returns the document information Title when it names a report.
func title(r *pdf.Reader) string {
	t := r.Trailer().Key("Info").Key("Title").Text()
	if len([]rune(t)) > 100 {
		return ""
	}
	for _, w := range []string{"报告", "報告"} {
		if bytes.Contains([]byte(t), []byte(w)) {
			return t
		}
	}
	return ""
}

var _ = fmt.Sprint
