package regions

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

var update = flag.Bool("update", false, "rewrite testdata/bodies_generated.tsv from the table")

// bodyCase is one line of testdata/bodies*.tsv:
//
//	body, site (province/city/county[#code]), domain, SiteIDCode, text,
//	want code, want level, want division level, note
//
// The want code is the township code for a township, else the region's code; "-"
// when no code may be given.
type bodyCase struct {
	line                              int
	body, site, domain, siteID, text  string
	wantCode, wantLevel, wantDivLevel string
	note                              string
}

func (c bodyCase) input() Input {
	in := Input{Body: c.body, Domain: c.domain, SiteIDCode: c.siteID, Text: c.text}
	if c.site != "" {
		names, code, _ := strings.Cut(c.site, "#")
		parts := strings.Split(names, "/")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		in.Site = report.Region{Province: parts[0], City: parts[1], County: parts[2], Code: code}
	}
	return in
}

func readCases(t testing.TB, path string) []bodyCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []bodyCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			t.Fatalf("%s:%d: %d fields, want 9", path, n, len(f))
		}
		out = append(out, bodyCase{n, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func gotCode(r Result) string {
	if r.Region.TownshipCode != "" {
		return r.Region.TownshipCode
	}
	if r.Region.Code != "" {
		return r.Region.Code
	}
	return "-"
}

// TestBodies resolves every body of testdata/bodies.tsv (hand-checked tricky
// cases) and testdata/bodies_generated.tsv (names composed from the table
// itself) and requires each to give the expected code and levels.
func TestBodies(t *testing.T) {
	tb := mustDefault(t)
	if *update {
		writeGenerated(t, tb, "testdata/bodies_generated.tsv")
	}
	for _, file := range []string{"testdata/bodies.tsv", "testdata/bodies_generated.tsv"} {
		cases := readCases(t, file)
		ok := 0
		for _, c := range cases {
			r := tb.Resolve(c.input())
			code := gotCode(r)
			if code != c.wantCode || string(r.Level) != c.wantLevel || string(r.DivisionLevel) != c.wantDivLevel {
				t.Errorf("%s:%d %q (%s): got %s %s/%s, want %s %s/%s\n  evidence %q\n  reason %s",
					filepath.Base(file), c.line, c.body, c.note, code, r.Level, r.DivisionLevel,
					c.wantCode, c.wantLevel, c.wantDivLevel, r.Evidence, r.Reason)
				continue
			}
			if code == "-" && r.Confidence != 0 {
				t.Errorf("%s:%d %q: no code but confidence %v", filepath.Base(file), c.line, c.body, r.Confidence)
			}
			if code != "-" && tb.Lookup(code) == nil {
				t.Errorf("%s:%d %q: code %s is not in the table", filepath.Base(file), c.line, c.body, code)
			}
			ok++
		}
		t.Logf("%s: %d/%d correct", file, ok, len(cases))
	}
}

// writeGenerated composes bodies from the table, every n-th division of each
// kind so that every province appears, with the answer the table gives.
func writeGenerated(t *testing.T, tb *Table, path string) {
	var townships, counties, cities []*Division
	for i := range tb.divs {
		d := &tb.divs[i]
		if d.zone || d.pseudo || (d.parent != nil && (d.parent.zone)) {
			continue
		}
		switch d.level {
		case lvTownship:
			townships = append(townships, d)
		case lvCounty:
			if !d.cityLike {
				counties = append(counties, d)
			}
		case lvCity:
			cities = append(cities, d)
		}
	}
	every := func(ds []*Division, n, offset int) []*Division {
		var out []*Division
		step := len(ds) / n
		for i := 0; i < n; i++ {
			out = append(out, ds[(i*step+offset)%len(ds)])
		}
		return out
	}
	s2t := map[rune]rune{}
	for trad, simp := range tb.t2s {
		if old, ok := s2t[simp]; !ok || trad < old {
			s2t[simp] = trad
		}
	}
	traditional := func(s string) string {
		return strings.Map(func(r rune) rune {
			if t, ok := s2t[r]; ok {
				return t
			}
			return r
		}, s)
	}
	govOf := func(d *Division) string {
		if strings.HasSuffix(d.Name, "街道") {
			return "办事处"
		}
		return "人民政府"
	}
	depts := []string{"发展和改革局", "财政局", "教育局", "民政局", "自然资源局", "人力资源和社会保障局", "卫生健康委员会", "市场监督管理局", "统计局", "司法局"}
	var rows []string
	add := func(body, site, want, level, divLevel, note string) {
		rows = append(rows, strings.Join([]string{body, site, "", "", "", want, level, divLevel, note}, "\t"))
	}
	// The county above a township, as bodies write it (东莞市 for its townships).
	countyName := func(d *Division) string {
		c := d.parent
		if c.cityLike {
			return c.parent.Name
		}
		return c.Name
	}
	siteOf := func(d *Division) string {
		r := d.Region()
		return r.Province + "/" + r.City + "/" + r.County
	}
	for _, d := range every(townships, 90, 0) {
		body := countyName(d) + d.Name + govOf(d)
		want := d.Code
		if n := countPairs(tb, countyName(d), d.Name); n != 1 {
			want = "-" // the same county and township names elsewhere: nothing to choose by
		}
		add(body, "", want, "township", "township", "county+township")
	}
	for _, d := range every(townships, 40, 17) {
		add(d.Name+govOf(d), siteOf(d), d.Code, "township", "township", "township on its county's site")
	}
	for _, d := range every(townships, 20, 29) {
		add(traditional(countyName(d)+d.Name+govOf(d)), "", d.Code, "township", "township", "traditional characters")
	}
	for _, d := range every(counties, 40, 3) {
		parent := d.parent
		prefix := parent.Name
		if parent.pseudo {
			prefix = parent.parent.Name
			if parent.Name == "省直辖县级行政区划" {
				prefix = ""
			}
		}
		add(prefix+d.Name+"人民政府", "", d.Code, "county", "county", "city+county")
	}
	for i, d := range every(counties, 30, 11) {
		prefix := d.parent.Name
		if d.parent.pseudo {
			prefix = d.parent.parent.Name
			if d.parent.Name == "省直辖县级行政区划" {
				prefix = ""
			}
		}
		add(prefix+d.Name+depts[i%len(depts)], "", d.Code, "department", "county", "county department")
	}
	for _, d := range every(cities, 25, 5) {
		add(d.Name+"人民政府", "", d.Code6(), "city", "city", "city")
	}
	sort.Strings(rows)
	var b strings.Builder
	b.WriteString("# Generated by `go test -run TestBodies -update` from the embedded table: bodies composed from\n")
	b.WriteString("# division names, with the answer the table gives. Columns as in bodies.tsv.\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// countPairs counts the townships named township under a county (or city)
// named county.
func countPairs(tb *Table, county, township string) int {
	n := 0
	for _, d := range tb.byName[township] {
		for a := d.parent; a != nil; a = a.parent {
			if a.Name == county {
				n++
				break
			}
		}
	}
	return n
}

func mustDefault(t testing.TB) *Table {
	t.Helper()
	tb, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func ExampleTable_Resolve() {
	tb, err := Default()
	if err != nil {
		panic(err)
	}
	r := tb.Resolve(Input{Body: "宿城區王官集鎮人民政府"})
	fmt.Println(r.Region.Province, r.Region.City, r.Region.County, r.Region.Township, r.Region.TownshipCode, r.Level)
	// Output: 江苏省 宿迁市 宿城区 王官集镇 321302111 township
}
