package sampleportal

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// attachConfig is a portal with about a third of its reports attached.
func attachConfig() Config {
	c := DefaultConfig()
	c.Seed, c.Sites, c.ReportsPerSite, c.AnomalyRate = 20261123, 9, 7, 0.3
	c.AttachmentRate = 0.3
	return c
}

func fetch(t *testing.T, h http.Handler, p string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", p, rec.Code, rec.Body.String())
	}
	return rec
}

// TestAttachmentsLeaveTheRestAsItWas: the attachment choices are drawn on streams of
// their own, so a portal with attachments serves every other page byte for byte as
// the portal without them, and lists the same reports at the same paths.
func TestAttachmentsLeaveTheRestAsItWas(t *testing.T) {
	with := mustGenerate(t, attachConfig())
	plainCfg := attachConfig()
	plainCfg.AttachmentRate = 0
	plain := mustGenerate(t, plainCfg)
	const base = "http://portal.example.gov.cn"
	plainExp := plain.Expected(base)
	withExp := with.Expected(base)
	if len(plainExp) != len(withExp) {
		t.Fatalf("%d reports with attachments, %d without", len(withExp), len(plainExp))
	}
	attached := 0
	for i, e := range withExp {
		if e.Attachment != nil {
			attached++
			if e.Attachment.PagePath != plainExp[i].Path {
				t.Errorf("attachment page %s, the report was at %s", e.Attachment.PagePath, plainExp[i].Path)
			}
			continue
		}
		a, _ := json.Marshal(e)
		b, _ := json.Marshal(plainExp[i])
		if !bytes.Equal(a, b) {
			t.Errorf("%s: expected record changed by attachments elsewhere", e.Path)
		}
	}
	if attached == 0 || attached == len(withExp) {
		t.Fatalf("%d of %d reports attached at rate 0.3", attached, len(withExp))
	}
	pages := map[string]bool{}
	for _, p := range plain.paths {
		pages[p] = true
	}
	files := 0
	for _, p := range with.paths {
		pg := with.pages[p]
		switch {
		case pg.kind == pageAttachment:
			files++
		case pg.kind == pageReport && pg.report.attach != nil:
		case !pages[p]:
			t.Errorf("%s served only with attachments", p)
		case !bytes.Equal(with.render(pg), plain.render(plain.pages[p])):
			t.Errorf("%s differs from the portal without attachments", p)
		}
	}
	if files != attached || len(with.paths) != len(plain.paths)+files {
		t.Errorf("%d files served for %d attachments; %d paths, %d without", files, attached, len(with.paths), len(plain.paths))
	}
}

// TestAttachmentsServed fetches every attachment and its article page: the page
// says the report is attached and links the file; the file is a .docx or .xlsx
// served with its Content-Type and Content-Disposition, and holds the title, the
// tables with their spans and the values of the record, and the date only when
// Dated.
func TestAttachmentsServed(t *testing.T) {
	p := mustGenerate(t, attachConfig())
	const base = "http://portal.example.gov.cn"
	h := p.Handler()
	linked := map[string]string{} // file URL → page path
	for _, n := range p.Notices(base) {
		if n.Attachment != "" {
			linked[n.Attachment] = n.Path
		}
	}
	formats := map[string]int{}
	dated := map[bool]int{}
	for _, e := range p.Expected(base) {
		a := e.Attachment
		if a == nil {
			continue
		}
		formats[a.Format]++
		dated[a.Dated]++
		if linked[e.URL] != a.PagePath {
			t.Errorf("%s: Notices lists page %q for it, want %s", e.Path, linked[e.URL], a.PagePath)
		}
		if e.Record.Meta.SourceURL != e.URL || e.Record.Meta.SiteIDCode != "" {
			t.Errorf("%s: record meta %+v", e.Path, e.Record.Meta)
		}
		if (e.Record.Meta.PublishedAt != "") != a.Dated {
			t.Errorf("%s: published_at %q, dated %v", e.Path, e.Record.Meta.PublishedAt, a.Dated)
		}
		if strings.Contains(e.Layout, "text") || strings.Contains(e.Layout, "unboxed") ||
			!(strings.HasPrefix(e.Layout, "tables") || strings.HasPrefix(e.Layout, "one_table")) {
			t.Errorf("%s: layout %s for a file", e.Path, e.Layout)
		}

		page := fetch(t, h, a.PagePath).Body.String()
		if !strings.Contains(page, "详见附件") || !strings.Contains(page, `href="./`+a.FileName+`"`) {
			t.Errorf("%s: the page does not say 详见附件 and link ./%s", a.PagePath, a.FileName)
		}
		if strings.Contains(page, "<table") && !strings.Contains(page, "xglj") {
			t.Errorf("%s: the article page holds a table", a.PagePath)
		}

		rec := fetch(t, h, e.Path)
		body := rec.Body.Bytes()
		if ct := rec.Header().Get("Content-Type"); ct != a.ContentType {
			t.Errorf("%s: Content-Type %q, want %q", e.Path, ct, a.ContentType)
		}
		_, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
		if err != nil || params["filename"] != e.Record.Meta.Title+"."+a.Format {
			// mime decodes filename* (RFC 2231) into filename.
			t.Errorf("%s: Content-Disposition %q: %v", e.Path, rec.Header().Get("Content-Disposition"), err)
		}
		if !strings.HasPrefix(a.FileName, "P0"+strings.ReplaceAll(e.Record.Meta.PublishedAt, "-", "")) && a.Dated {
			t.Errorf("%s: file name %s does not carry the upload date %s", e.Path, a.FileName, e.Record.Meta.PublishedAt)
		}
		if path.Ext(e.Path) != "."+a.Format {
			t.Errorf("%s: format %s", e.Path, a.Format)
		}
		if again := fetch(t, h, e.Path).Body.Bytes(); !bytes.Equal(body, again) {
			t.Errorf("%s: two requests, two different files", e.Path)
		}
		text := fileText(t, a.Format, body)
		if !strings.HasPrefix(text, e.Record.Meta.Title) {
			t.Errorf("%s: the document does not start with its title: %.80q", e.Path, text)
		}
		d := p.pages[a.PagePath].report
		date := dateText(d.pub.Year(), int(d.pub.Month()), d.pub.Day())
		if strings.Contains(text, date) != a.Dated {
			t.Errorf("%s: dated %v, but the date %s in the document: %v", e.Path, a.Dated, date, !a.Dated)
		}
		if a.Format == FormatDocx && !strings.Contains(text, "gridSpan") && !strings.Contains(text, "vMerge") {
			t.Errorf("%s: no merged cells in the document", e.Path)
		}
	}
	if formats[FormatDocx] == 0 || formats[FormatXLSX] == 0 || dated[true] == 0 || dated[false] == 0 {
		t.Fatalf("formats %v, dated %v: want both formats, dated and undated", formats, dated)
	}
	t.Logf("attachments: %v, dated %d, undated %d", formats, dated[true], dated[false])
}

// fileText returns the text of a served file: a .docx's document.xml with its
// text runs joined (markup kept, so the spans can be checked), or an .xlsx's
// cells row by row; the title must come first in either.
func fileText(t *testing.T, format string, body []byte) string {
	t.Helper()
	if format == FormatXLSX {
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("open xlsx: %v", err)
		}
		defer f.Close()
		var b strings.Builder
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				b.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		return b.String()
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("open docx: %v", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Join the runs: drop the tags between two pieces of text, keep the
		// others as they are.
		s := string(x)
		var b strings.Builder
		for _, part := range strings.Split(s, "<w:t xml:space=\"preserve\">")[1:] {
			b.WriteString(part[:strings.Index(part, "</w:t>")])
		}
		if strings.Contains(s, "w:gridSpan") {
			b.WriteString(" gridSpan")
		}
		if strings.Contains(s, "w:vMerge") {
			b.WriteString(" vMerge")
		}
		return b.String()
	}
	t.Fatal("no word/document.xml in the docx")
	return ""
}
