package cellvalue

import (
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func TestParse(t *testing.T) {
	num := func(v float64, raw string) report.Cell {
		return report.Cell{State: report.StateNumber, Value: v, Raw: raw}
	}
	money := func(v float64, raw string, u report.Unit) report.Cell {
		return report.Cell{State: report.StateNumber, Value: v, Raw: raw, Unit: u}
	}
	blank := func(raw string) report.Cell { return report.Cell{State: report.StateBlank, Raw: raw} }
	text := func(raw string) report.Cell { return report.Cell{State: report.StateText, Raw: raw} }
	tests := []struct {
		in   string
		kind Kind
		unit report.Unit
		want report.Cell
	}{
		{"0", Count, "", num(0, "0")},
		{" 12 ", Count, "", num(12, "12")},
		{"1,234", Count, "", num(1234, "1,234")},
		{"１２", Count, "", num(12, "１２")},
		{"1，234", Count, "", num(1234, "1，234")},
		{"12,34", Count, "", text("12,34")},
		{"+2", Count, "", text("+2")},
		{"-1", Count, "", text("-1")},
		{"0.5", Count, "", text("0.5")},
		{"见附件", Count, "", text("见附件")},
		{"0\n0", Count, "", text("0 0")},
		{"+2", Signed, "", num(2, "+2")},
		{"-1", Signed, "", num(-1, "-1")},
		{"－3", Signed, "", num(-3, "－3")},
		{"1.5", Signed, "", text("1.5")},
		{"", Count, "", blank("")},
		{"\u00a0", Count, "", blank("")},
		{"/", Count, "", blank("/")},
		{"／", Count, "", blank("／")},
		{"—", Count, "", blank("—")},
		{"——", Count, "", blank("——")},
		{"-", Count, "", blank("-")},
		{"－", Count, "", blank("－")},
		{"无", Count, "", blank("无")},
		{"空", Count, "", blank("空")},
		{"2500万", Money, "", money(25000000, "2500万", report.UnitWan)},
		{"2500 万", Money, "", money(25000000, "2500 万", report.UnitWan)},
		{"12.5万元", Money, "", money(125000, "12.5万元", report.UnitWanYuan)},
		{"251000元", Money, "", money(251000, "251000元", report.UnitYuan)},
		{"12.5", Money, report.UnitWanYuan, money(125000, "12.5", report.UnitWanYuan)},
		{"41521.5", Money, "", money(41521.5, "41521.5", report.UnitUnknown)},
		{"0.1万元", Money, "", money(1000, "0.1万元", report.UnitWanYuan)},
		{"1.2亿元", Money, "", money(120000000, "1.2亿元", report.UnitYiYuan)},
		{"1,234.5元", Money, "", money(1234.5, "1,234.5元", report.UnitYuan)},
		{"-5万", Money, "", text("-5万")},
		{"约5万", Money, "", text("约5万")},
		{"/", Money, report.UnitWanYuan, blank("/")},
		// Traditional characters: the unit keeps its simplified code, Raw its text.
		{"2500萬", Money, "", money(25000000, "2500萬", report.UnitWan)},
		{"12.5萬元", Money, "", money(125000, "12.5萬元", report.UnitWanYuan)},
		{"1.2億元", Money, "", money(120000000, "1.2億元", report.UnitYiYuan)},
		{"無", Count, "", blank("無")},
	}
	for _, tt := range tests {
		got := Parse(tt.in, tt.kind, tt.unit)
		if got != tt.want {
			t.Errorf("Parse(%q, %d, %q) = %+v, want %+v", tt.in, tt.kind, tt.unit, got, tt.want)
		}
	}
}

func TestMoneyIsExact(t *testing.T) {
	// 0.07 万元 is 700 yuan exactly; float arithmetic would give 700.0000000000001.
	c := Parse("0.07万元", Money, "")
	if c.Value != 700 {
		t.Fatalf("0.07万元 = %v", c.Value)
	}
}

func TestUnitOf(t *testing.T) {
	tests := map[string]report.Unit{
		"本年收费金额（单位：万元）": report.UnitWanYuan,
		"采购总金额(万元)":     report.UnitWanYuan,
		"采购总金额（元）":      report.UnitYuan,
		"采购总金额":         report.UnitUnknown,
		"采购总金额（合计）":     report.UnitUnknown,
		"本年收費金額（單位：萬元）": report.UnitWanYuan,
		"採購總金額(萬元)":     report.UnitWanYuan,
	}
	for in, want := range tests {
		if got := UnitOf(in); got != want {
			t.Errorf("UnitOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsValueLike(t *testing.T) {
	tests := map[string]bool{
		"0": true, "1,234": true, "2500 万": true, "41521.5": true, "/": true, "": true,
		"—": true, "无": true, "+2": true, "-1": true, "１２": true,
		"规章": false, "一、本年新收政府信息公开申请数量": false, "2020年": false, "12件": false,
		"第二十条": false, "0\n0\n0": true, "0 见附件": false, "1.属于国家秘密": false, "3.": false,
		"2500萬": true, "1.2億元": true, "萬": false,
	}
	for in, want := range tests {
		if got := IsValueLike(in); got != want {
			t.Errorf("IsValueLike(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1,234", "2500 万", "12.5万元", "-1", "/", "0.07万元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []Kind{Count, Signed, Money} {
			c := Parse(s, k, report.UnitWanYuan)
			if !c.State.Valid() {
				t.Fatalf("invalid state for %q", s)
			}
			if c.State == report.StateNumber && k == Count && (c.Value < 0 || c.Value != float64(int64(c.Value))) {
				t.Fatalf("count %q parsed as %v", s, c.Value)
			}
		}
		_ = IsValueLike(s)
	})
}
