package sections

import (
	"testing"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/pkg/report"
)

// TestDisclosureTextCells reads section 二 tables whose cells hold words ("详见附表",
// "见附件") where a number belongs: on an aligned grid by the header's columns (the
// empty cells before the words are blanks), and in flattened text wherever the
// words fall — after the item's label, between its values, at the end of its row
// (where flattening puts them before the next row's labels) and at the end of the
// section.
func TestDisclosureTextCells(t *testing.T) {
	type cell struct {
		it  report.Item
		m   report.Metric
		raw string
		st  report.State
	}
	num := func(it report.Item, m report.Metric, raw string) cell { return cell{it, m, raw, report.StateNumber} }
	txt := func(it report.Item, m report.Metric, raw string) cell { return cell{it, m, raw, report.StateText} }
	blank := func(it report.Item, m report.Metric, raw string) cell { return cell{it, m, raw, report.StateBlank} }
	hdr2021 := []string{"第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"}
	tests := []struct {
		name     string
		grid     grid.Grid
		want     []cell
		unplaced int
	}{
		{
			name: "aligned: empty cells, then words",
			grid: grid.Grid{Aligned: true, Rows: []grid.Row{
				aligned("第二十条第（一）项", 0, 4),
				aligned("信息内容", 0, 1, "本年制发件数", 1, 1, "本年废止件数", 2, 1, "现行有效件数", 3, 1),
				aligned("规章", 0, 1, "", 1, 1, "", 2, 1, "见附件", 3, 1),
				aligned("行政规范性文件", 0, 1, "2", 1, 1, "详见附表", 2, 1, "9", 3, 1),
			}},
			want: []cell{
				blank(report.ItemRegulations, report.MetricIssued, ""), blank(report.ItemRegulations, report.MetricRepealed, ""),
				txt(report.ItemRegulations, report.MetricInForce, "见附件"),
				num(report.ItemNormativeDocs, report.MetricIssued, "2"), txt(report.ItemNormativeDocs, report.MetricRepealed, "详见附表"),
				num(report.ItemNormativeDocs, report.MetricInForce, "9"),
			},
		},
		{
			name: "flattened: words between values and at the end of a row",
			grid: grid.Grid{Section: 2, Rows: []grid.Row{
				tokens(append(hdr2021, "规章")...),
				tokens("0", "0", "0"),
				tokens("行政规范性文件", "3"),
				tokens("详见附表", "12"),
				tokens("第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "5"),
			}},
			want: []cell{
				num(report.ItemRegulations, report.MetricIssued, "0"), num(report.ItemRegulations, report.MetricRepealed, "0"),
				num(report.ItemRegulations, report.MetricInForce, "0"),
				num(report.ItemNormativeDocs, report.MetricIssued, "3"), txt(report.ItemNormativeDocs, report.MetricRepealed, "详见附表"),
				num(report.ItemNormativeDocs, report.MetricInForce, "12"), num(report.ItemLicensing, report.MetricDecisions, "5"),
			},
		},
		{
			name: "flattened: a one-value item's words run into the next block",
			grid: grid.Grid{Section: 2, Rows: []grid.Row{
				tokens("第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "7"),
				tokens("行政强制", "见附件", "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "1.5"),
			}},
			want: []cell{
				num(report.ItemPenalty, report.MetricDecisions, "7"), txt(report.ItemEnforcement, report.MetricDecisions, "见附件"),
				{report.ItemFees, report.MetricAmount, "1.5", report.StateNumber},
			},
		},
		{
			name: "flattened: words last in the section, then a heading's numbering alone",
			grid: grid.Grid{Section: 2, Rows: []grid.Row{
				tokens("第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额", "政府集中采购", "3"),
				tokens("详见附表", "三、"),
			}},
			want: []cell{num(report.ItemProcurement, report.MetricItems, "3"), txt(report.ItemProcurement, report.MetricAmount, "详见附表")},
		},
		{
			name: "flattened: prose after a complete item is no value",
			grid: grid.Grid{Section: 2, Rows: []grid.Row{
				tokens("第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "5"),
				tokens("另有备案事项", "3"),
			}},
			want:     []cell{num(report.ItemLicensing, report.MetricDecisions, "5")},
			unplaced: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Read([]grid.Grid{tt.grid})
			for _, w := range tt.want {
				if c := res.Disclosure.Get(w.it, w.m); c.State != w.st || c.Raw != w.raw {
					t.Errorf("%s = %s %q, want %s %q", report.DisclosureAddr(w.it, w.m), c.State, c.Raw, w.st, w.raw)
				}
			}
			if n := res.Cells[2]; n != len(tt.want) {
				t.Errorf("%d cells placed, want %d", n, len(tt.want))
			}
			if len(res.Unplaced) != tt.unplaced {
				t.Errorf("unplaced %v, want %d", res.Unplaced, tt.unplaced)
			}
		})
	}
}

// TestFlattenedHeaderRunsIntoFirstRow reads section 三 flattened to tokens, where the
// header's words and the first row's label make one row: a first row of blanks is
// still a row, not a header.
func TestFlattenedHeaderRunsIntoFirstRow(t *testing.T) {
	g := grid.Grid{Section: 3, Rows: []grid.Row{
		tokens("申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
			"一、本年新收政府信息公开申请数量", "/", "/", "/", "/", "/", "/", "/"),
		tokens("二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"),
	}}
	res := Read([]grid.Grid{g})
	for _, c := range report.Cols {
		if got := res.Applications.Get(report.RowNewReceived, c); got.State != report.StateBlank || got.Raw != "/" {
			t.Errorf("new_received.%s = %+v, want blank \"/\"", c, got)
		}
	}
	if got := res.Applications.Get(report.RowCarriedOver, report.ColTotal); got.Value != 1 {
		t.Errorf("carried_over.total = %+v", got)
	}
	// A header row proper (its last label a column, or no row at all) is still a
	// header on an aligned grid.
	for _, last := range []string{"总计", "其他", "备注"} {
		if !isColumnHeader([]grid.Cell{{Text: "自然人"}, {Text: "商业企业"}, {Text: last}}) {
			t.Errorf("header ending in %s not taken for a header", last)
		}
	}
}
