package labels

import (
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func TestDropGlosses(t *testing.T) {
	tests := map[string]string{
		"規(guī)章":      "規章",
		"行政許（xǔ）可":     "行政許可",
		"规章(zhāng)":    "规章",
		"自(zì)然(rán)人": "自然人",
		"不予处(chǔ)理":    "不予处理",
		"（一）予以公开":      "（一）予以公开",
		"(三)不予公开":      "(三)不予公开",
		"采购总金额(万元)":    "采购总金额(万元)",
		"部分公开（区分处理的，只计这一情形）":  "部分公开（区分处理的，只计这一情形）",
		"第二十条第（一）项":           "第二十条第（一）项",
		"结果(PDF版)":            "结果(PDF版)",
		"1.属(shǔ)于国家秘密":       "1.属于国家秘密",
		"信访(xìn fǎng)举报投诉类申请": "信访举报投诉类申请",
		"unclosed(guī":        "unclosed(guī",
		"":                    "",
	}
	for in, want := range tests {
		if got := dropGlosses(in); got != want {
			t.Errorf("dropGlosses(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGlossedLabels checks that a label with pinyin glosses names what the label
// without them names, for every kind of label.
func TestGlossedLabels(t *testing.T) {
	if it, ok := Item("規(guī)章"); !ok || it != report.ItemRegulations {
		t.Errorf("Item(規(guī)章) = %q, %v", it, ok)
	}
	if it, ok := Item("行政许（xǔ）可"); !ok || it != report.ItemLicensing {
		t.Errorf("Item(行政许（xǔ）可) = %q, %v", it, ok)
	}
	if c, ok, _ := Column("自(zì)然人"); !ok || c != report.ColNaturalPerson {
		t.Errorf("Column(自(zì)然人) = %q, %v", c, ok)
	}
	if g, ok := ReviewGroup("行政复(fù)议"); !ok || g != report.GroupReview {
		t.Errorf("ReviewGroup(行政复(fù)议) = %q, %v", g, ok)
	}
	if !IsMetricPart("处(chǔ)理决定数量") {
		t.Error("IsMetricPart(处(chǔ)理决定数量) = false")
	}
	if h, ok := ResolveHeader([]string{"采(cǎi)购项目数量", "采购总金(jīn)额"}); !ok || len(h.Metrics) != 2 || h.Metrics[1] != report.MetricAmount {
		t.Errorf("ResolveHeader with glosses = %+v, %v", h, ok)
	}
	if s := SectionOf("申(shēn)请人情况"); s != SectionRequests {
		t.Errorf("SectionOf(申(shēn)请人情况) = %d", s)
	}
	var r RowResolver
	got := []Resolution{
		r.Resolve([]string{"（三）不予(yǔ)公开", "1.属(shǔ)于国家秘密"}),
		r.Resolve([]string{"4.保护第三方合法权(quán)益"}),
	}
	want := []Resolution{{Row: report.RowWithheldStateSecret}, {Row: report.RowWithheldThirdPartyRights}}
	if got[0] != want[0] || got[1] != want[1] {
		t.Errorf("rows with glosses: %+v, want %+v", got, want)
	}
	// A gloss never makes a long label that contains another label's words match it.
	if _, ok := Item("其他对外管理服务事项（含行政处(chǔ)罚）相关说明"); ok {
		t.Error("a long label with a gloss matched an item")
	}
}
