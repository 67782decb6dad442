package cellvalue

import (
	"math/big"
	"strings"

	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/pkg/report"
)

// units are the money suffixes a cell or a header may state, longest first, in
// simplified and in traditional characters (2500萬 is 2500万).
var units = []struct {
	suffix string
	unit   report.Unit
}{
	{"亿元", report.UnitYiYuan}, {"億元", report.UnitYiYuan},
	{"万元", report.UnitWanYuan}, {"萬元", report.UnitWanYuan},
	{"千元", report.UnitThousand},
	{"元", report.UnitYuan},
	{"万", report.UnitWan}, {"萬", report.UnitWan},
}

// cutUnit splits a trailing money unit off s.
func cutUnit(s string) (string, report.Unit) {
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			return strings.TrimSuffix(s, u.suffix), u.unit
		}
	}
	return s, report.UnitUnknown
}

// parseMoney reads an amount: "2500万" → 25,000,000 (Unit 万); "12.5万元" → 125,000;
// "251000元" → 251,000; a bare number takes the header's unit, or stays as written
// with the unit unknown.
func parseMoney(raw, s string, header report.Unit) report.Cell {
	num, unit := cutUnit(s)
	r, ok := decimal(num)
	if !ok {
		return report.Cell{State: report.StateText, Raw: raw}
	}
	if unit == report.UnitUnknown {
		unit = header
	}
	if f, known := unit.YuanFactor(); known {
		r.Mul(r, new(big.Rat).SetFloat64(f))
	} else {
		unit = report.UnitUnknown
	}
	v, _ := r.Float64()
	return report.Cell{State: report.StateNumber, Value: v, Raw: raw, Unit: unit}
}

// UnitOf returns the money unit a header label states: "本年收费金额（单位：万元）" →
// 万元, "采购总金额(万元)" → 万元, "本年收費金額（單位：萬元）" → 万元;
// report.UnitUnknown when it states none.
func UnitOf(label string) report.Unit {
	s := normalize.NoSpace(normalize.Width(label))
	open := strings.LastIndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return report.UnitUnknown
	}
	inner := normalize.Simplified(strings.TrimSuffix(s[open+1:], ")"))
	inner = strings.TrimPrefix(strings.TrimPrefix(inner, "单位"), ":")
	for _, u := range units {
		if inner == u.suffix {
			return u.unit
		}
	}
	return report.UnitUnknown
}
