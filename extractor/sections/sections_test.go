package sections

import (
	"strings"
	"testing"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/pkg/report"
)

// tokens makes an unaligned grid row from texts ("l<i>" sources).
func tokens(texts ...string) grid.Row {
	var r grid.Row
	for i, t := range texts {
		r.Cells = append(r.Cells, grid.Cell{Text: t, Src: "l" + string(rune('a'+i)), Col: -1, Span: 1})
	}
	return r
}

// aligned makes an aligned grid row: each cell with its start column and span.
func aligned(cells ...any) grid.Row {
	var r grid.Row
	for i := 0; i+2 < len(cells)+1 && i+2 <= len(cells); i += 3 {
		r.Cells = append(r.Cells, grid.Cell{Text: cells[i].(string), Col: cells[i+1].(int), Span: cells[i+2].(int), Src: "t1"})
	}
	return r
}

func TestApplicationsByHeaderColumns(t *testing.T) {
	// The header puts 总计 first and 自然人 last: values follow the header, not the
	// template order; a stray note column is ignored.
	g := grid.Grid{Aligned: true, Rows: []grid.Row{
		aligned("申请人情况", 1, 8),
		aligned("总计", 1, 1, "商业企业", 2, 1, "科研机构", 3, 1, "社会公益组织", 4, 1, "法律服务机构", 5, 1, "其他", 6, 1, "自然人", 7, 1, "备注", 8, 1),
		aligned("一、本年新收政府信息公开申请数量", 0, 1, "9", 1, 1, "1", 2, 1, "0", 3, 1, "0", 4, 1, "0", 5, 1, "0", 6, 1, "8", 7, 1, "无", 8, 1),
	}}
	res := Read([]grid.Grid{g})
	if c := res.Applications.Get(report.RowNewReceived, report.ColTotal); c.Value != 9 {
		t.Errorf("total %+v", c)
	}
	if c := res.Applications.Get(report.RowNewReceived, report.ColNaturalPerson); c.Value != 8 {
		t.Errorf("natural_person %+v", c)
	}
	if len(res.Unplaced) != 0 || res.Cells[3] != 7 {
		t.Errorf("unplaced %+v cells %v", res.Unplaced, res.Cells)
	}
}

func TestTextRowsAndTemplateEvidence(t *testing.T) {
	g := grid.Grid{Section: 3, Rows: []grid.Row{
		tokens("申请人情况", "自然人", "一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"),
		tokens("（六）其他处理", "0", "0", "0", "0", "0", "0", "0", "0"),
		tokens("无法识别的行", "3", "3"),
	}}
	res := Read([]grid.Grid{g})
	if res.Template() != report.Template2019 {
		t.Errorf("template %s", res.Template())
	}
	if len(res.Unplaced) != 2 {
		t.Fatalf("unplaced %+v", res.Unplaced)
	}
	if !strings.Contains(res.Unplaced[0].Reason, "kept the last 7") || !strings.Contains(res.Unplaced[1].Reason, "not recognised") {
		t.Errorf("reasons %q / %q", res.Unplaced[0].Reason, res.Unplaced[1].Reason)
	}
}

func TestDisclosureHeaderAndDuplicates(t *testing.T) {
	g := grid.Grid{Rows: []grid.Row{
		tokens("第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "1", "0", "4"),
		tokens("规章", "2", "0", "4"),
		tokens("第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "0.5"),
	}}
	res := Read([]grid.Grid{g})
	if c := res.Disclosure.Get(report.ItemRegulations, report.MetricIssued); c.Value != 1 || c.Src != "lg" {
		t.Errorf("first value must win: %+v", c)
	}
	if c := res.Disclosure.Get(report.ItemFees, report.MetricAmount); c.Value != 5000 || c.Unit != report.UnitWanYuan {
		t.Errorf("fees %+v", c)
	}
	if res.Template() != report.Template2021 || len(res.Unplaced) != 3 {
		t.Errorf("template %s unplaced %+v", res.Template(), res.Unplaced)
	}
	// The 2021 block of 规章 also expects 规范性文件.
	found := false
	for _, im := range res.ExpectedDisclosure {
		found = found || im == report.ItemMetric{Item: report.ItemNormativeDocs, Metric: report.MetricInForce}
	}
	if !found {
		t.Errorf("expected %v", res.ExpectedDisclosure)
	}
}

func TestReviewRows(t *testing.T) {
	g := grid.Grid{Section: 4, Rows: []grid.Row{
		tokens("行政复议", "1", "0", "0", "0", "1"),
		tokens("未经复议直接起诉", "0", "0", "0", "2", "2"),
	}}
	res := Read([]grid.Grid{g})
	if res.Review.Get(report.GroupReview, report.OutcomeUpheld).Value != 1 ||
		res.Review.Get(report.GroupLitigationDirect, report.OutcomePending).Value != 2 ||
		!res.Review.Get(report.GroupLitigationAfterReview, report.OutcomeTotal).IsZero() {
		t.Errorf("review %+v", res.Review)
	}
}

// reviewRow makes the 15-cell value row of section 四 from texts.
func reviewRow(texts ...string) grid.Row {
	var r grid.Row
	for i, t := range texts {
		r.Cells = append(r.Cells, grid.Cell{Text: t, Col: i, Span: 1, Src: "t1"})
	}
	return r
}

func TestReviewValueRows(t *testing.T) {
	header := aligned("行政复议", 0, 5, "行政诉讼", 5, 10)
	blank15 := make([]string, 15)
	leading := append([]string{"", "0"}, blank15[2:]...)
	tests := []struct {
		name string
		rows []grid.Row
		// want is upheld and total of each group, as cell strings.
		want     [6]string
		unplaced int
	}{
		{"numbers", []grid.Row{header, reviewRow("1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "2", "0", "0", "0", "2")},
			[6]string{"1", "1", "0", "0", "2", "2"}, 0},
		// Leading empty cells of a row without labels are blanks, not padding.
		{"leading blanks", []grid.Row{header, reviewRow(leading...)},
			[6]string{"blank", "blank", "blank", "blank", "blank", "blank"}, 0},
		// A body with no reviews may leave every cell empty.
		{"all blank", []grid.Row{header, reviewRow(blank15...)},
			[6]string{"blank", "blank", "blank", "blank", "blank", "blank"}, 0},
		// An empty row after the values is a spacer, not a second value row.
		{"spacer after values", []grid.Row{header, reviewRow("1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "2", "0", "0", "0", "2"), reviewRow(blank15...)},
			[6]string{"1", "1", "0", "0", "2", "2"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Read([]grid.Grid{{Section: 4, Aligned: true, Rows: tt.rows}})
			var got [6]string
			for i, g := range report.ReviewGroups {
				got[2*i] = res.Review.Get(g, report.OutcomeUpheld).String()
				got[2*i+1] = res.Review.Get(g, report.OutcomeTotal).String()
			}
			if got != tt.want || len(res.Unplaced) != tt.unplaced {
				t.Errorf("got %v unplaced %+v, want %v and %d unplaced", got, res.Unplaced, tt.want, tt.unplaced)
			}
		})
	}
}

// Words in a value column of section 二 ("详见附表") are that column's value: the
// numbers after them keep their columns.
func TestDisclosureTextInValueColumn(t *testing.T) {
	for _, row := range []grid.Row{
		tokens("规范性文件", "详见附表", "6", "98"),
		aligned("规范性文件", 0, 1, "详见附表", 1, 1, "6", 2, 1, "98", 3, 1),
		aligned("规范性文件", 0, 1, "6", 1, 1, "见附件", 2, 1, "98", 3, 1),
	} {
		g := grid.Grid{Section: 2, Rows: []grid.Row{tokens("第二十条第（一）项"), tokens("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"), row}}
		res := Read([]grid.Grid{g})
		var got []string
		for _, m := range []report.Metric{report.MetricNewMade, report.MetricNewPublished, report.MetricTotalPublished} {
			got = append(got, res.Disclosure.Get(report.ItemNormativeDocs, m).String())
		}
		want := make([]string, 3)
		for i, c := range row.Cells[1:] {
			want[i] = c.Text
			if c.Text == "详见附表" || c.Text == "见附件" {
				want[i] = `text("` + c.Text + `")`
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") || len(res.Unplaced) != 0 {
			t.Errorf("%v: got %v unplaced %+v, want %v", texts(row.Cells), got, res.Unplaced, want)
		}
	}
}
