package warehouse

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", p, got, want)
	}
}

func sampleResult() *Result {
	return &Result{
		Columns: []string{"doc_id", "body", "year", "value", "note"},
		Types:   []string{"String", "String", "UInt16", "Nullable(Int64)", "String"},
		Rows: [][]string{
			{"a1", "德惠市岔路口镇人民政府", "2020", "5", "ok"},
			{"b22", "Ministry of Ｆｕｌｌ-width", "2021", "NULL", "line1\nline2\tx"},
			{"c333", "café", "2019", "-12", `back\slash`},
		},
		nulls: [][]bool{{false, false, false, false, false}, {false, false, false, true, false}, {false, false, false, false, false}},
	}
}

func TestWriteTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := sampleResult().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden", b.Bytes())
	// Every data line has the separators at the same display columns.
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	want := separatorColumns(lines[0])
	for _, l := range lines[2 : len(lines)-1] {
		if got := separatorColumns(l); !equalInts(got, want) {
			t.Errorf("misaligned line %q: separators at %v, want %v", l, got, want)
		}
	}
}

func separatorColumns(line string) []int {
	var out []int
	col := 0
	for _, r := range line {
		if r == '|' {
			out = append(out, col)
		}
		col += RuneWidth(r)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWriteTableWidthTruncates(t *testing.T) {
	r := &Result{Columns: []string{"s"}, Types: []string{"String"}, Rows: [][]string{{"德惠市岔路口镇人民政府"}}, nulls: [][]bool{{false}}}
	var b bytes.Buffer
	if err := r.WriteTableWidth(&b, 9); err != nil {
		t.Fatal(err)
	}
	if want := "s\n---------\n德惠市岔…\n(1 row)\n"; b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteTSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := sampleResult().WriteTSV(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.tsv.golden", b.Bytes())
}

func TestDisplayWidth(t *testing.T) {
	tests := map[string]int{
		"":           0,
		"abc":        3,
		"德惠市":        6,
		"１２３":        6, // full-width digits
		"ｱｲｳ":        3, // half-width katakana
		"café":       4,
		"e\u0301":    1, // combining acute accent
		"a\u200bb":   2, // zero-width space
		"（一）予以公开":    14,
		"2500 万":     7,
		"危及“三安全一稳定”": 18, // curly quotes are ambiguous: one column
	}
	for s, want := range tests {
		if got := DisplayWidth(s); got != want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
