package textreader

import (
	"fmt"
	"strings"
	"testing"
)

func TestCellRows(t *testing.T) {
	const head = "三、收到和处理政府信息公开申请情况\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "rows end at blank lines; empty cells are kept",
			text: head + "\t一、本年新收政府信息公开申请数量\n\t5\n\t\n\t0\n\n\t\n\t（二）部分公开\n\t1\n",
			want: []string{
				"l2:3 一、本年新收政府信息公开申请数量@l2|5@l3|@l4|0@l5",
				"l2:3 @l7|（二）部分公开@l8|1@l9",
			},
		},
		{
			name: "a cell continued on lines without a tab (seed 004's header, seed 002's merged cell)",
			text: head + "\t信息内容\n\t本年新\n制作数量\n\t本年新\n公开数量\n\n\t\n\t0\n0\n0\n\t0\n\t0\n",
			want: []string{
				"l2:3 信息内容@l2|本年新 制作数量@l3|本年新 公开数量@l5",
				"l2:3 @l8|0 0 0@l9|0@l12|0@l13",
			},
		},
		{
			name: "rows without labels stay apart (seed 002)",
			text: head + "\t三、本年度办理结果\n\t0\n\t0\n\n\t\n\t1\n\t2\n\n\t\n\t\n\t3\n\t4\n",
			want: []string{
				"l2:3 三、本年度办理结果@l2|0@l3|0@l4",
				"l2:3 @l6|1@l7|2@l8",
				"l2:3 @l10|@l11|3@l12|4@l13",
			},
		},
		{
			name: "a label after a value starts a row inside a block",
			text: head + "\t（一）予以公开\n\t5\n\t（二）部分公开\n\t0\n\t\n",
			want: []string{"l2:3 （一）予以公开@l2|5@l3", "l2:3 （二）部分公开@l4|0@l5|@l6"},
		},
		{
			name: "words in a value column stay in their row",
			text: "二、主动公开政府信息情况\n\t规章\n\t0\n\t见附件\n\t3\n\n\t规范性文件\n\t1\n",
			want: []string{"l2:2 规章@l2|0@l3|见附件@l4|3@l5", "l2:2 规范性文件@l7|1@l8"},
		},
		{
			name: "blocks longer than a row are split wherever a label follows a value",
			text: head + "\t一、本年新收政府信息公开申请数量\n" + strings.Repeat("\t0\n", 9) + "\t说明\n" + strings.Repeat("\t1\n", 9) + "\t其他\n\t2\n",
			want: []string{
				"l2:3 一、本年新收政府信息公开申请数量@l2|0@l3|0@l4|0@l5|0@l6|0@l7|0@l8|0@l9|0@l10|0@l11",
				"l2:3 说明@l12|1@l13|1@l14|1@l15|1@l16|1@l17|1@l18|1@l19|1@l20|1@l21",
				"l2:3 其他@l22|2@l23",
			},
		},
		{
			name: "prose after a cell is not a continuation",
			text: head + "\t总计\n\t0\n\t1\n\t2\n本年度共收到申请2件，已全部办结，没有需要说明的其他情况。\n",
			want: []string{"l2:3 总计@l2|0@l3|1@l4|2@l5", "l2:3 本年度共收到申请2件，已全部办结，没有需要说明的其他情况。@l6"},
		},
		{
			name: "too few one-cell lines: read by tokens",
			text: head + "\t总计\n\t0\n其他\t1\t2\n",
			want: []string{"l2:3 总计@l2|0@l3", "l2:3 其他@l4|1@l4|2@l4"},
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

func TestCellPerLine(t *testing.T) {
	tests := []struct {
		lines []string
		want  bool
	}{
		{[]string{"\ta", "\t1", "", "\tb", "\t2"}, true},
		{[]string{"prose", "\ta", "\t1", "\tb", "\t2"}, true},
		{[]string{"a\t1\t2", "\tb\t1\t2", "\tc\t3\t4", "\td\t5\t6", "\te\t7\t8"}, false}, // tab-separated rows (seed 003)
		{[]string{"a", "|", "1", "|", "\tb", "\t2", "\t3", "\t4"}, false},
		{[]string{"\ta", "\t1", "\tb"}, false},
	}
	for i, tt := range tests {
		if got := cellPerLine(tt.lines); got != tt.want {
			t.Errorf("%d: cellPerLine(%q) = %v, want %v", i, tt.lines, got, tt.want)
		}
	}
}

func TestPipeRows(t *testing.T) {
	const head = "三、收到和处理政府信息公开申请情况\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "seed 001: an empty row keeps its seven empty cells",
			text: head + "(七)總計\n|\n0\n|\n0\n|\n||\n四、結轉下年度繼續辦理\n|\n|\n||||||||\n",
			want: []string{
				"l2:3 (七)總計@l2|0@l4|0@l6",
				"l2:3 四、結轉下年度繼續辦理@l9|@l11|@l12|@l12|@l12|@l12|@l12|@l12|@l12|@l12",
			},
		},
		{
			name: "labels run on until a value or an empty cell; row ends are dropped",
			text: head + "第二十條第(一)項\n|\n||||\n信息內容\n|\n本年新 |\n本年新 |\n對外公開總數量\n|\n|\n規章\n|\n0\n|\n|\n",
			want: []string{
				"l2:3 第二十條第(一)項@l2|@l4|@l4|@l4|@l4",
				"l2:3 信息內容@l5|本年新@l7|本年新@l8|對外公開總數量@l9",
				"l2:3 規章@l12|0@l14",
			},
		},
		{
			name: "two texts without a '|' between them are two cells",
			text: head + "甲\n乙\n|\n1\n|\n|\n|\n|\n",
			want: []string{"l2:3 甲@l2|乙@l3|1@l5"},
		},
		{
			name: "an empty cell between values stays; a row of labels keeps its empty cells",
			text: head + "（一）予以公开\n|\n1\n|\n|\n2\n|\n||\n（三）不予公开\n|\n1.属于国家秘密\n|\n|||\n",
			want: []string{
				"l2:3 （一）予以公开@l2|1@l4|@l6|2@l7",
				"l2:3 （三）不予公开@l10|1.属于国家秘密@l12|@l14|@l14|@l14",
			},
		},
		{
			name: "words in a value column end the row, without its end",
			text: "二、主动公开政府信息情况\n行政事业性收费\n|\n0\n|\n见附件\n|\n|\n|\n|\n",
			want: []string{"l2:2 行政事业性收费@l2|0@l4", "l2:2 见附件@l6"},
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

// FuzzRead reads any text: no panic, every cell from a line of the text, every row
// with a cell that holds something.
func FuzzRead(f *testing.F) {
	f.Add("三、收到和处理政府信息公开申请情况\n\t一、本年新收政府信息公开申请数量\n\t5\n\t\n0\n0\n\n\t\n\t0\n")
	f.Add("二、主动公开政府信息情况\n規章\n|\n0\n|\n||||\n見附件\n|\n|\n")
	f.Add("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t行政诉讼\n0\t0\t0\n|\n||\n\t|")
	f.Fuzz(func(t *testing.T, text string) {
		lines := Lines(text)
		for _, g := range Read(lines, 1) {
			for _, row := range g.Rows {
				has := false
				for _, c := range row.Cells {
					var n int
					if _, err := fmt.Sscanf(c.Src, "l%d", &n); err != nil || n < 1 || n > len(lines) {
						t.Fatalf("cell %q from %q of %d lines", c.Text, c.Src, len(lines))
					}
					has = has || c.Text != ""
				}
				if !has {
					t.Fatalf("row without text: %+v", row)
				}
			}
		}
	})
}
