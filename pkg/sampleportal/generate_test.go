package sampleportal

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

const testBase = "http://127.0.0.1:8080"

func mustGenerate(t testing.TB, cfg Config) *Portal {
	t.Helper()
	p, err := Generate(cfg)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return p
}

// bigConfig is a portal large enough to show every variation.
func bigConfig() Config {
	c := DefaultConfig()
	c.Sites, c.ReportsPerSite, c.Years = 40, 20, []int{2019, 2020, 2021, 2022, 2023}
	c.NoticesPerSite = 2
	return c
}

// snapshot renders every page and encodes every expected record.
func snapshot(t testing.TB, p *Portal) (pages map[string][]byte, expected []byte) {
	t.Helper()
	pages = map[string][]byte{}
	for _, path := range p.paths {
		pages[path] = p.render(p.pages[path])
	}
	b, err := json.Marshal(struct {
		E []Expected
		N []NonReport
		S any
	}{p.Expected(testBase), p.Notices(testBase), p.Sites(testBase)})
	if err != nil {
		t.Fatal(err)
	}
	return pages, b
}

func TestDeterminism(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sites = 12
	pages1, exp1 := snapshot(t, mustGenerate(t, cfg))
	pages2, exp2 := snapshot(t, mustGenerate(t, cfg))
	if len(pages1) != len(pages2) {
		t.Fatalf("%d pages, then %d", len(pages1), len(pages2))
	}
	for path, b := range pages1 {
		if !bytes.Equal(b, pages2[path]) {
			t.Errorf("page %s differs between two generations", path)
		}
	}
	if !bytes.Equal(exp1, exp2) {
		t.Error("expected records differ between two generations")
	}

	// A different seed gives a different portal.
	cfg.Seed++
	pages3, exp3 := snapshot(t, mustGenerate(t, cfg))
	if bytes.Equal(exp1, exp3) {
		t.Error("seeds 1 and 2 give the same expected records")
	}
	same := 0
	for path, b := range pages1 {
		if bytes.Equal(b, pages3[path]) {
			same++
		}
	}
	if same > 3 { // robots.txt and few else may coincide
		t.Errorf("%d pages identical across seeds", same)
	}

	// Sites have their own random streams: adding sites leaves the first ones alone.
	cfg.Seed--
	cfg.Sites = 13
	pages4, _ := snapshot(t, mustGenerate(t, cfg))
	for path, b := range pages1 {
		if strings.HasPrefix(path, "/site-") && !bytes.Equal(b, pages4[path]) {
			t.Errorf("page %s changed when a site was added", path)
		}
	}
}

// ruleSet returns the distinct rules of findings.
func ruleSet(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, string(f.Rule)) {
			out = append(out, string(f.Rule))
		}
	}
	return out
}

func TestExpectedRecords(t *testing.T) {
	tests := []struct {
		name string
		cfg  func() Config
		// wantPlanted: every kind must occur (rate 1), none (rate 0), or some.
		every, none bool
	}{
		{"default", DefaultConfig, false, false},
		{"big", bigConfig, false, false},
		{"all planted", func() Config { c := bigConfig(); c.AnomalyRate = 1; return c }, true, false},
		{"none planted", func() Config { c := bigConfig(); c.AnomalyRate = 0; return c }, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg()
			p := mustGenerate(t, cfg)
			exp := p.Expected(testBase)
			if len(exp) != cfg.Sites*cfg.ReportsPerSite {
				t.Fatalf("%d expected records, want %d", len(exp), cfg.Sites*cfg.ReportsPerSite)
			}
			planted := map[string]int{}
			identity := map[[2]any]string{}
			for _, e := range exp {
				rec := e.Record
				planted[e.Planted]++
				checkRecord(t, e)
				key := [2]any{rec.Meta.Body, rec.Meta.Year}
				if other, dup := identity[key]; dup {
					t.Errorf("%s and %s are both %s %d", other, e.Path, rec.Meta.Body, rec.Meta.Year)
				}
				identity[key] = e.Path
			}
			t.Logf("planted: %v", planted)
			switch {
			case tt.every:
				for _, k := range plantable {
					if planted[k] == 0 {
						t.Errorf("no report got anomaly %s", k)
					}
				}
				if planted[PlantedNone] != 0 {
					t.Errorf("%d reports without anomaly at rate 1", planted[PlantedNone])
				}
			case tt.none:
				if planted[PlantedNone] != len(exp) {
					t.Errorf("anomalies planted at rate 0: %v", planted)
				}
			default:
				if planted[PlantedNone] == len(exp) || planted[PlantedNone] < len(exp)/2 {
					t.Errorf("implausible anomaly counts at rate %v: %v", cfg.AnomalyRate, planted)
				}
			}
		})
	}
}

// checkRecord checks one expected record: metadata, completeness for its template,
// and findings that are report.Check's with exactly the planted rule.
func checkRecord(t *testing.T, e Expected) {
	t.Helper()
	rec := e.Record
	if err := rec.Validate(); err != nil {
		t.Errorf("%s: %v", e.Path, err)
	}
	m := rec.Meta
	canon, err := rawdoc.CanonicalURL(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	if m.SourceURL != testBase+e.Path || e.URL != m.SourceURL || m.DocID != rawdoc.DocID(canon) {
		t.Errorf("%s: url %q doc id %q", e.Path, m.SourceURL, m.DocID)
	}
	if !strings.HasPrefix(e.Path, "/"+m.Site+"/art/") {
		t.Errorf("%s: site %q", e.Path, m.Site)
	}
	// A page converted to traditional characters as a whole states its title, and
	// so its body, in traditional characters.
	tradPage := strings.Contains(m.Title, "公開")
	if tradPage && !strings.Contains(e.Layout, string(LayoutTraditional)) {
		t.Errorf("%s [%s]: a traditional title", e.Path, e.Layout)
	}
	county, suffix := m.Region.County, "年政府信息公开工作年度报告"
	if tradPage {
		county, suffix = traditional(county, false), "年政府信息公開工作年度報告"
	}
	if m.Title != m.Body+itoa(m.Year)+suffix {
		t.Errorf("%s: title %q body %q year %d", e.Path, m.Title, m.Body, m.Year)
	}
	if len(m.PublishedAt) != 10 || m.PublishedAt[:4] != itoa(m.Year+1) || m.PublishedAt[5:7] > "03" {
		t.Errorf("%s: published %q for year %d", e.Path, m.PublishedAt, m.Year)
	}
	r := m.Region
	if r.Province == "" || r.City == "" || r.County == "" || len(r.Code) != 6 || (r.Township != "") != (m.Level == report.LevelTownship) {
		t.Errorf("%s: region %+v for a %s body", e.Path, r, m.Level)
	}
	if r.TownshipCode != "" && (len(r.TownshipCode) != 9 || r.TownshipCode[:6] != r.Code) {
		t.Errorf("%s: township code %q outside county %s", e.Path, r.TownshipCode, r.Code)
	}
	text := strings.Contains(e.Layout, "+"+string(LayoutText))
	if (!text && (!strings.HasPrefix(m.SiteIDCode, r.Code) || len(m.SiteIDCode) != 10)) || (text && m.SiteIDCode != "") {
		t.Errorf("%s [%s]: site id code %q", e.Path, e.Layout, m.SiteIDCode)
	}
	if text != strings.HasSuffix(e.Path, ".txt") {
		t.Errorf("%s [%s]: a text file's path ends in .txt, and only a text file's", e.Path, e.Layout)
	}
	switch m.Level {
	case report.LevelCounty:
		if !strings.HasSuffix(m.Body, "人民政府") {
			t.Errorf("%s: county body %q", e.Path, m.Body)
		}
	case report.LevelTownship:
		if !strings.HasPrefix(m.Body, county) || !strings.HasSuffix(m.Body, "人民政府") {
			t.Errorf("%s: township body %q", e.Path, m.Body)
		}
	case report.LevelDepartment:
		if !strings.HasPrefix(m.Body, county) {
			t.Errorf("%s: department body %q", e.Path, m.Body)
		}
	default:
		t.Errorf("%s: level %q", e.Path, m.Level)
	}

	wantTpl := report.Template2021
	if m.Year <= 2020 {
		wantTpl = report.Template2019
	}
	if rec.Template != wantTpl || rec.Schema != report.SchemaVersion {
		t.Errorf("%s: template %q schema %d for year %d", e.Path, rec.Template, rec.Schema, m.Year)
	}
	n := 0
	for _, row := range report.Rows(rec.Template) {
		for _, c := range report.Cols {
			if cell := rec.Applications.Get(row, c); cell.IsZero() || cell.State == report.StateMissing || cell.State == report.StateText {
				t.Errorf("%s: application %s is %v", e.Path, report.CellAddr(row, c), cell)
			}
			n++
		}
	}
	if got := countCells(rec); got != [3]int{n, 15, len(report.DisclosureLayout(rec.Template))} {
		t.Errorf("%s: cell counts %v, want [%d 15 %d]", e.Path, got, n, len(report.DisclosureLayout(rec.Template)))
	}
	for _, im := range report.DisclosureLayout(rec.Template) {
		if rec.Disclosure.Get(im.Item, im.Metric).IsZero() {
			t.Errorf("%s: no disclosure %s", e.Path, report.DisclosureAddr(im.Item, im.Metric))
		}
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			if cell := rec.Review.Get(g, o); cell.IsZero() || cell.State == report.StateText {
				t.Errorf("%s: review %s is %v", e.Path, report.ReviewAddr(g, o), cell)
			}
		}
	}

	if form := Layout(strings.SplitN(e.Layout, "+", 2)[0]); form.flat() {
		// A flattened table loses empty cells: its blanks are marks.
		for _, row := range report.Rows(rec.Template) {
			for _, c := range report.Cols {
				if cell := rec.Applications.Get(row, c); cell.State == report.StateBlank && cell.Raw == "" {
					t.Errorf("%s [%s]: %s is an empty blank", e.Path, e.Layout, report.CellAddr(row, c))
				}
			}
		}
	}

	check := append(report.TextCells(rec), report.Check(rec)...)
	if check == nil {
		check = []report.Finding{}
	}
	if !reflect.DeepEqual(rec.Findings, check) {
		t.Errorf("%s: findings differ from report.TextCells + report.Check:\n got %+v\nwant %+v", e.Path, rec.Findings, check)
	}
	// Besides the text cells (flagged), the only findings are the planted
	// violation's.
	var want []string
	if e.Planted != PlantedNone {
		want = []string{e.Planted}
	}
	var rules []report.Finding
	for _, f := range rec.Findings {
		if f.Rule == report.RuleTextCell {
			if f.Status != report.StatusFlagged {
				t.Errorf("%s: text cell finding is %s, want flagged", e.Path, f.Status)
			}
			continue
		}
		rules = append(rules, f)
		if f.Status != report.StatusViolated {
			t.Errorf("%s: finding %s is %s, want violated", e.Path, f.Rule, f.Status)
		}
	}
	if got := ruleSet(rules); !slices.Equal(got, want) {
		t.Errorf("%s: planted %q but findings are of rules %v", e.Path, e.Planted, got)
	}
}

func countCells(rec *report.Record) [3]int {
	var n [3]int
	for _, cols := range rec.Applications {
		n[0] += len(cols)
	}
	for _, outs := range rec.Review {
		n[1] += len(outs)
	}
	for _, ms := range rec.Disclosure {
		n[2] += len(ms)
	}
	return n
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// TestAmountsExact parses every amount the way an exact parser does (big.Rat) and
// checks the record holds exactly that value in yuan.
func TestAmountsExact(t *testing.T) {
	p := mustGenerate(t, bigConfig())
	units := map[report.Unit]int{}
	for _, e := range p.Expected(testBase) {
		for _, im := range report.DisclosureLayout(e.Record.Template) {
			if !im.Metric.IsMoney() {
				continue
			}
			c := e.Record.Disclosure.Get(im.Item, im.Metric)
			if c.State != report.StateNumber {
				continue
			}
			units[c.Unit]++
			num, factor := c.Raw, int64(1)
			switch {
			case strings.HasSuffix(num, "万") || strings.HasSuffix(num, "萬"): // 萬 in traditional characters
				num, factor = strings.TrimSuffix(strings.TrimSuffix(num, "万"), "萬"), 10000
				if c.Unit != report.UnitWan {
					t.Errorf("%s: %q has unit %q", e.Path, c.Raw, c.Unit)
				}
			case strings.HasSuffix(num, "元"):
				num = strings.TrimSuffix(num, "元")
				if c.Unit != report.UnitYuan {
					t.Errorf("%s: %q has unit %q", e.Path, c.Raw, c.Unit)
				}
			case im.Item == report.ItemFees:
				factor = 10000 // the header says 万元
				if c.Unit != report.UnitWanYuan {
					t.Errorf("%s: fee %q has unit %q", e.Path, c.Raw, c.Unit)
				}
			default:
				if c.Unit != report.UnitUnknown {
					t.Errorf("%s: bare %q has unit %q", e.Path, c.Raw, c.Unit)
				}
			}
			r, ok := new(big.Rat).SetString(num)
			if !ok {
				t.Fatalf("%s: amount %q does not parse", e.Path, c.Raw)
			}
			want, _ := r.Mul(r, new(big.Rat).SetInt64(factor)).Float64()
			if c.Value != want {
				t.Errorf("%s: %q is %v in the record, exactly %v", e.Path, c.Raw, c.Value, want)
			}
		}
	}
	for _, u := range []report.Unit{report.UnitWan, report.UnitYuan, report.UnitUnknown, report.UnitWanYuan} {
		if units[u] == 0 {
			t.Errorf("no amount with unit %q: %v", u, units)
		}
	}
}

// TestVariety checks that a big portal shows every kind of cell the brief asks for.
func TestVariety(t *testing.T) {
	p := mustGenerate(t, bigConfig())
	seen := map[string]bool{}
	levels := map[report.Level]bool{}
	for _, e := range p.Expected(testBase) {
		levels[e.Record.Meta.Level] = true
		visit := func(c report.Cell) {
			switch c.State {
			case report.StateBlank:
				seen["blank:"+c.Raw] = true
			case report.StateText:
				seen["text"] = true
			case report.StateNumber:
				if strings.Contains(c.Raw, ",") {
					seen["thousands"] = true
				}
				if strings.HasPrefix(c.Raw, "+") {
					seen["plus"] = true
				}
				if c.Value < 0 && strings.HasPrefix(c.Raw, "-") {
					seen["minus"] = true
				}
				if c.Value >= 10 {
					seen["tens"] = true
				}
			}
		}
		for _, cols := range e.Record.Applications {
			for _, c := range cols {
				visit(c)
			}
		}
		for _, ms := range e.Record.Disclosure {
			for _, c := range ms {
				visit(c)
			}
		}
	}
	for _, k := range []string{"blank:/", "blank:", "blank:—", "blank:无", "text", "thousands", "plus", "minus", "tens"} {
		if !seen[k] {
			t.Errorf("no cell of kind %q in a %d-report portal", k, len(p.Expected(testBase)))
		}
	}
	for _, l := range []report.Level{report.LevelCounty, report.LevelDepartment, report.LevelTownship} {
		if !levels[l] {
			t.Errorf("no body of level %s", l)
		}
	}
}

// TestCrossYear checks R5 (carried over = last year's carried forward) and R6 (stock
// of normative documents) between consecutive reports of the same body.
func TestCrossYear(t *testing.T) {
	p := mustGenerate(t, bigConfig())
	byBody := map[string]map[int]*report.Record{}
	for _, e := range p.Expected(testBase) {
		m := e.Record.Meta
		if byBody[m.Body] == nil {
			byBody[m.Body] = map[int]*report.Record{}
		}
		byBody[m.Body][m.Year] = e.Record
	}
	pairs := 0
	for bodyName, years := range byBody {
		for y, rec := range years {
			prev := years[y-1]
			if prev == nil {
				continue
			}
			pairs++
			for _, c := range report.Cols {
				was, _ := prev.Applications.Get(report.RowCarriedForward, c).Num()
				now, _ := rec.Applications.Get(report.RowCarriedOver, c).Num()
				if was != now {
					t.Errorf("%s %d: carried over %s = %v, last year carried forward %v", bodyName, y, c, now, was)
				}
			}
			if prev.Template != report.Template2021 {
				continue
			}
			was, ok1 := prev.Disclosure.Get(report.ItemNormativeDocs, report.MetricInForce).Num()
			in, ok2 := rec.Disclosure.Get(report.ItemNormativeDocs, report.MetricIssued).Num()
			out, ok3 := rec.Disclosure.Get(report.ItemNormativeDocs, report.MetricRepealed).Num()
			now, ok4 := rec.Disclosure.Get(report.ItemNormativeDocs, report.MetricInForce).Num()
			if ok1 && ok2 && ok3 && ok4 && now != was+in-out {
				t.Errorf("%s %d: in force %v ≠ %v + %v − %v", bodyName, y, now, was, in, out)
			}
		}
	}
	if pairs == 0 {
		t.Fatal("no consecutive reports of one body")
	}
}
