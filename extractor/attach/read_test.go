package attach

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/decode"
)

const fixtures = "../testdata/attach"

// zipOf builds a zip of the given entries (name, content) in order.
func zipOf(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombZip is a .docx whose document part inflates to n bytes of one character.
func bombZip(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for written := 0; written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfOf builds a one-page PDF with the given content stream (Flate-compressed
// when flate) and page resources, with a correct cross-reference table.
func pdfOf(content []byte, flate bool, resources string, extra ...string) []byte {
	var stream bytes.Buffer
	filter := ""
	if flate {
		zw := zlib.NewWriter(&stream)
		zw.Write(content)
		zw.Close()
		filter = "/Filter /FlateDecode "
	} else {
		stream.Write(content)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + " >>",
		fmt.Sprintf("<< %s/Length %d >>\nstream\n%s\nendstream", filter, stream.Len(), stream.String()),
	}
	objs = append(objs, extra...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// TestHostileDocuments feeds documents built to hurt a reader and checks each is
// rejected with the right kind of error and a reason that names the problem —
// never a panic, a hang or a plain error.
func TestHostileDocuments(t *testing.T) {
	small := DefaultConfig()
	small.Limits.ZipEntryBytes, small.Limits.ZipTotalBytes, small.Limits.PDFStreamBytes = 4<<20, 8<<20, 4<<20
	manyEntries := make([][2]string, 0, 2100)
	for i := range 2100 {
		manyEntries = append(manyEntries, [2]string{fmt.Sprintf("f%d.xml", i), ""})
	}
	docx, err := os.ReadFile(filepath.Join(fixtures, "portal-tables-1.docx"))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(filepath.Join(fixtures, "portal-tables-1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	deep := "<w:document><w:body>" + strings.Repeat("<w:p>", 1000) + strings.Repeat("</w:p>", 1000) + "</w:body></w:document>"
	zeros := make([]byte, 8<<20)
	tests := []struct {
		name     string
		body     []byte
		format   decode.Format
		cfg      Config
		exceeded bool   // else unsupported
		detail   string // in the error's text
	}{
		{"zip bomb (entry limit)", bombZip(t, 70<<20), decode.FormatZip, DefaultConfig(), true, "inflates past the entry limit"},
		{"zip bomb (ratio)", bombZip(t, 3<<20), decode.FormatZip, DefaultConfig(), true, "ratio limit"},
		{"zip bomb (small limits)", bombZip(t, 5<<20), decode.FormatZip, small, true, "inflates past"},
		{"huge entry count", zipOf(t, manyEntries...), decode.FormatZip, DefaultConfig(), true, "entries, over the limit"},
		{"path escapes", zipOf(t, [2]string{"../../etc/passwd", "x"}, [2]string{"word/document.xml", "<w:document/>"}), decode.FormatZip, DefaultConfig(), false, "escapes the container"},
		{"absolute path", zipOf(t, [2]string{"/word/document.xml", "x"}), decode.FormatZip, DefaultConfig(), false, "absolute path"},
		{"duplicate entry", zipOf(t, [2]string{"word/document.xml", "a"}, [2]string{"WORD/document.xml", "b"}), decode.FormatZip, DefaultConfig(), false, "appears twice"},
		{"truncated zip", docx[:len(docx)/2], decode.FormatZip, DefaultConfig(), false, "not a readable zip"},
		{"deep xml", zipOf(t, [2]string{"word/document.xml", deep}), decode.FormatZip, DefaultConfig(), true, "deeper than the limit"},
		{"broken xml", zipOf(t, [2]string{"word/document.xml", "<w:document><w:body><w:p>"}), decode.FormatZip, DefaultConfig(), false, "not well-formed XML"},
		{"ofd", zipOf(t, [2]string{"OFD.xml", "<ofd:OFD/>"}), decode.FormatZip, DefaultConfig(), false, "OFD"},
		{"pptx", zipOf(t, [2]string{"ppt/presentation.xml", "<p/>"}), decode.FormatZip, DefaultConfig(), false, "PowerPoint"},
		{"plain archive", zipOf(t, [2]string{"report.txt", "x"}), decode.FormatZip, DefaultConfig(), false, "not an Office document"},
		{"truncated pdf", pdf[:len(pdf)*6/10], decode.FormatPDF, DefaultConfig(), false, "PDF"},
		{"pdf decompression bomb", pdfOf(zeros, true, "<< >>"), decode.FormatPDF, small, true, "PDF streams inflate past the limit"},
		{"scanned pdf", pdfOf([]byte("q 595 0 0 842 0 0 cm /Im1 Do Q"), false, "<< /XObject << /Im1 5 0 R >> >>",
			"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream"),
			decode.FormatPDF, DefaultConfig(), false, "scanned PDF: no text layer"},
		{"pdf operator flood", pdfOf(bytes.Repeat([]byte("q Q "), 1_100_000), true, "<< >>"), decode.FormatPDF, DefaultConfig(), true, "operators than the limit"},
		{"not an ole file", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), decode.FormatOffice, DefaultConfig(), false, "OLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := Read(context.Background(), tt.body, tt.format, tt.cfg)
			switch {
			case err == nil:
				t.Fatalf("read without error, want a rejection containing %q", tt.detail)
			case tt.exceeded && !bounds.IsExceeded(err):
				t.Fatalf("got %v (%T), want a limit exceeded", err, err)
			case !tt.exceeded && !bounds.IsUnsupported(err):
				t.Fatalf("got %v (%T), want unsupported", err, err)
			case !strings.Contains(err.Error(), tt.detail):
				t.Fatalf("got %q, want it to say %q", err, tt.detail)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestDeadline checks that a reader stops at the deadline: a cancelled context
// stops a large document with the time limit as the reason.
func TestDeadline(t *testing.T) {
	var b strings.Builder
	b.WriteString("<w:document><w:body>")
	for i := range 20000 {
		fmt.Fprintf(&b, "<w:p><w:r><w:t>line %d</w:t></w:r></w:p>", i)
	}
	b.WriteString("</w:body></w:document>")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := Read(ctx, zipOf(t, [2]string{"word/document.xml", b.String()}), decode.FormatZip, DefaultConfig())
	if !bounds.IsExceeded(err) || !strings.Contains(err.Error(), "time limit") {
		t.Fatalf("got %v, want the time limit exceeded", err)
	}
}

// TestMissingConverter checks the rejection of a .doc when wvWare is not there.
func TestMissingConverter(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(fixtures, "seed-000.doc"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.WvWare = "wvWare-not-installed"
	_, kind, err := Read(context.Background(), body, decode.FormatOffice, cfg)
	if kind != KindDoc || !bounds.IsUnsupported(err) || !strings.Contains(err.Error(), "apt-get install wv") {
		t.Fatalf("got %s, %v; want doc, unsupported with the install hint", kind, err)
	}
}

// TestKinds checks that every fixture is recognised as what it is.
func TestKinds(t *testing.T) {
	want := map[string]Kind{".docx": KindDocx, ".xlsx": KindXLSX, ".pdf": KindPDF, ".xls": KindXLS, ".doc": KindDoc}
	files, _ := filepath.Glob(filepath.Join(fixtures, "portal-*.*"))
	n := 0
	for _, f := range files {
		k, ok := want[filepath.Ext(f)]
		if !ok {
			continue
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		cfg.WvWare = "true" // the kind is decided before the converter runs
		_, got, _ := Read(context.Background(), body, decode.Detect(body, ""), cfg)
		if got != k {
			t.Errorf("%s: kind %s, want %s", f, got, k)
		}
		n++
	}
	if n < 25 {
		t.Fatalf("only %d fixtures checked", n)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate("x"); err != nil {
		t.Fatal(err)
	}
	bad := DefaultConfig()
	bad.Limits.ZipRatio, bad.Limits.Timeout, bad.WvWare = 0, time.Millisecond, ""
	err := bad.Validate("extractor.attachments")
	for _, want := range []string{"extractor.attachments.limits.zip_ratio", "extractor.attachments.limits.timeout", "extractor.attachments.wvware"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want it to name %s", err, want)
		}
	}
}
