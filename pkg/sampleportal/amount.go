package sampleportal

import (
	"strconv"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// decimal is an exact decimal number: units × 10^-scale. Amounts of money are
// generated as decimals so that the value in the expected record is exactly what a
// parser working in exact arithmetic gets from the printed text.
type decimal struct {
	units int64 // non-negative
	scale int   // 0…4 digits after the point
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000}

// normalize drops trailing zeros after the point (12.50 → 12.5).
func (d decimal) normalize() decimal {
	for d.scale > 0 && d.units%10 == 0 {
		d.units /= 10
		d.scale--
	}
	return d
}

// String prints the decimal with exactly scale digits after the point.
func (d decimal) String() string {
	s := strconv.FormatInt(d.units, 10)
	if d.scale == 0 {
		return s
	}
	if len(s) <= d.scale {
		s = strings.Repeat("0", d.scale-len(s)+1) + s
	}
	return s[:len(s)-d.scale] + "." + s[len(s)-d.scale:]
}

// float returns the float64 nearest to the decimal: units and 10^scale are exact in
// float64, and IEEE division is correctly rounded, so this equals what
// strconv.ParseFloat returns for String().
func (d decimal) float() float64 { return float64(d.units) / float64(pow10[d.scale]) }

// timesWan returns the decimal × 10,000 (万) as an exact integer number of yuan.
func (d decimal) timesWan() float64 { return float64(d.units * pow10[4-d.scale]) }

// amountCell returns the cell of an amount printed as text with the given unit:
// 万 and 万元 are scaled to yuan, 元 and the unknown unit keep the number as written.
// suffix is what follows the number in the cell ("万", "元" or "").
func amountCell(d decimal, unit report.Unit, suffix string) report.Cell {
	d = d.normalize()
	v := d.float()
	if unit == report.UnitWan || unit == report.UnitWanYuan {
		v = d.timesWan()
	}
	return report.Cell{State: report.StateNumber, Value: v, Raw: d.String() + suffix, Unit: unit}
}
