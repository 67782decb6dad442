package labels

import (
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func TestHeadingGroup(t *testing.T) {
	tests := []struct {
		label string
		group Group
		ok    bool
	}{
		{"三、本年度办理结果", GroupOutcomes, true},
		{"（三）不予公开", GroupWithheld, true},
		{"(四)無法提供", GroupUnable, true},
		{"（五）不予处理", GroupNotProcessed, true},
		{"（六）其他处理", GroupNone, false}, // names the 2019 row other
		{"（一）予以公开", GroupNone, false},
		{"1.属于国家秘密", GroupNone, false},
		{"备注", GroupNone, false},
	}
	for _, tt := range tests {
		if g, ok := HeadingGroup(tt.label); g != tt.group || ok != tt.ok {
			t.Errorf("HeadingGroup(%q) = %q, %v", tt.label, g, ok)
		}
	}
}

func TestInGroup(t *testing.T) {
	tests := []struct {
		row  report.Row
		g    Group
		want bool
	}{
		{report.RowGranted, GroupOutcomes, true},
		{report.RowNotProcessedDuplicate, GroupOutcomes, true},
		{report.RowOtherOther, GroupOutcomes, true},
		{report.RowTotal, GroupOutcomes, false},
		{report.RowWithheldStateSecret, GroupWithheld, true},
		{report.RowUnableNotHeld, GroupWithheld, false},
		{report.RowOtherNoFeePaid, GroupOther, true},
		{report.RowCarriedForward, GroupOther, false},
	}
	for _, tt := range tests {
		if got := InGroup(tt.row, tt.g); got != tt.want {
			t.Errorf("InGroup(%s, %s) = %v", tt.row, tt.g, got)
		}
	}
}

func TestReviewHeader(t *testing.T) {
	for label, want := range map[string]HeaderLabel{
		"结果维持": HeaderOutcome, "結果糾正": HeaderOutcome, "尚未 审结": HeaderOutcome, "行政复议": HeaderReview,
		"行政訴訟": HeaderLitigation, "未经复议直接起诉": HeaderNone, "总计": HeaderNone, "0": HeaderNone,
	} {
		if got := ReviewHeader(label); got != want {
			t.Errorf("ReviewHeader(%q) = %v, want %v", label, got, want)
		}
	}
}

func TestTruncatedHeaderPositions(t *testing.T) {
	h, ok := ResolveHeader([]string{"本年新", "本年新", "对外公开总数量"})
	if !ok || !h.Truncated {
		t.Fatalf("%+v %v", h, ok)
	}
	for m, want := range map[report.Metric]bool{
		report.MetricNewMade: true, report.MetricNewPublished: true, report.MetricTotalPublished: false, report.MetricPrevYear: false,
	} {
		if got := h.ByPosition(m); got != want {
			t.Errorf("ByPosition(%s) = %v", m, got)
		}
	}
	// A header cut to words that start one metric only still names it.
	h, ok = ResolveHeader([]string{"本年新制作数量", "本年新公开数量", "对外公开"})
	if !ok || h.ByPosition(report.MetricTotalPublished) || h.ByPosition(report.MetricNewMade) {
		t.Errorf("%+v %v", h, ok)
	}
	// A complete header is never positional.
	h, _ = ResolveHeader([]string{"上一年项目数量", "本年增/减", "处理决定数量"})
	for _, m := range h.Metrics {
		if h.ByPosition(m) {
			t.Errorf("%s by position", m)
		}
	}
}
