package extractor

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// BenchmarkAttachment parses the committed portal fixtures, one format per
// sub-benchmark; ns/op is the time per document.
func BenchmarkAttachment(b *testing.B) {
	for _, format := range attachFormats {
		files, _ := filepath.Glob(filepath.Join(attachDir, "portal-*."+format))
		if len(files) == 0 {
			b.Fatalf("no %s fixtures", format)
		}
		bodies := make([][]byte, len(files))
		for i, f := range files {
			var err error
			if bodies[i], err = os.ReadFile(f); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(format, func(b *testing.B) {
			if format == "doc" && !haveWvWare() {
				b.Skip("wvWare not installed")
			}
			i := 0
			for b.Loop() {
				if _, err := Parse(Input{URL: "http://portal.example.gov.cn/a." + format, Body: bodies[i%len(bodies)]}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// TestAttachmentRejections checks that the reader errors reach the rejection a
// caller sees: a zip bomb is too_large, an OFD unsupported, each with the reader's
// reason in the detail.
func TestAttachmentRejections(t *testing.T) {
	bomb := bombDocx(t, 80<<20)
	ofd := zipEntries(t, map[string]string{"OFD.xml": "<ofd:OFD/>"})
	for _, tt := range []struct {
		name   string
		body   []byte
		reason report.Reason
		detail string
	}{
		{"zip bomb", bomb, report.ReasonTooLarge, "docx attachment: zip entry word/document.xml inflates past"},
		{"ofd", ofd, report.ReasonUnsupported, "ofd attachment: OFD documents are not read yet"},
	} {
		_, err := Parse(Input{URL: "http://x.gov.cn/a", Body: tt.body})
		var rej *report.Rejection
		if !errors.As(err, &rej) || rej.Reason != tt.reason || !contains(rej.Detail, tt.detail) {
			t.Errorf("%s: got %v, want %s with %q", tt.name, err, tt.reason, tt.detail)
		}
	}
}

// zipEntries builds a zip of the given entries.
func zipEntries(t testing.TB, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombDocx is a .docx whose document part inflates to n spaces.
func bombDocx(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < n; i += len(chunk) {
		w.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
