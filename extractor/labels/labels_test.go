package labels

import (
	"reflect"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func TestRowResolver(t *testing.T) {
	// Rows as a table prints them: the group heading once (text) or repeated by a
	// rowspan (HTML); each case runs through one resolver in order.
	tests := []struct {
		name string
		rows [][]string
		want []Resolution
	}{
		{
			name: "group heading printed once",
			rows: [][]string{
				{"一、本年新收政府信息公开申请数量"},
				{"三、本年度办理结果", "（一）予以公开"},
				{"（三）不予公开", "1.属于国家秘密"},
				{"2.其他法律行政法规禁止公开"},
				{"（四）无法提供", "1.本机关不掌握相关政府信息"},
				{"3.补正后申请内容仍不明确"},
				{"（五）不予处理", "1.信访举报投诉类申请"},
				{"（六）其他处理"},
				{"（七）总计"},
				{"四、结转下年度继续办理"},
			},
			want: []Resolution{
				{Row: report.RowNewReceived}, {Row: report.RowGranted},
				{Row: report.RowWithheldStateSecret}, {Row: report.RowWithheldProhibitedByLaw},
				{Row: report.RowUnableNotHeld}, {Row: report.RowUnableUnclearAfterCorrection},
				{Row: report.RowNotProcessedPetitionComplaint}, {Row: report.RowOther},
				{Row: report.RowTotal}, {Row: report.RowCarriedForward},
			},
		},
		{
			name: "2021 other rows under a repeated heading",
			rows: [][]string{
				{"三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
				{"三、本年度办理结果", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
				{"三、本年度办理结果", "（六）其他处理", "3.其他"},
			},
			want: []Resolution{{Row: report.RowOtherNoCorrection}, {Row: report.RowOtherNoFeePaid}, {Row: report.RowOtherOther}},
		},
		{
			name: "3.其他 outside its group still names other.other, never 3. of (五)",
			rows: [][]string{{"（五）不予处理", "1.信访举报投诉类申请"}, {"3.其他"}},
			want: []Resolution{{Row: report.RowNotProcessedPetitionComplaint}, {Row: report.RowOtherOther}},
		},
		{
			name: "noisy leaf placed by its number within the group",
			rows: [][]string{{"（四）无法提供", "1.本机关不掌握相关政府信息"}, {"2.没有现成信息需另行制作"}},
			want: []Resolution{{Row: report.RowUnableNotHeld}, {Row: report.RowUnableNeedsCreation, ByNumber: true}},
		},
		{
			name: "traditional characters and half-width brackets",
			rows: [][]string{{"(三)不予公開", "1.屬于國家秘密"}, {"5.要求行政機關確認或重新出具已獲取信息"}},
			want: []Resolution{{Row: report.RowWithheldStateSecret}, {Row: report.RowNotProcessedConfirmReissue}},
		},
		{
			name: "header labels before the first row label",
			rows: [][]string{{"申请人情况", "自然人", "总计", "其他", "一、本年新收政府信息公开申请数量"}},
			want: []Resolution{{Row: report.RowNewReceived}},
		},
		{
			name: "a heading alone names no row",
			rows: [][]string{{"三、本年度办理结果"}, {"（三）不予公开"}},
			want: []Resolution{{}, {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r RowResolver
			var got []Resolution
			for _, row := range tt.rows {
				got = append(got, r.Resolve(row))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestItem(t *testing.T) {
	tests := map[string]report.Item{
		"规章": report.ItemRegulations, "规范性文件": report.ItemNormativeDocs,
		"行政规范性文件": report.ItemNormativeDocs, "規范性文件": report.ItemNormativeDocs,
		"其他对外管理服务事项": report.ItemOtherServices, "行政处罚": report.ItemPenalty,
		"政府集中采购": report.ItemProcurement, "行政事業性收費": report.ItemFees,
	}
	for in, want := range tests {
		if got, ok := Item(in); !ok || got != want {
			t.Errorf("Item(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	// A long label that contains another item's words names nothing.
	for _, in := range []string{"其他对外管理服务事项（含行政处罚）相关说明", "行政处罚和行政强制", "规章制度"} {
		if got, ok := Item(in); ok {
			t.Errorf("Item(%q) = %q, want no match", in, got)
		}
	}
}

func TestResolveHeader(t *testing.T) {
	m := func(ms ...report.Metric) []report.Metric { return ms }
	tests := []struct {
		name      string
		cells     []string
		metrics   []report.Metric
		units     []report.Unit
		layout    report.Template
		truncated bool
		shows2019 int
		shows2021 int
	}{
		{"2019 regulations", []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"},
			m(report.MetricNewMade, report.MetricNewPublished, report.MetricTotalPublished), []report.Unit{"", "", ""}, report.Template2019, false, 3, 0},
		{"split over two cells", []string{"本年新", "制作数量", "本年新", "公开数量", "对外公开总数量"},
			m(report.MetricNewMade, report.MetricNewPublished, report.MetricTotalPublished), []report.Unit{"", "", ""}, report.Template2019, false, 3, 0},
		{"truncated", []string{"本年新", "本年新", "對外公開總數量"},
			m(report.MetricNewMade, report.MetricNewPublished, report.MetricTotalPublished), []report.Unit{"", "", ""}, report.Template2019, true, 1, 0},
		{"2021 fees with unit", []string{"本年收费金额（单位：万元）"},
			m(report.MetricAmount), []report.Unit{report.UnitWanYuan}, report.Template2021, false, 0, 1},
		{"procurement", []string{"采购项目数量", "采购总金额"},
			m(report.MetricItems, report.MetricAmount), []report.Unit{"", ""}, report.Template2019, false, 0, 0},
		{"2021 documents", []string{"本年制发件数", "本年废止件数", "现行有效件数"},
			m(report.MetricIssued, report.MetricRepealed, report.MetricInForce), []report.Unit{"", "", ""}, report.Template2021, false, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := ResolveHeader(tt.cells)
			if !ok {
				t.Fatal("not resolved")
			}
			if !reflect.DeepEqual(h.Metrics, tt.metrics) || !reflect.DeepEqual(h.Units, tt.units) ||
				h.Layout != tt.layout || h.Truncated != tt.truncated ||
				len(h.Shows[report.Template2019]) != tt.shows2019 || len(h.Shows[report.Template2021]) != tt.shows2021 {
				t.Fatalf("got %+v", h)
			}
		})
	}
	if _, ok := ResolveHeader([]string{"本年", "数量"}); ok {
		t.Error("ambiguous fragments resolved")
	}
}

func TestExpectedItems(t *testing.T) {
	got := ExpectedItems(report.Template2019, []report.Metric{report.MetricPrevYear, report.MetricChange, report.MetricDecisions})
	want := []report.Item{report.ItemLicensing, report.ItemOtherServices, report.ItemPenalty, report.ItemEnforcement}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestHeadingAndSection(t *testing.T) {
	headings := map[string]int{
		"二、主动公开政府信息情况":                     SectionDisclosure,
		"主动公开政府信息情况":                       SectionDisclosure,
		"　　三、收到和处理政府信息公开申请情况":              SectionRequests,
		"四、政府信息公开行政复议、行政诉讼情况":              SectionReview,
		"政府信息公開行政復議、行政訴訟情":                 SectionReview,
		"5、 存在的主要问题及改进情况":                  SectionProblems,
		"五、存在的問題及改進措施":                     SectionProblems,
		"六、其他需要报告的事项":                      SectionOther,
		"1、 总体情况":                          SectionOverview,
		"（1）主动公开政府信息。2019年，我镇共主动公开政府信息55条": SectionNone,
		"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议行政诉讼情况": SectionNone,
		"四、结转下年度继续办理": SectionNone,
	}
	for in, want := range headings {
		if got := Heading(in); got != want {
			t.Errorf("Heading(%q) = %d, want %d", in, got, want)
		}
	}
	sections := map[string]int{
		"第二十条第（一）项": SectionDisclosure, "信息内容": SectionDisclosure, "行政许可": SectionDisclosure,
		"申请人情况": SectionRequests, "一、本年新收政府信息公开申请数量": SectionRequests,
		"四、結轉下年度繼續辦理": SectionRequests, "1.属于国家秘密": SectionRequests,
		"行政复议": SectionReview, "结果 维持": SectionReview,
		"总计": SectionNone, "其他": SectionNone, "（六）其他处理": SectionNone, "0": SectionNone,
	}
	for in, want := range sections {
		if got := SectionOf(in); got != want {
			t.Errorf("SectionOf(%q) = %d, want %d", in, got, want)
		}
	}
}
