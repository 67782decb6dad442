package safezip

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/govreport/govreport/extractor/bounds"
)

func TestUnsafeName(t *testing.T) {
	for name, bad := range map[string]bool{
		"word/document.xml": false, "[Content_Types].xml": false, "a/../b": true, "../x": true,
		"/etc/passwd": true, `word\document.xml`: true, "C:evil": true, "a\x00b": true, "": true, "\xff": true,
	} {
		if got := unsafeName(name) != ""; got != bad {
			t.Errorf("unsafeName(%q) = %q, want unsafe %v", name, unsafeName(name), bad)
		}
	}
}

func TestReadFileLimits(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"a", "b"} {
		w, _ := zw.Create(n)
		w.Write(bytes.Repeat([]byte("x"), 3000))
	}
	zw.Close()
	lim := bounds.DefaultLimits()
	lim.ZipEntryBytes, lim.ZipTotalBytes = 4000, 5000
	a, err := Open(buf.Bytes(), lim)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := a.ReadFile("a"); err != nil || len(b) != 3000 {
		t.Fatalf("a: %d bytes, %v", len(b), err)
	}
	if _, err := a.ReadFile("b"); !bounds.IsExceeded(err) {
		t.Fatalf("b: %v, want the container limit", err)
	}
	if _, err := a.ReadFile("c"); err == nil {
		t.Fatal("c: no error for a missing entry")
	}
}
