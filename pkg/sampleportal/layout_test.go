package sampleportal

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
	"gopkg.in/yaml.v3"
)

func TestLayoutsYAML(t *testing.T) {
	var c Config
	dec := yaml.NewDecoder(strings.NewReader("seed: 3\nsites: 2\nreports_per_site: 2\nyears: [2021]\nlist_page_size: 5\nlayouts: [lines, text, noisy]\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Layouts, []Layout{LayoutLines, LayoutText, LayoutNoisy}) || c.Validate() != nil {
		t.Fatalf("decoded layouts %v (%v)", c.Layouts, c.Validate())
	}
	// The default lists no layouts (all of them) and writes no key.
	b, err := yaml.Marshal(DefaultConfig())
	if err != nil || strings.Contains(string(b), "layouts") {
		t.Fatalf("default config YAML %q (%v)", b, err)
	}
}

func TestValidateLayouts(t *testing.T) {
	tests := []struct {
		layouts []Layout
		want    string // substring of the error; "" for valid
	}{
		{nil, ""},
		{Layouts(), ""},
		{[]Layout{LayoutTables}, ""},
		{[]Layout{LayoutPipes, LayoutText, LayoutNoisy}, ""},
		{[]Layout{"mystery"}, `unknown layout "mystery"`},
		{[]Layout{LayoutWord, LayoutWord}, "listed twice"},
		{[]Layout{LayoutTraditional, LayoutNoisy}, "name no form"},
	}
	for _, tt := range tests {
		c := DefaultConfig()
		c.Layouts = tt.layouts
		err := c.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tt.layouts, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: error %v, want one containing %q", tt.layouts, err, tt.want)
		}
	}
}

// layoutsOf tallies the forms and variations of a portal's reports.
func layoutsOf(p *Portal) map[string]int {
	n := map[string]int{}
	for _, s := range p.sites {
		for _, d := range s.reports {
			n["form "+string(d.layout.form)]++
			for _, v := range d.layout.variations() {
				n["with "+string(v)]++
			}
		}
	}
	return n
}

func TestLayoutChoice(t *testing.T) {
	p := mustGenerate(t, bigConfig())
	n := layoutsOf(p)
	for _, f := range forms {
		if n["form "+string(f)] < 40 {
			t.Errorf("form %s: %d reports of %d", f, n["form "+string(f)], 40*20)
		}
	}
	for _, v := range variations {
		if n["with "+string(v)] < 20 {
			t.Errorf("variation %s: %d reports", v, n["with "+string(v)])
		}
	}
	for _, s := range p.sites {
		for _, d := range s.reports {
			l := d.layout
			if l.text && !l.form.flat() || l.text && l.traditional || l.fullTraditional && !l.traditional || l.unboxed != (s.unboxed != "" && !l.text) {
				t.Errorf("%s: impossible layout %+v", d.path, l)
			}
		}
	}
	for _, def := range p.Sites(testBase) {
		if p.site(def.ID).unboxed != "" && def.ContentSelector != "" {
			t.Errorf("%s: an unboxed site names its selector %q", def.ID, def.ContentSelector)
		}
	}

	// A restricted list gives only those layouts.
	cfg := bigConfig()
	cfg.Sites = 10
	cfg.Layouts = []Layout{LayoutLines, LayoutText}
	n = layoutsOf(mustGenerate(t, cfg))
	if n["form lines"] != cfg.Sites*cfg.ReportsPerSite || n["with text"] == 0 || n["with traditional"]+n["with noisy"]+n["with unboxed"] != 0 {
		t.Errorf("layouts lines+text gave %v", n)
	}
}

// TestLayoutsKeepRecords checks that the layouts have random streams of their own:
// restricting them changes no value, only what a layout prints differently (a
// flattened table's blanks, traditional characters, a text file's missing
// SiteIDCode).
func TestLayoutsKeepRecords(t *testing.T) {
	cfg := DefaultConfig()
	all := mustGenerate(t, cfg).Expected(testBase)
	cfg.Layouts = []Layout{LayoutTables}
	tables := mustGenerate(t, cfg).Expected(testBase)
	if len(all) != len(tables) {
		t.Fatalf("%d and %d reports", len(all), len(tables))
	}
	for i, e := range all {
		a, b := e.Record, tables[i].Record
		body := a.Meta.Body
		if strings.Contains(a.Meta.Title, "公開") { // a page converted as a whole
			if traditional(b.Meta.Body, false) != body && traditional(b.Meta.Body, true) != body {
				t.Errorf("%s: body %q is not %q converted", e.Path, body, b.Meta.Body)
			}
		} else if body != b.Meta.Body {
			t.Errorf("%s: body %q, restricted %q", e.Path, body, b.Meta.Body)
		}
		if a.Meta.Year != b.Meta.Year || a.Meta.PublishedAt != b.Meta.PublishedAt || e.Planted != tables[i].Planted {
			t.Fatalf("%s: report differs when layouts are restricted", e.Path)
		}
		same := func(x, y report.Cell) bool { return x.State == y.State && x.Value == y.Value && x.Unit == y.Unit }
		for _, row := range report.Rows(a.Template) {
			for _, c := range report.Cols {
				if !same(a.Applications.Get(row, c), b.Applications.Get(row, c)) {
					t.Errorf("%s: %s differs", e.Path, report.CellAddr(row, c))
				}
			}
		}
		for _, im := range report.DisclosureLayout(a.Template) {
			if !same(a.Disclosure.Get(im.Item, im.Metric), b.Disclosure.Get(im.Item, im.Metric)) {
				t.Errorf("%s: %s differs", e.Path, report.DisclosureAddr(im.Item, im.Metric))
			}
		}
	}
}

func TestTraditional(t *testing.T) {
	tests := []struct{ in, chars, words string }{
		{"1.属于国家秘密", "1.屬于國家秘密", "1.屬於國家秘密"},
		{"规范性文件", "規范性文件", "規範性文件"},
		{"2.没有现成信息需要另行制作", "2.沒有現成信息需要另行制作", "2.沒有現成信息需要另行製作"},
		{"4.无正当理由大量反复申请", "4.無正當理由大量反復申請", "4.無正當理由大量反覆申請"},
		{"2.重复申请", "2.重復申請", "2.重複申請"},
		{"（本列数据的勾稽关系为：", "（本列數據的勾稽關系為：", "（本列數據的勾稽關係為："},
		{"采购总金额", "采購總金額", "採購總金額"},
		{"本年收费金额（单位：万元）", "本年收費金額（單位：萬元）", "本年收費金額（單位：萬元）"},
		{"2500万", "2500萬", "2500萬"},
		{"无", "無", "無"},
		{"见附件", "見附件", "見附件"},
		{"复议后起诉", "復議後起訴", "復議後起訴"},
	}
	for _, tt := range tests {
		if got := traditional(tt.in, false); got != tt.chars {
			t.Errorf("traditional(%q, chars) = %q, want %q", tt.in, got, tt.chars)
		}
		if got := traditional(tt.in, true); got != tt.words {
			t.Errorf("traditional(%q, words) = %q, want %q", tt.in, got, tt.words)
		}
	}
	from := map[rune]rune{}
	for s, tr := range s2t {
		if s == tr {
			t.Errorf("%c maps to itself", s)
		}
		if _, ok := s2t[tr]; ok {
			t.Errorf("%c maps to %c, which the table maps again", s, tr)
		}
		if o, dup := from[tr]; dup {
			t.Errorf("%c and %c both map to %c: two bodies could get one name", o, s, tr)
		}
		from[tr] = s
	}
}

func TestNoise(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		g, ok := glossed(r, "规章")
		if !ok || (g != "规(guī)章" && g != "规（guī）章" && g != "规章(zhāng)" && g != "规章（zhāng）") {
			t.Fatalf("glossed 规章: %q", g)
		}
		s, ok := spacedLabel(r, "（三）不予公开")
		if !ok || strings.Join(strings.Fields(s), "") != "（三）不予公开" || s == "（三）不予公开" || strings.HasPrefix(s, "（三） ") {
			t.Fatalf("spaced: %q", s)
		}
		n, ok := renumbered(r, "1.属于国家秘密")
		if !ok || !slices.Contains([]string{"1、属于国家秘密", "１．属于国家秘密", "1)属于国家秘密"}, n) {
			t.Fatalf("renumbered: %q", n)
		}
		sl, ok := slipped(r, "3.其他")
		if !ok || sl != "3.其它" {
			t.Fatalf("slipped: %q", sl)
		}
	}
	if n, ok := renumbered(r, "（一）予以公开"); !ok || n != "(一)予以公开" {
		t.Errorf("renumbered: %q", n)
	}
	if _, ok := slipped(r, "（六）其他处理"); ok {
		t.Error("an unnumbered label slipped: only numbered rows may")
	}
	for _, l := range []string{"采购总金额", "本年收费金额（单位：万元）", "行政许可"} {
		if countLabel(2, l) {
			t.Errorf("%s takes a unit note", l)
		}
	}
	if !countLabel(2, "处理决定数量") || !countLabel(3, "（七）总计") || countLabel(4, "总计") {
		t.Error("countLabel")
	}

	// Truncatable headers stay as they are; noise is the same on every render.
	d := mustGenerate(t, goldenConfig()).sites[0].reports[0]
	var hit bool
	for seed := range uint32(200) {
		blocks := articleBlocks(d, style{})
		noiseLabels(blocks, seed)
		again := articleBlocks(d, style{})
		noiseLabels(again, seed)
		plain := articleBlocks(d, style{})
		i := 0
		var plainLabels []tcell
		eachLabel(plain, func(_ int, c *tcell) { plainLabels = append(plainLabels, *c) })
		eachLabel(blocks, func(_ int, c *tcell) {
			if c.truncatable && c.text != plainLabels[i].text {
				t.Errorf("truncatable header %q became %q", plainLabels[i].text, c.text)
			}
			hit = hit || c.text != plainLabels[i].text
			i++
		})
		var a, b bytes.Buffer
		writeTablesArticle(&a, style{}, blocks)
		writeTablesArticle(&b, style{}, again)
		if a.String() != b.String() {
			t.Fatal("noise differs between two renders")
		}
	}
	if !hit {
		t.Error("noise never changed a label")
	}
}

func TestFlatteners(t *testing.T) {
	// A 3×3 table: a heading over three columns, a cell spanning two rows.
	tb := &stable{width: 3, rows: [][]tcell{
		{label("H", 3, 1)},
		{label("A", 1, 2), label("本年新制作数量", 1, 1), value(report.Cell{State: report.StateNumber, Raw: "12"}, 1)},
		{label("B", 1, 1), value(report.Blank("/"), 1)},
	}}
	tb.rows[1][1].truncatable = true
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"lines", cellLines(tb), []string{"\tH", "", "\tA", "\t本年新制作数量", "\t12", "", "\t", "\tB", "\t/", ""}},
		{"tabs", tabLines(tb), []string{"H\t\t", "A\t本年新制作数量\t12", "\tB\t/"}},
		{"pipes", pipeLines(tb, false), []string{"H", "|", "||", "A", "|", "本年新制作数量", "|", "12", "|", "B", "|", "/", "|", "|"}},
		{"pipes truncated", pipeLines(tb, true), []string{"H", "|", "||", "A", "|", "本年新 |", "12", "|", "B", "|", "/", "|", "|"}},
		{"pipe rows truncated", pipeRowLines(tb, true), []string{"H|||", "A|本年新 |12|", "|B|/|"}},
		{"blank cells", blankCellLines(tb), []string{"H", "", "A", "", "本年新制作数量", "", "12", "", "B", "", "/", ""}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.got, tt.want)
		}
	}
	// The one table and Word's grid keep every cell's place.
	wide := tb.rescaled([]int{2, 1, 3})
	if wide.width != 6 || wide.rows[0][0].colspan != 6 || wide.rows[1][2].colspan != 3 || wide.rows[2][0].colspan != 1 || wide.rows[2][1].colspan != 3 {
		t.Errorf("rescaled: %+v", wide)
	}
}

// TestNoisyPagesDiffer checks that noisy reports print differently from their plain
// rendering, and only in labels (the values are checked in order by
// checkReportPage).
func TestNoisyPagesDiffer(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	n := 0
	for _, s := range p.sites {
		for _, d := range s.reports {
			if !d.layout.noisy || d.layout.text {
				continue
			}
			n++
			var noisy, plain bytes.Buffer
			renderReport(&noisy, s, d)
			c := *d
			c.layout.noisy = false
			renderReport(&plain, s, &c)
			if noisy.String() == plain.String() {
				t.Errorf("%s: noise changed nothing", d.path)
			}
		}
	}
	if n == 0 {
		t.Fatal("no noisy report")
	}
}

// TestLayoutGoldens keeps one report page per form and per variation in testdata/.
func TestLayoutGoldens(t *testing.T) {
	p := mustGenerate(t, Config{Seed: 5, Sites: 6, ReportsPerSite: 12, Years: []int{2020, 2021, 2022}, ListPageSize: 5, AnomalyRate: 0.2})
	files := map[string][]byte{}
	taken := map[string]bool{}
	want := append(slices.Clone(forms), variations...)
	for _, s := range p.sites {
		for _, d := range s.reports {
			for _, l := range want {
				name := "layout_" + string(l)
				// A form's page without variations; a variation's with it, in a
				// form other than Word's (whose pages are large).
				vs := d.layout.variations()
				has := (d.layout.form == l && len(vs) == 0) || (d.layout.form != LayoutWord && slices.Contains(vs, l))
				if !has || files[name] != nil || taken[d.path] {
					continue
				}
				taken[d.path] = true
				files[name] = p.render(p.pages[d.path])
				break
			}
		}
	}
	for _, l := range want {
		name := "layout_" + string(l)
		got, ok := files[name]
		if !ok {
			t.Errorf("no report of layout %s in the golden portal", l)
			continue
		}
		path := filepath.Join("testdata", name+".golden.html")
		if l == LayoutText {
			path = filepath.Join("testdata", name+".golden.txt")
		}
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from the golden file (go test -run TestLayoutGoldens -update after checking the change)", path)
		}
	}
}
