package attach

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/decode"
)

// fuzzConfig keeps every fuzz input small and quick.
func fuzzConfig() Config {
	c := DefaultConfig()
	c.Limits.ZipEntryBytes, c.Limits.ZipTotalBytes, c.Limits.PDFStreamBytes = 8<<20, 16<<20, 8<<20
	c.Limits.SheetCells, c.Limits.XMLTokens, c.Limits.PDFObjects = 200_000, 1_000_000, 500_000
	c.Limits.Timeout = 5 * time.Second
	c.WvWare = "wvWare-not-run-in-fuzzing"
	return c
}

// fuzzRead reads any bytes as format and requires a document or a rejection
// (exceeded or unsupported): never a panic or another error.
func fuzzRead(t *testing.T, body []byte, format decode.Format) {
	_, _, err := Read(context.Background(), body, format, fuzzConfig())
	if err != nil && !bounds.IsExceeded(err) && !bounds.IsUnsupported(err) {
		t.Fatalf("error that is not a rejection: %v", err)
	}
	if err != nil && os.Getenv("FUZZ_PANICS") != "" && strings.Contains(err.Error(), "panic:") {
		// Guard turns a panic into a rejection; FUZZ_PANICS=1 shows them, to
		// find the ones in our own code.
		t.Fatalf("reader panicked: %v", err)
	}
}

func addFixtures(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join(fixtures, pattern))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzDocx(f *testing.F) {
	addFixtures(f, "*.docx")
	f.Add(zipOf(f, [2]string{"word/document.xml", "<w:document><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"99999\"/><w:vMerge/></w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>"}))
	f.Fuzz(func(t *testing.T, body []byte) { fuzzRead(t, body, decode.FormatZip) })
}

func FuzzXLSX(f *testing.F) {
	addFixtures(f, "*.xlsx")
	f.Fuzz(func(t *testing.T, body []byte) { fuzzRead(t, body, decode.FormatZip) })
}

func FuzzPDF(f *testing.F) {
	addFixtures(f, "seed-00[03].pdf")
	f.Add(pdfOf([]byte("BT /F1 12 Tf 10 10 Td (x) Tj ET 0 0 m 10 0 l S"), false, "<< >>"))
	f.Fuzz(func(t *testing.T, body []byte) { fuzzRead(t, body, decode.FormatPDF) })
}

func FuzzXLS(f *testing.F) {
	addFixtures(f, "*.xls")
	f.Fuzz(func(t *testing.T, body []byte) { fuzzRead(t, body, decode.FormatOffice) })
}
