package attachfixtures

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// KeepRowsWhole sets every table row of a .docx written by WriteDocx not to break
// across pages (w:cantSplit), as many reports are set up: a row whose cell holds
// several lines then moves whole to the next page instead of being printed half on
// each.
func KeepRowsWhole(docx []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		return nil, fmt.Errorf("open docx: %w", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if f.Name == "word/document.xml" {
			b = []byte(strings.ReplaceAll(string(b), "<w:tr>", "<w:tr><w:trPr><w:cantSplit/></w:trPr>"))
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: f.Method, Modified: f.Modified})
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", f.Name, err)
		}
		if _, err := w.Write(b); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("close docx: %w", err)
	}
	return out.Bytes(), nil
}
