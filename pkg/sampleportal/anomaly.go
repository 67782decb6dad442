package sampleportal

import (
	"math/rand/v2"

	"github.com/govreport/govreport/pkg/report"
)

// Planted anomalies: the rule a report was made to break, or "" for none. Each is
// planted so that it breaks its own rule and no other of R1–R4.
const (
	PlantedNone = ""
	PlantedR1   = string(report.RuleR1) // 结转下年度 off by one in one column (and its total)
	PlantedR2   = string(report.RuleR2) // two row totals off by one in opposite directions
	PlantedR3   = string(report.RuleR3) // (七)总计 not the sum of the outcomes
	PlantedR4   = string(report.RuleR4) // a section 四 group total off by one
)

var plantable = []string{PlantedR1, PlantedR2, PlantedR3, PlantedR4}

// chooseAnomaly decides whether a report gets an anomaly, and which.
func chooseAnomaly(r *rand.Rand, rate float64) string {
	if !chance(r, rate) {
		return PlantedNone
	}
	return plantable[r.IntN(len(plantable))]
}

// plant breaks the rule named by kind in the report's counts. The application
// table must have been generated busy for R2 (some outcome row total ≥ 1).
func plant(r *rand.Rand, kind string, tpl report.Template, a appCounts, rv *reviewCounts) {
	switch kind {
	case PlantedR1:
		// The carried-forward figure is off: R1 breaks in that column and in the
		// total column; the row total stays the row's sum, so R2 holds.
		c := r.IntN(6)
		cf := a.row(report.RowCarriedForward)
		d := int64(1)
		if cf[c] > 0 && chance(r, 0.5) {
			d = -1
		}
		cf[c] += d
		cf[6] += d
	case PlantedR2:
		// One application counted in the wrong row's total: two totals are off by one
		// in opposite directions, so the column of totals still adds up (R1, R3 hold).
		outs := outcomeRows(tpl)
		var nonzero []report.Row
		for _, o := range outs {
			if a.row(o)[6] > 0 {
				nonzero = append(nonzero, o)
			}
		}
		from := nonzero[r.IntN(len(nonzero))]
		to := from
		for to == from {
			to = outs[r.IntN(len(outs))]
		}
		a.row(from)[6]--
		a.row(to)[6]++
	case PlantedR3:
		tot := a.row(report.RowTotal)
		var busy []int
		for c := range 6 {
			if tot[c] > 0 {
				busy = append(busy, c)
			}
		}
		if len(busy) > 0 && chance(r, 0.5) {
			// Like seed 000: (七)总计 printed as 0 in a column, the difference shown as
			// carried forward so that R1 still holds.
			c := busy[r.IntN(len(busy))]
			k := tot[c]
			tot[c], tot[6] = 0, tot[6]-k
			cf := a.row(report.RowCarriedForward)
			cf[c], cf[6] = cf[c]+k, cf[6]+k
			return
		}
		// An outcome counted without updating (七)总计.
		outs := outcomeRows(tpl)
		o, c := outs[r.IntN(len(outs))], r.IntN(6)
		a.row(o)[c]++
		a.row(o)[6]++
	case PlantedR4:
		g := r.IntN(3)
		if rv[g][4] > 0 && chance(r, 0.5) {
			rv[g][4]--
		} else {
			rv[g][4]++
		}
	}
}
