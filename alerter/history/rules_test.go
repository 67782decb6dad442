package history

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// only returns a configuration with one rule on, at its default thresholds.
func only(rule report.Rule) Config {
	def, cfg := DefaultConfig(), Config{}
	switch rule {
	case report.RuleR5:
		cfg.CarryOver = def.CarryOver
	case report.RuleR6:
		cfg.Stock = def.Stock
	case RuleJump:
		cfg.Jump = def.Jump
	case RulePeerOutlier:
		cfg.Peer = def.Peer
	case RuleCopy:
		cfg.Copy = def.Copy
	case RuleMissing:
		cfg.Missing = def.Missing
	case RuleLate:
		cfg.Late = def.Late
	}
	return cfg
}

// evaluate runs Evaluate and checks what every alert must carry.
func evaluate(t *testing.T, conn Querier, db string, cfg Config, years []int, now time.Time) Result {
	t.Helper()
	res, err := Evaluate(context.Background(), conn, db, cfg, years, now)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range res.Alerts {
		if a.ID == "" || a.Key == "" || a.Status != alert.StatusOpen || a.DocID == "" || a.Body == "" ||
			a.MessageZH == "" || a.MessageEN == "" || a.Severity == "" || !a.RaisedAt.Equal(now.UTC().Truncate(time.Second)) {
			t.Errorf("incomplete alert %+v", a)
		}
		if len(a.Cells) != len(a.CellValues) {
			t.Errorf("%s: %d cells, %d values", a.Key, len(a.Cells), len(a.CellValues))
		}
		if seen[a.Key] {
			t.Errorf("key %s raised twice", a.Key)
		}
		seen[a.Key] = true
		if !strings.HasPrefix(a.Key, string(a.Rule)+"|"+a.Body+"|"+fmt.Sprint(a.Year)+"|") {
			t.Errorf("key %s does not name rule, body and year", a.Key)
		}
		if _, err := a.Marshal(); err != nil {
			t.Errorf("%s: %v", a.Key, err)
		}
	}
	return res
}

// summary renders alerts as "body year scope cells=values", sorted.
func summary(as []alert.Alert) []string {
	var out []string
	for _, a := range as {
		s := fmt.Sprintf("%s %d %s", a.Body, a.Year, a.Scope)
		for i, c := range a.Cells {
			s += " " + c + "=" + a.CellValues[i]
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func expect(t *testing.T, got []alert.Alert, want ...string) {
	t.Helper()
	slices.Sort(want)
	if g := summary(got); strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alerts\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

func byBody(as []alert.Alert, body string) *alert.Alert {
	for i := range as {
		if as[i].Body == body {
			return &as[i]
		}
	}
	return nil
}

var evalTime = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)

func TestCarryOver(t *testing.T) {
	conn, db := openWarehouse(t)
	var recs []*report.Record
	pair := func(body string) (*report.Record, *report.Record) {
		a, b := newRecord(body, 2021, report.LevelDepartment, "河北省"), newRecord(body, 2022, report.LevelDepartment, "河北省")
		recs = append(recs, a, b)
		return a, b
	}
	// Consistent: 3 carried forward, 3 carried over.
	a, b := pair("甲局")
	setApp(a, report.RowCarriedForward, report.ColNaturalPerson, 3)
	setApp(a, report.RowCarriedForward, report.ColTotal, 3)
	setApp(b, report.RowCarriedOver, report.ColNaturalPerson, 3)
	setApp(b, report.RowCarriedOver, report.ColTotal, 3)
	// Broken: 2 carried forward, 5 carried over.
	a, b = pair("乙局")
	setApp(a, report.RowCarriedForward, report.ColNaturalPerson, 2)
	setApp(a, report.RowCarriedForward, report.ColTotal, 2)
	setApp(b, report.RowCarriedOver, report.ColNaturalPerson, 5)
	setApp(b, report.RowCarriedOver, report.ColTotal, 5)
	// Blank counts as 0: blank against 0 holds, blank against 4 does not.
	a, b = pair("丙局")
	a.Applications.Set(report.RowCarriedForward, report.ColNaturalPerson, report.Blank("/"))
	a.Applications.Set(report.RowCarriedForward, report.ColTotal, report.Blank(""))
	setApp(b, report.RowCarriedOver, report.ColCommercial, 0)
	setApp(b, report.RowCarriedOver, report.ColTotal, 4)
	setApp(b, report.RowCarriedOver, report.ColCommercial, 4)
	setApp(a, report.RowCarriedForward, report.ColCommercial, 4)
	// Text is not assessable: no alert whatever the numbers.
	a, b = pair("丁局")
	setApp(a, report.RowCarriedForward, report.ColTotal, 7)
	b.Applications.Set(report.RowCarriedOver, report.ColTotal, report.Text("见附件"))
	// No previous report: nothing to compare.
	c := newRecord("戊局", 2022, report.LevelDepartment, "河北省")
	setApp(c, report.RowCarriedOver, report.ColTotal, 9)
	// A gap year: 2020 is not "last year" for 2022.
	d2020, d2022 := newRecord("己局", 2020, report.LevelDepartment, "河北省"), newRecord("己局", 2022, report.LevelDepartment, "河北省")
	setApp(d2022, report.RowCarriedOver, report.ColTotal, 9)
	recs = append(recs, c, d2020, d2022)
	load(t, conn, db, recs...)

	res := evaluate(t, conn, db, only(report.RuleR5), []int{2022}, evalTime)
	expect(t, res.Alerts,
		"乙局 2022 col:natural_person carried_over.natural_person=5 2021:carried_forward.natural_person=2",
		"乙局 2022 col:total carried_over.total=5 2021:carried_forward.total=2",
		"丙局 2022 col:total carried_over.total=4 2021:carried_forward.total=blank",
	)
	al := byBody(res.Alerts, "乙局")
	if al.Rule != report.RuleR5 || al.Severity != alert.SeverityError || len(al.Related) != 1 || al.Related[0].Year != 2021 ||
		al.Related[0].DocID != newRecord("乙局", 2021, "", "").Meta.DocID || al.DocID != newRecord("乙局", 2022, "", "").Meta.DocID ||
		al.Evidence["difference"] != 3 || al.Region.Province != "河北省" || al.Level != report.LevelDepartment {
		t.Errorf("alert %+v", al)
	}
	if !strings.Contains(al.MessageZH, "上年结转") || !strings.Contains(al.MessageZH, "5") || !strings.Contains(al.MessageEN, "R5") {
		t.Errorf("messages %q / %q", al.MessageZH, al.MessageEN)
	}
	blank := byBody(res.Alerts, "丙局")
	if !strings.Contains(blank.MessageZH, "空白单元格按0计算：2021:carried_forward.total") || !strings.Contains(blank.MessageEN, "Blank cells counted as 0") {
		t.Errorf("blank not said: %q / %q", blank.MessageZH, blank.MessageEN)
	}
	if want := []Scope{{report.RuleR5, 2022}}; !slices.Equal(res.Evaluated, want) {
		t.Errorf("evaluated %v, want %v", res.Evaluated, want)
	}
	// The same data gives the same IDs; evaluating 2021 finds nothing (no 2020).
	again := evaluate(t, conn, db, only(report.RuleR5), []int{2021, 2022}, evalTime.Add(time.Hour))
	if again.Alerts[0].ID != res.Alerts[0].ID || len(again.Alerts) != 3 {
		t.Errorf("IDs changed or 2021 raised alerts: %v", summary(again.Alerts))
	}
}

func TestCarryOverNewFiling(t *testing.T) {
	conn, db := openWarehouse(t)
	a, b := newRecord("乙局", 2021, report.LevelDepartment, "河北省"), newRecord("乙局", 2022, report.LevelDepartment, "河北省")
	setApp(a, report.RowCarriedForward, report.ColTotal, 2)
	setApp(b, report.RowCarriedOver, report.ColTotal, 5)
	load(t, conn, db, a, b)
	first := evaluate(t, conn, db, only(report.RuleR5), []int{2022}, evalTime).Alerts
	// A re-extraction (later version) of a corrected filing: another value, same key, new ID.
	b.Meta.ExtractedAt = fixtureTime.Add(time.Hour)
	b.Meta.ContentSHA256 = "changed"
	setApp(b, report.RowCarriedOver, report.ColTotal, 6)
	load(t, conn, db, b)
	second := evaluate(t, conn, db, only(report.RuleR5), []int{2022}, evalTime).Alerts
	if len(first) != 1 || len(second) != 1 || first[0].Key != second[0].Key || first[0].ID == second[0].ID ||
		second[0].CellValues[0] != "6" || second[0].Version != b.Version() {
		t.Fatalf("before %v, after %v", summary(first), summary(second))
	}
	// Fixed: no alert; the caller resolves the key.
	b.Meta.ExtractedAt = fixtureTime.Add(2 * time.Hour)
	setApp(b, report.RowCarriedOver, report.ColTotal, 2)
	load(t, conn, db, b)
	if got := evaluate(t, conn, db, only(report.RuleR5), []int{2022}, evalTime).Alerts; len(got) != 0 {
		t.Fatalf("fixed filing still raises %v", summary(got))
	}
}

func TestStock(t *testing.T) {
	conn, db := openWarehouse(t)
	stock := func(r *report.Record, issued, repealed, inForce float64) {
		r.Disclosure.Set(report.ItemNormativeDocs, report.MetricIssued, report.Number(issued))
		r.Disclosure.Set(report.ItemNormativeDocs, report.MetricRepealed, report.Number(repealed))
		r.Disclosure.Set(report.ItemNormativeDocs, report.MetricInForce, report.Number(inForce))
	}
	var recs []*report.Record
	add := func(body string, year int) *report.Record {
		r := newRecord(body, year, report.LevelCounty, "山西省")
		recs = append(recs, r)
		return r
	}
	// 10 + 3 − 1 = 12, but 13 printed.
	stock(add("甲县人民政府", 2021), 0, 0, 10)
	stock(add("甲县人民政府", 2022), 3, 1, 13)
	// 10 + 3 − 1 = 12: holds.
	stock(add("乙县人民政府", 2021), 0, 0, 10)
	stock(add("乙县人民政府", 2022), 3, 1, 12)
	// A blank repeal counts as 0: 10 + 3 = 13 holds.
	stock(add("丙县人民政府", 2021), 0, 0, 10)
	r := add("丙县人民政府", 2022)
	stock(r, 3, 0, 13)
	r.Disclosure.Set(report.ItemNormativeDocs, report.MetricRepealed, report.Blank("—"))
	// Text in force last year: not assessable.
	r = add("丁县人民政府", 2021)
	r.Disclosure.Set(report.ItemNormativeDocs, report.MetricInForce, report.Text("见附件"))
	stock(add("丁县人民政府", 2022), 3, 1, 40)
	// 2021 against a 2019-template 2020 report: no 现行有效 in 2020, not checked.
	add("戊县人民政府", 2020)
	stock(add("戊县人民政府", 2021), 3, 1, 40)
	// 2021 against a 2020 report that has 现行有效 (a mixed template): checked.
	r = add("己县人民政府", 2020)
	r.Template = report.TemplateMixed
	r.Disclosure.Set(report.ItemNormativeDocs, report.MetricInForce, report.Number(20))
	stock(add("己县人民政府", 2021), 2, 0, 25)
	// Regulations too.
	add("庚县人民政府", 2021).Disclosure.Set(report.ItemRegulations, report.MetricInForce, report.Number(4))
	add("庚县人民政府", 2022).Disclosure.Set(report.ItemRegulations, report.MetricIssued, report.Number(1))
	load(t, conn, db, recs...)

	res := evaluate(t, conn, db, only(report.RuleR6), []int{2021, 2022}, evalTime)
	expect(t, res.Alerts,
		"甲县人民政府 2022 item:normative_docs normative_docs.in_force=13 normative_docs.issued=3 normative_docs.repealed=1 2021:normative_docs.in_force=10",
		"己县人民政府 2021 item:normative_docs normative_docs.in_force=25 normative_docs.issued=2 normative_docs.repealed=0 2020:normative_docs.in_force=20",
		"庚县人民政府 2022 item:regulations regulations.in_force=0 regulations.issued=1 regulations.repealed=0 2021:regulations.in_force=4",
	)
	al := byBody(res.Alerts, "甲县人民政府")
	if al.Evidence["expected"] != 12 || al.Evidence["difference"] != 1 || !strings.Contains(al.MessageZH, "应为12件") {
		t.Errorf("alert %+v", al)
	}
}

func TestJumps(t *testing.T) {
	conn, db := openWarehouse(t)
	var recs []*report.Record
	series := func(body string, counts ...float64) []*report.Record {
		var out []*report.Record
		for i, n := range counts {
			if n < 0 {
				continue // no report that year
			}
			r := newRecord(body, 2022-len(counts)+1+i, report.LevelCounty, "山东省")
			setReceived(r, n, 0)
			out = append(out, r)
		}
		recs = append(recs, out...)
		return out
	}
	series("九点九倍县人民政府", 10, 99)           // ratio 9.9: no
	series("十倍县人民政府", 10, 100)            // ratio 10: yes
	series("一到十二县人民政府", 1, 12)            // ratio 12 but below 30: no
	series("从零到四十县人民政府", 0, 40)           // 0 counts as 1: ratio 40
	series("下降县人民政府", 300, 20)            // ratio 0.067: yes
	series("中位数县人民政府", 10, 200, 12, 119)  // median of 10, 200, 12 is 12: ratio 9.9, no
	series("中位数二县人民政府", 10, 200, 12, 120) // ratio 10: yes
	series("隔年县人民政府", 10, -1, 100)        // the baseline skips the missing year
	series("首年县人民政府", 500)                // no history
	blank := series("空白县人民政府", 10, 0)
	blank[1].Applications.Set(report.RowNewReceived, report.ColTotal, report.Blank("")) // blank is 0: ratio 0.1 but max 10 < 30
	text := series("文字县人民政府", 10, 0)
	text[1].Applications.Set(report.RowNewReceived, report.ColTotal, report.Text("若干"))

	// Granted share: 36/40 → 12/40 moves by −0.6; 20/40 → 0/40 by exactly −0.5;
	// 19/40 → 0/40 by −0.475; 9/10 → 1/10 processed below 30.
	share := func(body string, g0, t0, g1, t1 float64) {
		a, b := newRecord(body, 2021, report.LevelCounty, "山东省"), newRecord(body, 2022, report.LevelCounty, "山东省")
		setReceived(a, t0, g0)
		setReceived(b, t1, g1)
		recs = append(recs, a, b)
	}
	share("比例大变县人民政府", 36, 40, 12, 40)
	share("比例半变县人民政府", 20, 40, 0, 40)
	share("比例小变县人民政府", 19, 40, 0, 40)
	share("数量少县人民政府", 9, 10, 1, 10)
	// Granted above processed (R3 broken): no share.
	a, b := newRecord("超额县人民政府", 2021, report.LevelCounty, "山东省"), newRecord("超额县人民政府", 2022, report.LevelCounty, "山东省")
	setReceived(a, 40, 40)
	setReceived(b, 40, 0)
	setApp(b, report.RowGranted, report.ColTotal, 90)
	recs = append(recs, a, b)
	load(t, conn, db, recs...)

	res := evaluate(t, conn, db, only(RuleJump), []int{2022}, evalTime)
	expect(t, res.Alerts,
		"十倍县人民政府 2022 received new_received.total=100 2021:new_received.total=10",
		"从零到四十县人民政府 2022 received new_received.total=40 2021:new_received.total=0",
		"下降县人民政府 2022 received new_received.total=20 2021:new_received.total=300",
		"中位数二县人民政府 2022 received new_received.total=120 2021:new_received.total=12 2020:new_received.total=200 2019:new_received.total=10",
		"隔年县人民政府 2022 received new_received.total=100 2020:new_received.total=10",
		"比例大变县人民政府 2022 granted_share granted.total=12 total.total=40 2021:granted.total=36 2021:total.total=40",
		"比例半变县人民政府 2022 granted_share granted.total=0 total.total=40 2021:granted.total=20 2021:total.total=40",
	)
	al := byBody(res.Alerts, "十倍县人民政府")
	if al.Evidence["ratio"] != 10 || al.Evidence["baseline_median"] != 10 || !strings.Contains(al.MessageZH, "10.0倍") {
		t.Errorf("alert %+v", al)
	}
	if al := byBody(res.Alerts, "比例大变县人民政府"); !strings.Contains(al.MessageZH, "30.0%") || !strings.Contains(al.MessageEN, "-60.0 points") {
		t.Errorf("share alert %q / %q", al.MessageZH, al.MessageEN)
	}
	// Thresholds come from the configuration.
	cfg := only(RuleJump)
	cfg.Jump.Ratio, cfg.Jump.ShareJump = 20, 0.9
	expect(t, evaluate(t, conn, db, cfg, []int{2022}, evalTime).Alerts, // 300 → 20 is 1/15
		"从零到四十县人民政府 2022 received new_received.total=40 2021:new_received.total=0")
}

func TestPeers(t *testing.T) {
	conn, db := openWarehouse(t)
	var recs []*report.Record
	group := func(province string, level report.Level, name string, counts ...float64) {
		for i, n := range counts {
			r := newRecord(fmt.Sprintf("%s%02d", name, i), 2022, level, province)
			setReceived(r, n, 0)
			recs = append(recs, r)
		}
	}
	// All zeros but one: no scale, the distance decides (60 ≥ 50).
	group("吉林省", report.LevelTownship, "吉林镇", 0, 0, 0, 0, 0, 0, 0, 0, 0, 60)
	// All zeros but 5: not an outlier (the all-zero township reports).
	group("辽宁省", report.LevelTownship, "辽宁镇", 0, 0, 0, 0, 0, 0, 0, 0, 0, 5)
	// A group of 7: too small whatever it holds.
	group("福建省", report.LevelTownship, "福建镇", 0, 0, 0, 0, 0, 0, 900)
	// Departments with a spread: the MAD decides; 4000 is far, 60 is not.
	group("浙江省", report.LevelDepartment, "浙江局", 3, 5, 8, 10, 12, 15, 20, 25, 9, 60, 4000)
	// Most departments report 0 (MAD 0): the mean absolute deviation decides.
	group("江西省", report.LevelDepartment, "江西局", 0, 0, 0, 0, 0, 0, 1, 2, 3, 900)
	// Far below: counties with hundreds, one with 0.
	group("湖南省", report.LevelCounty, "湖南县", 300, 320, 280, 310, 305, 290, 315, 299, 0)
	// Same numbers, another level: not peers of the townships of 吉林省.
	group("吉林省", report.LevelDepartment, "吉林局", 60, 70)
	load(t, conn, db, recs...)

	res := evaluate(t, conn, db, only(RulePeerOutlier), []int{2022}, evalTime)
	expect(t, res.Alerts,
		"吉林镇09 2022 received new_received.total=60",
		"浙江局10 2022 received new_received.total=4000",
		"江西局09 2022 received new_received.total=900",
		"湖南县08 2022 received new_received.total=0",
	)
	if res.Stats.PeerGroups != 5 {
		t.Errorf("%d peer groups compared, want 5", res.Stats.PeerGroups)
	}
	al := byBody(res.Alerts, "江西局09")
	if al.Evidence["mad"] != 0 || al.Evidence["mean_ad"] == 0 || al.Evidence["group"] != 10 || al.Evidence["peer_median"] != 0 ||
		!strings.Contains(al.MessageZH, "平均绝对偏差") {
		t.Errorf("mean-AD alert %+v", al)
	}
	al = byBody(res.Alerts, "浙江局10")
	if al.Evidence["mad"] == 0 || al.Evidence["z"] < 5 || al.Evidence["peer_median"] != 11 || !strings.Contains(al.MessageZH, "远高于浙江省部门") {
		t.Errorf("MAD alert %+v", al)
	}
	if al := byBody(res.Alerts, "湖南县08"); al.Evidence["z"] > -5 || !strings.Contains(al.MessageZH, "远低于") {
		t.Errorf("low outlier %+v", al)
	}
	if al := byBody(res.Alerts, "吉林镇09"); !strings.Contains(al.MessageZH, "均为0件") {
		t.Errorf("no-scale alert %q", al.MessageZH)
	}
}

func TestCopies(t *testing.T) {
	conn, db := openWarehouse(t)
	// tables fills a record with 27 non-zero cells derived from seed: a
	// consistent application table and disclosure figures.
	tables := func(r *report.Record, seed float64) {
		setReceived(r, 20+seed, 11+seed)
		for i, c := range []report.Col{report.ColCommercial, report.ColResearch, report.ColLegalServices} {
			v := float64(i+1) + seed
			setApp(r, report.RowNewReceived, c, v)
			setApp(r, report.RowGranted, c, v)
			setApp(r, report.RowTotal, c, v)
		}
		for i, im := range report.DisclosureLayout(r.Template) {
			r.Disclosure.Set(im.Item, im.Metric, report.Number(float64(100+7*i)+seed))
		}
	}
	pub := func(r *report.Record, day int) { r.Meta.PublishedAt = fmt.Sprintf("%d-01-%02d", r.Meta.Year+1, day) }
	var recs []*report.Record
	add := func(body string, year int, level report.Level) *report.Record {
		r := newRecord(body, year, level, "江苏省")
		recs = append(recs, r)
		return r
	}
	orig := add("甲局", 2022, report.LevelDepartment)
	tables(orig, 0)
	pub(orig, 10)
	// Identical tables, published later: the copy.
	same := add("乙局", 2022, report.LevelDepartment)
	tables(same, 0)
	pub(same, 12)
	// One cell of 27 differs: 26/27 = 96.3 %.
	near1 := add("丙局", 2022, report.LevelDepartment)
	tables(near1, 0)
	pub(near1, 20)
	near1.Disclosure.Set(report.ItemPenalty, report.MetricDecisions, report.Number(1))
	// Three cells differ: 24/27 = 88.9 %: not a copy.
	near3 := add("丁局", 2022, report.LevelDepartment)
	tables(near3, 0)
	pub(near3, 21)
	for _, it := range []report.Item{report.ItemPenalty, report.ItemLicensing, report.ItemEnforcement} {
		near3.Disclosure.Set(it, report.MetricDecisions, report.Number(2))
	}
	// Unrelated tables.
	tables(add("戊局", 2022, report.LevelDepartment), 3)
	// All-zero township reports and near-empty ones are never copies.
	add("子镇人民政府", 2022, report.LevelTownship)
	add("丑镇人民政府", 2022, report.LevelTownship)
	for _, b := range []string{"寅镇人民政府", "卯镇人民政府"} {
		r := add(b, 2022, report.LevelTownship)
		setReceived(r, 1, 1) // 6 non-empty cells
	}
	// Last year's report filed again: a copy of its own previous year.
	tables(add("辰局", 2021, report.LevelDepartment), 5)
	tables(add("辰局", 2022, report.LevelDepartment), 5)
	// The same document under two bodies (same content hash), near-empty as it is.
	doc1, doc2 := add("巳镇人民政府", 2022, report.LevelTownship), add("午镇人民政府", 2022, report.LevelTownship)
	doc2.Meta.ContentSHA256 = doc1.Meta.ContentSHA256
	pub(doc1, 3)
	pub(doc2, 3) // the same day: the larger doc_id is the copy
	// A copy of an older year of another body.
	tables(add("未局", 2020, report.LevelDepartment), 9)
	old := add("申局", 2022, report.LevelDepartment)
	old.Template = report.Template2021
	tables(old, 9)
	// 未局 2020 (template 2019) and 申局 2022 (template 2021) share the application
	// table only; make 申局 2022 a copy of 未局 2021 instead.
	tables(add("未局", 2021, report.LevelDepartment), 9)
	load(t, conn, db, recs...)

	res := evaluate(t, conn, db, only(RuleCopy), []int{2022}, evalTime)
	copier, original := "午镇人民政府", "巳镇人民政府"
	if doc2.Meta.DocID < doc1.Meta.DocID {
		copier, original = original, copier
	}
	expect(t, res.Alerts,
		"乙局 2022 tables",
		"丙局 2022 tables penalty.decisions=1",
		"辰局 2022 tables",
		copier+" 2022 tables",
		"申局 2022 tables",
	)
	rel := func(body string) string {
		a := byBody(res.Alerts, body)
		return fmt.Sprintf("%s %d %v", a.Related[0].Body, a.Related[0].Year, a.Evidence["similarity"])
	}
	for body, want := range map[string]string{
		"乙局": "甲局 2022 1", "丙局": "甲局 2022 0.963", "辰局": "辰局 2021 1", copier: original + " 2022 1", "申局": "未局 2021 1",
	} {
		if got := rel(body); got != want {
			t.Errorf("%s copies %s, want %s", body, got, want)
		}
	}
	if a := byBody(res.Alerts, "丙局"); !strings.Contains(a.MessageZH, "penalty.decisions为1（对方149）") || a.Evidence["same_cells"] != 26 {
		t.Errorf("near copy %+v", a)
	}
	if a := byBody(res.Alerts, copier); a.Evidence["identical_document"] != 1 {
		t.Errorf("identical document %+v", a)
	}
	if res.Stats.Candidates > 10 {
		t.Errorf("%d candidate pairs compared: blocking does not block", res.Stats.Candidates)
	}
	// Near-identical at a lower threshold: 丁局 (88.9 %) becomes a copy.
	cfg := only(RuleCopy)
	cfg.Copy.Similarity = 0.88
	if a := byBody(evaluate(t, conn, db, cfg, []int{2022}, evalTime).Alerts, "丁局"); a == nil {
		t.Error("丁局 not a copy at 0.88")
	}
}

func TestMissingAndLate(t *testing.T) {
	conn, db := openWarehouse(t)
	var recs []*report.Record
	add := func(body string, year int, level report.Level, published string) {
		r := newRecord(body, year, level, "广东省")
		r.Meta.PublishedAt = published
		recs = append(recs, r)
	}
	add("甲局", 2021, report.LevelDepartment, "2022-01-20") // missing 2022
	add("乙县人民政府", 2021, report.LevelCounty, "2022-03-01")
	add("丙局", 2021, report.LevelDepartment, "2022-01-20")
	add("丙局", 2022, report.LevelDepartment, "2023-01-31") // on the deadline day
	add("丁局", 2022, report.LevelDepartment, "2023-02-01") // a day late
	add("戊县人民政府", 2022, report.LevelCounty, "2023-03-31")
	add("己县人民政府", 2022, report.LevelCounty, "2023-04-02")
	add("庚镇人民政府", 2022, report.LevelTownship, "2023-02-10")
	add("辛镇人民政府", 2022, report.LevelTownship, "")       // no date: not judged
	add("壬中心", 2022, report.LevelUnknown, "2023-12-01") // no level: not judged
	load(t, conn, db, recs...)

	for _, tc := range []struct {
		name string
		now  time.Time
		cfg  func(*Config)
		want []string
	}{
		{"before any deadline", time.Date(2023, 1, 31, 23, 0, 0, 0, cst), nil, nil},
		{"departments due", time.Date(2023, 2, 1, 0, 30, 0, 0, cst), nil, []string{"甲局 2022 report"}},
		{"grace", time.Date(2023, 2, 1, 0, 30, 0, 0, cst), func(c *Config) { c.Missing.Grace = 48 * time.Hour }, nil},
		{"governments due", time.Date(2023, 4, 1, 0, 0, 1, 0, cst), nil, []string{"甲局 2022 report", "乙县人民政府 2022 report"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := only(RuleMissing)
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			expect(t, evaluate(t, conn, db, cfg, []int{2022}, tc.now).Alerts, tc.want...)
		})
	}
	res := evaluate(t, conn, db, only(RuleMissing), []int{2022}, time.Date(2023, 5, 1, 0, 0, 0, 0, cst))
	al := byBody(res.Alerts, "甲局")
	if al.DocID != newRecord("甲局", 2021, "", "").Meta.DocID || al.Year != 2022 || al.Related[0].Year != 2021 ||
		!strings.Contains(al.MessageZH, "2023年1月31日") || al.Region.Province != "广东省" {
		t.Errorf("missing alert %+v", al)
	}

	late := evaluate(t, conn, db, only(RuleLate), []int{2022}, evalTime)
	expect(t, late.Alerts, "丁局 2022 published", "己县人民政府 2022 published", "庚镇人民政府 2022 published")
	for body, days := range map[string]float64{"丁局": 1, "己县人民政府": 2, "庚镇人民政府": 10} {
		if a := byBody(late.Alerts, body); a.Evidence["days_late"] != days || a.Severity != alert.SeverityInfo {
			t.Errorf("%s: %+v", body, a)
		}
	}
}

func TestEvaluateArguments(t *testing.T) {
	conn, db := openWarehouse(t)
	ctx := context.Background()
	if _, err := Evaluate(ctx, conn, "x; DROP TABLE y", DefaultConfig(), []int{2022}, evalTime); err == nil {
		t.Error("a database name that is not an identifier was accepted")
	}
	if _, err := Evaluate(ctx, conn, db, DefaultConfig(), []int{22}, evalTime); err == nil {
		t.Error("year 22 accepted")
	}
	bad := DefaultConfig()
	bad.Jump.Ratio = 1
	if _, err := Evaluate(ctx, conn, db, bad, []int{2022}, evalTime); err == nil {
		t.Error("an invalid configuration was accepted")
	}
	// An empty warehouse: every scope evaluated, no alert.
	res := evaluate(t, conn, db, DefaultConfig(), []int{2022, 2021, 2022}, evalTime)
	if len(res.Alerts) != 0 || len(res.Evaluated) != 2*len(Rules) || res.Evaluated[0] != (Scope{report.RuleR5, 2021}) {
		t.Errorf("empty warehouse: %+v", res)
	}
	// Rules off: not evaluated.
	if res := evaluate(t, conn, db, Config{}, []int{2022}, evalTime); len(res.Evaluated) != 0 {
		t.Errorf("nothing enabled, evaluated %v", res.Evaluated)
	}
}
