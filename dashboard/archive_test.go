package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
)

// TestArchive publishes raw documents to RAW (one inline, one in the object store,
// one attachment), points reports at them as the extractor does, and reads them back
// through /report/{id}/archive.
func TestArchive(t *testing.T) {
	ctx := context.Background()
	cfg := bus.DefaultConfig()
	cfg.MaxInlineBody = 4 << 10
	b, err := bus.Open(ctx, cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	conn, db := openFixture(t)
	s, err := New(DefaultConfig(), Deps{Warehouse: conn, Database: db, JS: b.JS}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	// A GBK page, served as such: the browser decodes it, we pass the bytes through.
	gbkPage := append([]byte(`<html><head><meta charset="gbk"><script>alert(1)</script></head><body>`), 0xd5, 0xfe, 0xb8, 0xae)
	big := bytes.Repeat([]byte("<p>row</p>"), 2000) // 20 KB: over the inline limit
	docx := []byte("PK\x03\x04 not really a docx")
	docs := []struct {
		id, url, ct string
		body        []byte
	}{
		{"d1", "http://bj.example/2022.html", "text/html; charset=GBK", gbkPage},
		{"d2", "http://bj.example/2023.html", "text/html", big},
		{"d3", "http://hb.example/sjz-2023.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx},
	}
	for _, d := range docs {
		doc, err := rawdoc.New(d.url, d.body, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		doc.DocID, doc.ContentType, doc.Kind = d.id, d.ct, rawdoc.KindPage
		doc.Site = rawdoc.Site{ID: "test"}
		ack, err := b.PublishRaw(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		record := fmt.Sprintf(`{"meta":{"doc_id":%q,"archive":{"stream":"RAW","seq":%d}}}`, d.id, ack.Sequence)
		if err := conn.Exec(ctx, "INSERT INTO "+db+".reports (doc_id, version, body, year, source_url, content_sha256, record) SELECT ?, 2, 'x', 2023, ?, ?, ?",
			d.id, d.url, doc.SHA256, record); err != nil {
			t.Fatal(err)
		}
	}
	// d5 points at a sequence that holds another document.
	if err := conn.Exec(ctx, "INSERT INTO "+db+".reports (doc_id, version, body, year, source_url, content_sha256, record) SELECT 'd5', 2, 'x', 2023, 'http://jl.example/x.html', 'sha-d5', '{\"meta\":{\"archive\":{\"stream\":\"RAW\",\"seq\":1}}}'"); err != nil {
		t.Fatal(err)
	}

	h := s.Handler()
	for _, d := range docs {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/report/"+d.id+"/archive", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d: %s", d.id, rec.Code, rec.Body)
			continue
		}
		if !bytes.Equal(rec.Body.Bytes(), d.body) {
			t.Errorf("%s: body differs (%d bytes, want %d)", d.id, rec.Body.Len(), len(d.body))
		}
		if got := rec.Header().Get("Content-Type"); got != d.ct {
			t.Errorf("%s: content type %q, want %q", d.id, got, d.ct)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q does not sandbox the copy", d.id, csp)
		}
		cd := rec.Header().Get("Content-Disposition")
		if isFile := !strings.Contains(d.ct, "html"); isFile != strings.HasPrefix(cd, "attachment;") {
			t.Errorf("%s: Content-Disposition %q", d.id, cd)
		}
	}
	// The report page frames a page and links a file.
	if _, body := get(t, h, "/report/d1"); !strings.Contains(body, `<iframe id="archive"`) {
		t.Error("d1 page does not frame its archived copy")
	}
	if _, body := get(t, h, "/report/d3"); !strings.Contains(body, `id="archive-download"`) {
		t.Error("d3 page does not link its archived file")
	}
	for path, want := range map[string]int{
		"/report/d5/archive":   http.StatusNotFound, // another document at that sequence
		"/report/d4/archive":   http.StatusNotFound, // no archive in its record
		"/report/nope/archive": http.StatusNotFound,
	} {
		if code, body := get(t, h, path); code != want {
			t.Errorf("%s: status %d, want %d (%s)", path, code, want, body)
		}
	}
}
