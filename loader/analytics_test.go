package loader

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/regions"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/govreport/govreport/pkg/warehouse/chdbtest"
)

// docQuestion is a numbered question of docs/analytics.md with its SQL.
type docQuestion struct {
	n     int
	title string
	sql   string
}

// docQuestions reads the numbered questions of docs/analytics.md.
func docQuestions(t *testing.T) []docQuestion {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "analytics.md"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)\n## (\\d+)\\. ([^\n]*)\n.*?```sql\n(.*?)```")
	var out []docQuestion
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, docQuestion{n, m[2], strings.TrimSpace(m[3])})
	}
	return out
}

// sqlBlocks returns the ```sql blocks of a Markdown file.
func sqlBlocks(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// analyticsRecords is the data the documented questions are checked on: a sample
// portal with some reports left out (so some bodies miss a year), some carried-over
// figures off (so R5 finds something), and some reports posted twice (so
// reports_primary has copies to choose from).
func analyticsRecords(t *testing.T) []*report.Record {
	cfg := sampleportal.DefaultConfig()
	cfg.Seed, cfg.Sites, cfg.ReportsPerSite = 11, 12, 10
	cfg.Years = []int{2019, 2020, 2021, 2022, 2023}
	var out []*report.Record
	for i, r := range sampleRecords(t, cfg) {
		if i%11 == 5 {
			continue
		}
		if i%13 == 0 {
			if c := r.Applications.Get(report.RowCarriedOver, report.ColTotal); c.State == report.StateNumber {
				c.Value += 3
				r.Applications.Set(report.RowCarriedOver, report.ColTotal, c)
			}
		}
		out = append(out, r)
		if i%17 == 0 {
			b, err := r.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			cp, err := report.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			cp.Meta.DocID = "copy-" + r.Meta.DocID
			cp.Meta.Site, cp.Meta.SourceURL = "mirror", "http://mirror.example.gov.cn/"+r.Meta.DocID
			cp.Confidence = r.Confidence - 0.25 // loses
			if i%34 == 0 {
				cp.Confidence, r.Confidence = r.Confidence, r.Confidence-0.25 // wins
			}
			out = append(out, cp)
		}
	}
	return out
}

// TestAnalyticsQuestions loads the sample records and checks every question of
// docs/analytics.md against the answer computed in Go from the same records; then,
// with chDB, that a current ClickHouse gives the same answers (and to the README's
// queries and every view).
func TestAnalyticsQuestions(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	ctx := context.Background()
	recs := analyticsRecords(t)
	if _, err := InsertBatch(ctx, conn, recs, nil); err != nil {
		t.Fatal(err)
	}
	tbl, err := regions.Default()
	if err != nil {
		t.Fatal(err)
	}
	var db string
	if err := conn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.LoadDivisions(ctx, conn, db, tbl, regions.Edition); err != nil {
		t.Fatal(err)
	}
	o := newOracle(recs)
	qs := docQuestions(t)
	if len(qs) != 12 {
		t.Fatalf("docs/analytics.md has %d numbered questions with SQL, want 12", len(qs))
	}
	for i, q := range qs {
		if q.n != i+1 {
			t.Fatalf("question %d is numbered %d", i+1, q.n)
		}
		t.Run(fmt.Sprint(q.n), func(t *testing.T) {
			want := o.answer(q.n)
			if len(want) == 0 {
				t.Fatalf("the oracle has no answer to question %d on the sample: the test would prove nothing", q.n)
			}
			res, err := warehouse.Query(ctx, conn, q.sql)
			if err != nil {
				t.Fatalf("%s\n%v", q.sql, err)
			}
			if err := sameAnswer(res.Rows, want); err != nil {
				t.Errorf("question %d (%s): %v\n%s", q.n, q.title, err, q.sql)
			}
		})
	}
	t.Run("current engine", func(t *testing.T) {
		eng := chdbtest.Open(t)
		checkOnCurrentEngine(t, eng, conn, qs)
	})
}

// sameAnswer compares rows, in order; numbers may differ by the rounding of the
// queries (4 decimals).
func sameAnswer(got, want [][]string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d rows, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return fmt.Errorf("row %d: %v, want %v", i+1, got[i], want[i])
		}
		for j := range got[i] {
			g, w := got[i][j], want[i][j]
			if g == w {
				continue
			}
			gf, err1 := strconv.ParseFloat(g, 64)
			wf, err2 := strconv.ParseFloat(w, 64)
			if err1 != nil || err2 != nil || math.Abs(gf-wf) > 0.5e-4+1e-9 {
				return fmt.Errorf("row %d column %d: %q, want %q\ngot  %v\nwant %v", i+1, j+1, g, w, got[i], want[i])
			}
		}
	}
	return nil
}

// oracle computes the documented answers from records, as the views define them.
type oracle struct {
	primaries []*report.Record   // one per (body, year)
	apps      map[string]*appAgg // primary reports with an application table, by doc_id
}

// appAgg is a report's section 三 as applications_by_report sums it.
type appAgg struct {
	rec                                                                *report.Record
	received, carriedOver, granted, partial, withheld, unable, notProc int64
	other, total, carriedForward                                       int64
	hasOtherDotted                                                     bool
	otherDotted, otherPlain                                            int64
}

func cellValue(c report.Cell) int64 {
	if c.State == report.StateNumber {
		return int64(c.Value)
	}
	return 0
}

func errorFindings(r *report.Record) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == report.SeverityError {
			n++
		}
	}
	return n
}

func newOracle(recs []*report.Record) *oracle {
	best := map[string]*report.Record{}
	var keys []string
	for _, r := range recs {
		key := r.Meta.Body + "\x00" + strconv.Itoa(r.Meta.Year)
		if r.Meta.Body == "" || r.Meta.Year == 0 {
			key = "\x01" + r.Meta.DocID
		}
		b, ok := best[key]
		if !ok {
			keys = append(keys, key)
		}
		if !ok || better(r, b) {
			best[key] = r
		}
	}
	o := &oracle{apps: map[string]*appAgg{}}
	for _, k := range keys {
		r := best[k]
		o.primaries = append(o.primaries, r)
		if len(r.Applications) == 0 {
			continue
		}
		a := &appAgg{rec: r}
		hasTotalCol := false
		for row, cols := range r.Applications {
			c, ok := cols[report.ColTotal]
			if !ok {
				continue
			}
			hasTotalCol = true
			v := cellValue(c)
			s := string(row)
			switch {
			case row == report.RowNewReceived:
				a.received += v
			case row == report.RowCarriedOver:
				a.carriedOver += v
			case row == report.RowGranted:
				a.granted += v
			case row == report.RowPartiallyGranted:
				a.partial += v
			case strings.HasPrefix(s, "withheld."):
				a.withheld += v
			case strings.HasPrefix(s, "unable."):
				a.unable += v
			case strings.HasPrefix(s, "not_processed."):
				a.notProc += v
			case strings.HasPrefix(s, "other."):
				a.hasOtherDotted = true
				a.otherDotted += v
			case row == report.RowOther:
				a.otherPlain += v
			case row == report.RowTotal:
				a.total += v
			case row == report.RowCarriedForward:
				a.carriedForward += v
			}
		}
		a.other = a.otherPlain
		if a.hasOtherDotted {
			a.other = a.otherDotted
		}
		if hasTotalCol {
			o.apps[r.Meta.DocID] = a
		}
	}
	return o
}

// better reports whether a is the primary copy rather than b: higher confidence (as
// Float32), fewer error findings, smaller doc_id.
func better(a, b *report.Record) bool {
	ca, cb := float32(a.Confidence), float32(b.Confidence)
	if ca != cb {
		return ca > cb
	}
	if ea, eb := errorFindings(a), errorFindings(b); ea != eb {
		return ea < eb
	}
	return a.Meta.DocID < b.Meta.DocID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func ratio(a, b int64) string {
	if b == 0 {
		return "NULL"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', -1, 64)
}

// groupSum sums per key and returns the keys sorted.
type groupSum struct {
	keys []string
	sums map[string][]int64
}

func (g *groupSum) add(key string, vals ...int64) {
	if g.sums == nil {
		g.sums = map[string][]int64{}
	}
	s, ok := g.sums[key]
	if !ok {
		s = make([]int64, len(vals))
		g.keys = append(g.keys, key)
	}
	for i, v := range vals {
		s[i] += v
	}
	g.sums[key] = s
}

func (g *groupSum) sorted() []string {
	sort.Strings(g.keys)
	return g.keys
}

func (o *oracle) sortedApps() []*appAgg {
	out := make([]*appAgg, 0, len(o.apps))
	for _, a := range o.apps {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rec.Meta.DocID < out[j].rec.Meta.DocID })
	return out
}

// key joins fields so that sorting the keys sorts by the fields in order (years are
// four digits).
func key(fields ...string) string { return strings.Join(fields, "\x00") }

func (o *oracle) answer(n int) [][]string {
	var out [][]string
	switch n {
	case 1: // province, year: reports, received
		var g groupSum
		for _, a := range o.sortedApps() {
			g.add(key(a.rec.Meta.Region.Province, strconv.Itoa(a.rec.Meta.Year)), 1, a.received)
		}
		for _, k := range g.sorted() {
			f, s := strings.Split(k, "\x00"), g.sums[k]
			out = append(out, []string{f[0], f[1], itoa(s[0]), itoa(s[1])})
		}
	case 2: // level, year: granted, processed, rate
		var g groupSum
		for _, a := range o.sortedApps() {
			g.add(key(string(a.rec.Meta.Level), strconv.Itoa(a.rec.Meta.Year)), a.granted, a.total)
		}
		for _, k := range g.sorted() {
			f, s := strings.Split(k, "\x00"), g.sums[k]
			out = append(out, []string{f[0], f[1], itoa(s[0]), itoa(s[1]), ratio(s[0], s[1])})
		}
	case 3: // year, reason: refused, by refused desc
		var g groupSum
		for _, r := range o.primaries {
			for row, cols := range r.Applications {
				if c, ok := cols[report.ColTotal]; ok && strings.HasPrefix(string(row), "withheld.") {
					g.add(key(strconv.Itoa(r.Meta.Year), string(row)), cellValue(c))
				}
			}
		}
		for _, k := range g.sorted() {
			f := strings.Split(k, "\x00")
			out = append(out, []string{f[0], f[1], itoa(g.sums[k][0])})
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i][0] != out[j][0] {
				return out[i][0] < out[j][0]
			}
			a, _ := strconv.Atoi(out[i][2])
			b, _ := strconv.Atoi(out[j][2])
			if a != b {
				return a > b
			}
			return out[i][1] < out[j][1]
		})
	case 4: // province, outcome (not_processed, unable): n, handled, share
		var g groupSum
		for _, a := range o.sortedApps() {
			p := a.rec.Meta.Region.Province
			g.add(key(p, "not_processed"), a.notProc, a.total)
			g.add(key(p, "unable"), a.unable, a.total)
		}
		for _, k := range g.sorted() {
			f, s := strings.Split(k, "\x00"), g.sums[k]
			out = append(out, []string{f[0], f[1], itoa(s[0]), itoa(s[1]), ratio(s[0], s[1])})
		}
	case 5: // applicants in 2023: n, share; by n desc
		var g groupSum
		var all int64
		for _, r := range o.primaries {
			if r.Meta.Year != 2023 {
				continue
			}
			for col, c := range r.Applications[report.RowNewReceived] {
				if col != report.ColTotal {
					g.add(string(col), cellValue(c))
					all += cellValue(c)
				}
			}
		}
		for _, k := range g.sorted() {
			out = append(out, []string{k, itoa(g.sums[k][0]), ratio(g.sums[k][0], all)})
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, _ := strconv.Atoi(out[i][1])
			b, _ := strconv.Atoi(out[j][1])
			if a != b {
				return a > b
			}
			return out[i][0] < out[j][0]
		})
	case 6: // year, group: cases, corrected, decided, rate
		var g groupSum
		for _, r := range o.primaries {
			for grp, outs := range r.Review {
				var cases, corr, decided int64
				for oc, c := range outs {
					v := cellValue(c)
					switch oc {
					case report.OutcomeTotal:
						cases += v
					case report.OutcomeCorrected:
						corr += v
						decided += v
					case report.OutcomeUpheld, report.OutcomeOther:
						decided += v
					}
				}
				if len(outs) > 0 {
					g.add(key(strconv.Itoa(r.Meta.Year), string(grp)), cases, corr, decided)
				}
			}
		}
		for _, k := range g.sorted() {
			f, s := strings.Split(k, "\x00"), g.sums[k]
			out = append(out, []string{f[0], f[1], itoa(s[0]), itoa(s[1]), itoa(s[2]), ratio(s[1], s[2])})
		}
	case 7: // year, rule: failing, checked, rate
		checked := map[int]int64{}
		var g groupSum
		for _, r := range o.primaries {
			checked[r.Meta.Year]++
			seen := map[report.Rule]bool{}
			for _, f := range r.Findings {
				if f.Status == report.StatusViolated && !seen[f.Rule] {
					seen[f.Rule] = true
					g.add(key(strconv.Itoa(r.Meta.Year), string(f.Rule)), 1)
				}
			}
		}
		for _, k := range g.sorted() {
			f := strings.Split(k, "\x00")
			y, _ := strconv.Atoi(f[0])
			out = append(out, []string{f[0], f[1], itoa(g.sums[k][0]), itoa(checked[y]), ratio(g.sums[k][0], checked[y])})
		}
	case 8: // province, body, missing year, last year
		latest := 0
		type bodyYears struct {
			years            map[int]bool
			first, last      int
			lastProvinceYear int
			province         string
		}
		bodies := map[string]*bodyYears{}
		for _, r := range o.primaries {
			latest = max(latest, r.Meta.Year)
			if r.Meta.Body == "" || r.Meta.Year == 0 {
				continue
			}
			b := bodies[r.Meta.Body]
			if b == nil {
				b = &bodyYears{years: map[int]bool{}, first: r.Meta.Year}
				bodies[r.Meta.Body] = b
			}
			b.years[r.Meta.Year] = true
			b.first, b.last = min(b.first, r.Meta.Year), max(b.last, r.Meta.Year)
			if r.Meta.Year >= b.lastProvinceYear {
				b.lastProvinceYear, b.province = r.Meta.Year, r.Meta.Region.Province
			}
		}
		for body, b := range bodies {
			for y := b.first + 1; y <= latest; y++ {
				if !b.years[y] {
					out = append(out, []string{b.province, body, strconv.Itoa(y), strconv.Itoa(b.last)})
				}
			}
		}
		sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], "\x00") < strings.Join(out[j], "\x00") })
	case 9: // top 10 bodies by received in the latest year
		latest := 0
		for _, a := range o.apps {
			latest = max(latest, a.rec.Meta.Year)
		}
		var top []*appAgg
		for _, a := range o.sortedApps() {
			if a.rec.Meta.Year == latest {
				top = append(top, a)
			}
		}
		sort.SliceStable(top, func(i, j int) bool {
			if top[i].received != top[j].received {
				return top[i].received > top[j].received
			}
			return top[i].rec.Meta.Body < top[j].rec.Meta.Body
		})
		for _, a := range top[:min(10, len(top))] {
			out = append(out, []string{a.rec.Meta.Body, a.rec.Meta.Region.Province, string(a.rec.Meta.Level), itoa(a.received)})
		}
	case 10: // carried over vs last year's carried forward
		prev := map[string]*appAgg{}
		for _, a := range o.apps {
			prev[key(a.rec.Meta.Body, strconv.Itoa(a.rec.Meta.Year))] = a
		}
		for _, a := range o.sortedApps() {
			p, ok := prev[key(a.rec.Meta.Body, strconv.Itoa(a.rec.Meta.Year-1))]
			if ok && p.carriedForward != a.carriedOver {
				out = append(out, []string{a.rec.Meta.Body, strconv.Itoa(a.rec.Meta.Year), itoa(a.carriedOver), itoa(p.carriedForward)})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i][0]+"\x00"+out[i][1] < out[j][0]+"\x00"+out[j][1] })
	case 11: // reports by county for 2023
		type agg struct {
			region                             report.Region
			reports, gov, dept, town, received int64
			townships                          map[string]bool
		}
		groups := map[string]*agg{}
		for _, r := range o.primaries {
			if r.Meta.Year != 2023 {
				continue
			}
			rg := r.Meta.Region
			k := key(rg.Province, rg.City, rg.County, rg.Code)
			g := groups[k]
			if g == nil {
				g = &agg{region: rg, townships: map[string]bool{}}
				groups[k] = g
			}
			g.reports++
			switch r.Meta.Level {
			case report.LevelNational, report.LevelProvince, report.LevelCity, report.LevelCounty:
				g.gov++
			case report.LevelDepartment:
				g.dept++
			case report.LevelTownship:
				g.town++
			}
			if rg.TownshipCode != "" {
				g.townships[rg.TownshipCode] = true
			}
			if a, ok := o.apps[r.Meta.DocID]; ok {
				g.received += a.received
			}
		}
		for _, g := range groups {
			rg := g.region
			out = append(out, []string{rg.Province, rg.City, rg.County, rg.Code, itoa(g.reports), itoa(g.gov), itoa(g.dept),
				itoa(g.town), strconv.Itoa(len(g.townships)), itoa(g.received)})
		}
		sort.Slice(out, func(i, j int) bool {
			return key(out[i][3], out[i][0], out[i][1], out[i][2]) < key(out[j][3], out[j][0], out[j][1], out[j][2])
		})
	case 12: // cities and counties of 河北省 without a report of their own government for 2023
		reported := map[string]bool{}
		for _, r := range o.primaries {
			if r.Meta.Year != 2023 {
				continue
			}
			code := r.Meta.Region.Code
			if r.Meta.Level == report.LevelTownship {
				code = r.Meta.Region.TownshipCode
			}
			reported[key(string(r.Meta.Level), code)] = true
		}
		tbl, err := regions.Default()
		if err != nil {
			panic(err)
		}
		for _, d := range tbl.Divisions() {
			lv, rg := d.Level(), d.Region()
			if rg.Province != "河北省" || (lv != report.LevelCity && lv != report.LevelCounty) ||
				d.Grouping() || d.Zone() || d.CityItself() || reported[key(string(lv), d.Code6())] {
				continue
			}
			out = append(out, []string{string(lv), d.Code6(), rg.City, rg.County, d.Name})
		}
		sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	}
	return out
}

// checkOnCurrentEngine copies the loaded tables into chDB (through the 18.16
// server's HTTP interface and TSV files), applies the migrations there, and checks
// that the documented questions, the README's queries and every view give there what
// they give on 18.16.
func checkOnCurrentEngine(t *testing.T, eng *chdbtest.Engine, conn driver.Conn, qs []docQuestion) {
	ctx := context.Background()
	var db string
	if err := conn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	httpAddr := chtest.Shared(t).HTTPAddr()
	dir := t.TempDir()
	ms, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var ddl []string
	for _, m := range ms {
		for _, s := range m.Statements {
			ddl = append(ddl, strings.ReplaceAll(s, warehouse.DatabasePlaceholder, db))
		}
	}
	steps := chdbtest.CopySteps(t, httpAddr, db, dir, ddl, warehouse.Tables)
	steps = append(steps, chdbtest.Step{SQL: "USE " + db}) // the queries name tables unqualified
	setup := len(steps)
	type query struct{ name, sql string }
	var queries []query
	for _, q := range qs {
		queries = append(queries, query{fmt.Sprintf("docs/analytics.md question %d", q.n), q.sql})
	}
	for i, s := range sqlBlocks(t, filepath.Join("..", "README.md")) {
		queries = append(queries, query{fmt.Sprintf("README query %d", i+1), s})
	}
	for _, v := range append(append([]string{}, warehouse.Views...), warehouse.AnalystViews...) {
		queries = append(queries, query{"view " + v, "SELECT * FROM " + v})
	}
	want := make([]string, len(queries))
	for i, q := range queries {
		if want[i], err = chdbtest.HTTPQuery(httpAddr, db, q.sql+"\nFORMAT TSV"); err != nil {
			t.Fatalf("%s on 18.16: %v", q.name, err)
		}
		steps = append(steps, chdbtest.Step{SQL: q.sql, Format: "TSV"})
	}
	version, res := eng.RunChecked(t, dir, steps, setup)
	for i, q := range queries {
		r := res[i]
		if r.Err != "" {
			t.Errorf("%s on ClickHouse %s: %s", q.name, version, r.Err)
			continue
		}
		if err := chdbtest.SameTSV(r.Out, want[i]); err != nil {
			t.Errorf("%s: ClickHouse %s and 18.16 differ: %v", q.name, version, err)
		}
	}
}
