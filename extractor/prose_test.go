package extractor

import (
	"errors"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// legacyReport is an older report: its headings, and the statistics in sentences.
const legacyReport = `某某县人民政府办公室2017年政府信息公开工作年度报告
一、概述
2017年，我办认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。
二、主动公开政府信息情况
全年主动公开政府信息355条，对依法应当予以公开的政府信息均予以公开。
三、收到和处理政府信息公开申请情况
2017年，我办共受理政府信息公开申请12件，其中自然人申请10件，法人或其他组织申请2件；予以公开8件，部分公开2件，不予公开1件，信息不存在1件。
四、政府信息公开行政复议、行政诉讼情况
2017年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。
五、存在的主要问题及改进情况
公开内容还不够全面。
`

func TestProseFallback(t *testing.T) {
	rec := mustParse(t, Input{URL: "http://www.example.gov.cn/a.txt", Body: []byte(legacyReport), ContentType: "text/plain; charset=utf-8"})
	if rec.Template != report.TemplateLegacy {
		t.Errorf("template %s", rec.Template)
	}
	for addr, want := range map[[2]string]float64{
		{"new_received", "total"}: 12, {"new_received", "natural_person"}: 10,
		{"granted", "total"}: 8, {"partially_granted", "total"}: 2, {"unable.not_held", "total"}: 1,
	} {
		c := rec.Applications.Get(report.Row(addr[0]), report.Col(addr[1]))
		if c.State != report.StateNumber || c.Value != want || c.Src != "l7" || c.Raw == "" {
			t.Errorf("%s.%s = %+v, want %v from l7", addr[0], addr[1], c, want)
		}
	}
	for _, g := range report.ReviewGroups {
		if c := rec.Review.Get(g, report.OutcomeTotal); c.State != report.StateNumber || c.Value != 0 || c.Src != "l9" {
			t.Errorf("review %s.total = %+v", g, c)
		}
	}
	// Only what the sentences state: no cell is made up, none is marked missing.
	n := 0
	for _, cols := range rec.Applications {
		n += len(cols)
	}
	if n != 5 || len(rec.Disclosure) != 0 {
		t.Errorf("%d application cells, disclosure %v", n, rec.Disclosure)
	}
	// 不予公开 1 and the organisations' 2 have no cell: unplaced, with the line.
	var unplaced []string
	for _, f := range rec.Findings {
		if f.Rule == report.RuleUnplaced {
			unplaced = append(unplaced, f.Message)
		}
	}
	if len(unplaced) != 2 || !strings.Contains(strings.Join(unplaced, "\n"), "不予公开1件") {
		t.Errorf("unplaced findings %q", unplaced)
	}
	if rec.Confidence <= 0 || rec.Confidence > proseConfidence {
		t.Errorf("confidence %v, want at most %v", rec.Confidence, proseConfidence)
	}
}

func TestProseNeverOverTables(t *testing.T) {
	// The same report with its application row printed: the table is read, the
	// sentence (which disagrees) is not.
	doc := strings.Replace(legacyReport, "五、存在的主要问题", "\t一、本年新收政府信息公开申请数量\n\t9\n\t0\n\t0\n\t0\n\t0\n\t0\n\t9\n\n五、存在的主要问题", 1)
	rec := mustParse(t, Input{URL: "http://www.example.gov.cn/a.txt", Body: []byte(doc), ContentType: "text/plain"})
	if c := rec.Applications.Get(report.RowNewReceived, report.ColTotal); c.Value != 9 || c.Raw != "9" {
		t.Errorf("new_received.total %+v", c)
	}
	if rec.Applications.HasRow(report.RowGranted) && rec.Applications.Get(report.RowGranted, report.ColTotal).State == report.StateNumber {
		t.Errorf("granted read from prose: %+v", rec.Applications[report.RowGranted])
	}
	for _, f := range rec.Findings {
		if strings.Contains(f.Message, "prose") {
			t.Errorf("prose finding %s", f.Message)
		}
	}
}

func TestProseDoesNotMakeAReport(t *testing.T) {
	// A news item that quotes a count is still not a report.
	doc := "关于公布政府信息公开工作年度报告的通知\n各单位：今年共受理政府信息公开申请12件，其中予以公开8件。请登录网站查看年度报告全文。\n"
	_, err := Parse(Input{URL: "http://www.example.gov.cn/n.txt", Body: []byte(doc), ContentType: "text/plain"})
	var rej *report.Rejection
	if !errors.As(err, &rej) || rej.Reason != report.ReasonNotReport {
		t.Fatalf("got %v, want a not_report rejection", err)
	}
}

func TestProseInHTML(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>2017年政府信息公开工作年度报告</title></head><body><div class="TRS_Editor">`)
	for _, l := range strings.Split(strings.TrimSpace(legacyReport), "\n") {
		b.WriteString("<p>" + l + "</p>")
	}
	b.WriteString(`</div></body></html>`)
	rec := mustParse(t, Input{URL: "http://www.example.gov.cn/a.html", Body: []byte(b.String()), ContentType: "text/html; charset=utf-8"})
	if c := rec.Applications.Get(report.RowGranted, report.ColTotal); c.Value != 8 || c.State != report.StateNumber || !strings.HasPrefix(c.Src, "l") {
		t.Errorf("granted.total %+v", c)
	}
	if rec.Template != report.TemplateLegacy {
		t.Errorf("template %s", rec.Template)
	}
}
