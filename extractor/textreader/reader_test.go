package textreader

import (
	"strings"
	"testing"
)

func render(lines []string) []string {
	var out []string
	for _, g := range Read(lines, 1) {
		for _, r := range g.Rows {
			var cells []string
			for _, c := range r.Cells {
				cells = append(cells, c.Text+"@"+c.Src)
			}
			out = append(out, g.ID+":"+string(rune('0'+g.Section))+" "+strings.Join(cells, "|"))
		}
	}
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "one cell per line with tabs: a blank line ends a row",
			text: "一、总体情况\n正文。\n三、收到和处理政府信息公开申请情况\n\t申请人情况\n\t自然人\n\n\t一、本年新收政府信息公开申请数量\n\t5\n\t0\n\t（一）予以公开\n\t5\n五、存在的主要问题及改进情况\n\t7",
			want: []string{
				"l4:3 申请人情况@l4|自然人@l5",
				"l4:3 一、本年新收政府信息公开申请数量@l7|5@l8|0@l9",
				"l4:3 （一）予以公开@l10|5@l11",
			},
		},
		{
			name: "pipe separators and a | alone on a line",
			text: "四、\n政府信息公開行政復議、行政訴訟情\n行政復議\n|\n結果維持\n|\n0\n|\n0\n|\n||||\n五、存在的問題及改進措施",
			want: []string{"l3:4 行政復議@l3|結果維持@l5|0@l7|0@l9"},
		},
		{
			name: "tab-separated rows and an amount with its unit",
			text: "二、主动公开政府信息情况\n信息内容\t采购项目数量\t采购总金额\t\n政府集中采购\t20\t2500 万\t",
			want: []string{"l2:2 信息内容@l2|采购项目数量@l2|采购总金额@l2|政府集中采购@l3|20@l3|2500 万@l3"},
		},
		{
			name: "no heading: the whole text is one grid of unknown section",
			text: "规章\t1\t2",
			want: []string{"l1:0 规章@l1|1@l1|2@l1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Lines(tt.text))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLines(t *testing.T) {
	if got := Lines("a\r\nb\rc\nd"); strings.Join(got, ",") != "a,b,c,d" {
		t.Fatalf("%q", got)
	}
}
