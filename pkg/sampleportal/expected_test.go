package sampleportal

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestExpectedFileName(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/site-001/art/2021/1/25/art_1234_5678.html", "site-001/art_2021_1_25_art_1234_5678.json"},
		{"/site-012/art/2024/3/9/art_99_1.html", "site-012/art_2024_3_9_art_99_1.json"},
		{"/odd.html", "odd.json"},
	}
	for _, tt := range tests {
		if got := ExpectedFileName(tt.path); got != filepath.FromSlash(tt.want) {
			t.Errorf("ExpectedFileName(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestWriteExpected(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	dir := t.TempDir()
	if err := p.WriteExpected(dir, testBase+"/"); err != nil {
		t.Fatal(err)
	}
	exp := p.Expected(testBase)
	files, err := filepath.Glob(filepath.Join(dir, "site-*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(exp) {
		t.Fatalf("%d files for %d reports", len(files), len(exp))
	}
	for _, e := range exp {
		b, err := os.ReadFile(filepath.Join(dir, ExpectedFileName(e.Path)))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Path    string          `json:"path"`
			URL     string          `json:"url"`
			Planted string          `json:"planted"`
			Record  json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		rec, err := report.Unmarshal(got.Record)
		if err != nil {
			t.Fatalf("%s: %v", e.Path, err)
		}
		if got.Path != e.Path || got.URL != e.URL || got.Planted != e.Planted {
			t.Errorf("%s: wrote %s %s %q", e.Path, got.Path, got.URL, got.Planted)
		}
		want, _ := json.Marshal(e.Record)
		back, _ := json.Marshal(rec)
		if !bytes.Equal(want, back) {
			t.Errorf("%s: record does not survive the file", e.Path)
		}
	}
}

func TestExpectedReturnsCopies(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	a := p.Expected(testBase)
	a[0].Record.Applications.Set(report.RowTotal, report.ColTotal, report.Text("changed"))
	a[0].Record.Findings = append(a[0].Record.Findings, report.Finding{Rule: "x"})
	b := p.Expected(testBase)
	if b[0].Record.Applications.Get(report.RowTotal, report.ColTotal).State == report.StateText || len(b[0].Record.Findings) == len(a[0].Record.Findings) {
		t.Fatal("a caller's change to an expected record reached the portal")
	}
}

// goldenConfig is a tiny portal whose pages and records are kept in testdata/.
func goldenConfig() Config {
	return Config{Seed: 1, Sites: 2, ReportsPerSite: 3, Years: []int{2020, 2021}, ListPageSize: 2, NoticesPerSite: 1, AnomalyRate: 0.5, Layouts: []Layout{LayoutTables}}
}

func TestGolden(t *testing.T) {
	p := mustGenerate(t, goldenConfig())
	s := p.sites[0]
	exp, err := json.MarshalIndent(struct {
		Expected []Expected
		Notices  []NonReport
	}{p.Expected(testBase)[:3], p.Notices(testBase)[:1]}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"report2019.golden.html": p.render(p.pages[s.reports[0].path]),
		"report2021.golden.html": p.render(p.pages[s.reports[1].path]),
		"list.golden.html":       p.render(p.pages[s.listPath(1)]),
		"notice.golden.html":     p.render(p.pages[s.notices[0].path]),
		"expected.golden.json":   append(exp, '\n'),
	}
	if s.reports[0].rec.Template != report.Template2019 || s.reports[1].rec.Template != report.Template2021 {
		t.Fatal("the golden portal's first reports are not of templates 2019 and 2021")
	}
	for name, got := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (go test -run TestGolden -update after checking the change)", name)
		}
	}
}
