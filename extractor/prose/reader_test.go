package prose

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/pkg/report"
)

// cells renders what Read found: "addr=value@src" per cell, sorted, and the
// unplaced counts as "unplaced(reason)@src".
func cells(lines ...string) []string {
	res := Read(lines, 1)
	var out []string
	for row, cols := range res.Applications {
		for col, c := range cols {
			out = append(out, report.CellAddr(row, col)+"="+c.String()+"@"+c.Src)
		}
	}
	for g, os := range res.Review {
		for o, c := range os {
			out = append(out, "review:"+report.ReviewAddr(g, o)+"="+c.String()+"@"+c.Src)
		}
	}
	for _, u := range res.Unplaced {
		out = append(out, "unplaced("+u.Reason+")@"+strings.Join(u.Srcs, ","))
	}
	sort.Strings(out)
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{
			name:  "received and outcomes in one sentence; a group total has no cell",
			lines: []string{"2017年，我局共受理政府信息公开申请12件，其中予以公开8件，部分公开2件，不予公开1件，信息不存在1件。"},
			want: []string{
				"granted.total=8@l1", "new_received.total=12@l1", "partially_granted.total=2@l1",
				"unable.not_held.total=1@l1",
				"unplaced(prose: the total of 不予公开, which has no cell of its own)@l1",
			},
		},
		{
			name:  "applicants: citizens alone are natural persons, organisations alone have no cell",
			lines: []string{"全年共收到公民、法人和其他组织政府信息公开申请15件（其中自然人申请13件，法人或其他组织申请2件），均已按时办结。"},
			want: []string{
				"new_received.natural_person=13@l1", "new_received.total=15@l1",
				"unplaced(prose: the organisations' count, which the table splits five ways)@l1",
			},
		},
		{
			name:  "a list with 、 and a column in brackets",
			lines: []string{"", "本年度共受理申请20件，予以公开15件（其中自然人12件）、部分公开3件、要求提供公开出版物1件、重复申请1件。"},
			want: []string{
				"granted.natural_person=12@l2", "granted.total=15@l2", "new_received.total=20@l2",
				"not_processed.duplicate.total=1@l2", "not_processed.publication.total=1@l2", "partially_granted.total=3@l2",
			},
		},
		{
			name:  "carried over, processed, carried forward",
			lines: []string{"共受理政府信息公开申请11件，上年结转1件，已办结10件，结转下年度继续办理2件。"},
			want:  []string{"carried_forward.total=2@l1", "carried_over.total=1@l1", "new_received.total=11@l1", "total.total=10@l1"},
		},
		{
			name:  "statements of nothing",
			lines: []string{"本年度未收到政府信息公开申请。", "2018年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。"},
			want: []string{
				"new_received.total=0@l1", "review:litigation_after_review.total=0@l2",
				"review:litigation_direct.total=0@l2", "review:review.total=0@l2",
			},
		},
		{
			name:  "section 四 counts; litigation is split only when it is 0",
			lines: []string{"因政府信息公开申请提起行政复议1件，提起行政诉讼0件。", "因政府信息公开工作被提起行政诉讼2件。"},
			want: []string{
				"review:litigation_after_review.total=0@l1", "review:litigation_direct.total=0@l1", "review:review.total=1@l1",
				"unplaced(prose: 行政诉讼 not split into 未经复议直接起诉 and 复议后起诉)@l2",
			},
		},
		{
			name:  "traditional characters, full-width digits, a thousands separator, Chinese numerals",
			lines: []string{"共受理政府信息公開申請１２件，其中予以公開十件。", "全年共受理政府信息公开申请1,234件，部分公开两件。"},
			want: []string{
				"granted.total=10@l1", "new_received.total=12@l1", "partially_granted.total=2@l2",
				"unplaced(prose states a second value for new_received.total (kept 12 from l1))@l2",
			},
		},
		{
			name: "narrative sentences that repeat row labels give nothing",
			lines: []string{
				"对依法应当予以公开的政府信息，我局均依法予以公开，严格落实部分公开、不予公开的审查程序。",
				"全年主动公开政府信息355条，予以公开政府文件200件。", // no application in this paragraph
				"组织业务培训3次，参训人员45人次。",
				"及时答复，未收到申请人的投诉举报。",
				"共受理申请两件，均予以公开。", // "均予以公开" states no count: not guessed
			},
			want: []string{"new_received.total=2@l5"},
		},
		{
			name:  "flattened table rows are not sentences",
			lines: []string{"（一）予以公开\t8件\t0", "（二）部分公开 | 2件 |"},
			want:  nil,
		},
		{
			name:  "two counts in one clause name no row",
			lines: []string{"共受理政府信息公开申请12件13件。"},
			want:  []string{"unplaced(prose: several counts in one clause)@l1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cells(tt.lines...)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestReadKeepsTheClause(t *testing.T) {
	res := Read([]string{"我局共受理政府信息公开申请12件，其中予以公开8件。"}, 7)
	c := res.Applications.Get(report.RowGranted, report.ColTotal)
	if c.Raw != "其中予以公开8件" || c.Src != "l7" || c.ByPosition || c.State != report.StateNumber {
		t.Fatalf("%+v", c)
	}
	if res.Cells[3] != 2 || res.Total() != 2 {
		t.Fatalf("cells %v", res.Cells)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {"1,234", 1234, true}, {"十", 10, true}, {"十二", 12, true}, {"二十", 20, true},
		{"两", 2, true}, {"一百零五", 105, true}, {"零", 0, true}, {"一二", 0, false}, {"十百", 0, false},
	}
	for _, tt := range tests {
		digits := tt.in[0] >= '0' && tt.in[0] <= '9'
		if v, ok := parseNumber(tt.in, digits); v != tt.want || ok != tt.ok {
			t.Errorf("parseNumber(%q) = %v, %v", tt.in, v, ok)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("共受理政府信息公开申请12件，其中予以公开8件，部分公开2件，不予公开1件。")
	f.Add("全年共收到公民、法人和其他组织政府信息公开申请15件（其中自然人申请13件，法人或其他组织申请2件）")
	f.Add("未发生因政府信息公开申请提起行政复议、行政诉讼的情况。\n本年度未收到政府信息公开申请")
	f.Add("共受理申请一百零五件，，、、（（十十件")
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		res := Read(lines, 1)
		n := 0
		check := func(c report.Cell) {
			n++
			if c.State != report.StateNumber || c.Value < 0 || c.Raw == "" || !utf8.ValidString(c.Src) {
				t.Fatalf("bad cell %+v", c)
			}
			var line int
			if _, err := fmtSscan(c.Src, &line); err != nil || line < 1 || line > len(lines) {
				t.Fatalf("cell from %q, %d lines", c.Src, len(lines))
			}
		}
		for _, cols := range res.Applications {
			for _, c := range cols {
				check(c)
			}
		}
		for _, os := range res.Review {
			for _, c := range os {
				check(c)
			}
		}
		if n != res.Total() {
			t.Fatalf("%d cells, Total %d", n, res.Total())
		}
	})
}

// fmtSscan reads the line number of an "l<n>" source.
func fmtSscan(src string, line *int) (int, error) { return fmt.Sscanf(src, "l%d", line) }

// BenchmarkRead reads a 100 KB document of report prose.
func BenchmarkRead(b *testing.B) {
	para := []string{
		"2017年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作，全年主动公开政府信息355条。",
		"2017年，我局共受理政府信息公开申请12件，其中自然人申请10件，法人或其他组织申请2件；予以公开8件，部分公开2件，不予公开1件，信息不存在1件。",
		"2017年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
	}
	var lines []string
	size := 0
	for size < 100<<10 {
		for _, p := range para {
			lines = append(lines, p)
			size += len(p)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		_ = Read(lines, 1)
	}
}
