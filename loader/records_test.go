package loader

import (
	"fmt"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// testRecord builds a record of a template with every cell of the template filled:
// mostly numbers, some blanks and text, a missing cell, values placed by position,
// and findings from the real rules. seed varies the numbers between documents.
func testRecord(docID string, tpl report.Template, extracted time.Time, seed int) *report.Record {
	r := report.New()
	r.Template = tpl
	r.Meta = report.Meta{
		DocID: docID, SourceURL: "http://www.dehui.gov.cn/xxgk/" + docID + ".html", Site: "dehui",
		Body: "德惠市岔路口镇人民政府", Title: "德惠市岔路口镇人民政府2020年政府信息公开工作年度报告",
		Year: 2020, Level: report.LevelTownship,
		Region: report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Township: "岔路口镇",
			Code: "220183", TownshipCode: "220183105"},
		PublishedAt: "2021-01-20", FetchedAt: time.Date(2021, 2, 1, 3, 4, 5, 0, time.UTC),
		ContentSHA256: fmt.Sprintf("%064x", seed), ParserVersion: "test-1", ExtractedAt: extracted,
		SiteIDCode: "2201830001",
		Placement: &report.Placement{DivisionLevel: report.LevelTownship, Confidence: 0.9,
			Evidence: []string{"body name 岔路口镇 under the site's county 德惠市"}},
	}
	i := seed
	for _, row := range report.Rows(tpl) {
		for _, col := range report.Cols {
			i++
			var c report.Cell
			switch {
			case row == report.RowCarriedForward && col == report.ColOtherOrg:
				c = report.Missing()
			case i%17 == 0:
				c = report.Blank("/")
			case i%23 == 0:
				c = report.Text("见附件")
			default:
				c = report.Number(float64(i % 40))
			}
			c.Src = fmt.Sprintf("t2:r%d:c%d", i/7, i%7)
			c.ByPosition = i%11 == 0
			r.Applications.Set(row, col, c)
		}
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			i++
			c := report.Number(float64(i % 3))
			if i%5 == 0 {
				c = report.Blank("")
			}
			r.Review.Set(g, o, c)
		}
	}
	for _, im := range report.DisclosureLayout(tpl) {
		i++
		c := report.Number(float64(i % 9))
		switch {
		case im.Metric == report.MetricAmount:
			c = report.Number(25000000 + float64(seed))
			c.Raw, c.Unit = "2500 万", report.UnitWan
		case im.Metric == report.MetricChange:
			c = report.Number(-1)
		case i%4 == 0:
			c = report.Blank("—")
		}
		r.Disclosure.Set(im.Item, im.Metric, c)
	}
	r.Findings = report.Check(r)
	r.Findings = append(r.Findings, report.Finding{Rule: report.RuleTextCell, Severity: report.SeverityWarning,
		Status: report.StatusFlagged, Scope: "table", Cells: []string{"granted.total"}, Message: "words in a number cell"},
		report.Finding{Rule: report.RuleTextCell, Severity: report.SeverityWarning,
			Status: report.StatusFlagged, Scope: "table", Cells: []string{"other.total"}, Message: "same rule and scope, another cell"})
	r.Confidence = 0.875
	return r
}

// testRejection builds a rejection.
func testRejection(docID string, extracted time.Time) *report.Rejection {
	return &report.Rejection{
		Schema: report.SchemaVersion, DocID: docID, URL: "http://www.dehui.gov.cn/xxgk/list.html", Site: "dehui",
		Kind: "page", Title: "信息公开目录", Reason: report.ReasonNotReport, Detail: "a list page, not a report",
		ContentSHA256: fmt.Sprintf("%064x", 7), Size: 5120, FetchedAt: time.Date(2021, 2, 1, 3, 0, 0, 0, time.UTC),
		ExtractedAt: extracted, ParserVersion: "test-1",
		Region: report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
	}
}
