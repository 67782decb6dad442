package sampleportal

import (
	"math/rand/v2"

	"github.com/govreport/govreport/pkg/report"
)

// appCounts is section 三 as integers: per row, the six applicant columns and the
// total (index 6), in report.Cols order.
type appCounts map[report.Row]*[7]int64

func (a appCounts) row(r report.Row) *[7]int64 {
	if a[r] == nil {
		a[r] = new([7]int64)
	}
	return a[r]
}

// sumRow sets a row's total to the sum of its applicant columns.
func (a appCounts) sumRow(r report.Row) {
	v := a.row(r)
	v[6] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5]
}

// reviewCounts is section 四 as integers, in report.ReviewGroups × report.Outcomes order.
type reviewCounts [3][5]int64

// bodyState carries a body's figures from one report year to the next, so that
// R5 (carry-over) and R6 (stock of documents) hold across its reports.
type bodyState struct {
	lastYear       int      // the last year generated, 0 before the first
	carriedForward [6]int64 // last year's 四、结转下年度继续办理 per applicant column
	published      int64    // 2019: 规范性文件 对外公开总数量
	inForce        int64    // 2021: 行政规范性文件 现行有效件数
	hasPublished   bool     // published was drawn
	hasInForce     bool     // inForce was drawn
	items          map[report.Item]int64
	// steady keeps a body's applications plausible year over year (history
	// anomalies): the natural persons' requests of the first year are its base,
	// later years vary around it.
	steady  bool
	base    int64
	hasBase bool
}

// outcomeRows returns the rows R3 adds up for a template, in document order.
func outcomeRows(tpl report.Template) []report.Row {
	rows := append([]report.Row{}, report.OutcomeRows...)
	if tpl == report.Template2021 {
		return append(rows, report.OtherRows2021...)
	}
	return append(rows, report.RowOther)
}

// outcomeWeight is how often an application ends with each outcome.
var outcomeWeight = map[report.Row]int{
	report.RowGranted:                       50,
	report.RowPartiallyGranted:              8,
	report.RowWithheldStateSecret:           1,
	report.RowWithheldProhibitedByLaw:       1,
	report.RowWithheldSecurityStability:     1,
	report.RowWithheldThirdPartyRights:      2,
	report.RowWithheldInternalAffairs:       1,
	report.RowWithheldProcessInfo:           2,
	report.RowWithheldEnforcementFiles:      1,
	report.RowWithheldQueryMatters:          1,
	report.RowUnableNotHeld:                 15,
	report.RowUnableNeedsCreation:           3,
	report.RowUnableUnclearAfterCorrection:  2,
	report.RowNotProcessedPetitionComplaint: 4,
	report.RowNotProcessedDuplicate:         3,
	report.RowNotProcessedPublication:       1,
	report.RowNotProcessedMassRepetitive:    1,
	report.RowNotProcessedConfirmReissue:    1,
	report.RowOther:                         5,
	report.RowOtherNoCorrection:             3,
	report.RowOtherNoFeePaid:                1,
	report.RowOtherOther:                    2,
}

// levelPick returns the value for a body's level: county, department, township.
func levelPick[T any](lvl report.Level, county, dept, town T) T {
	switch lvl {
	case report.LevelDepartment:
		return dept
	case report.LevelTownship:
		return town
	}
	return county
}

// chance draws true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between draws an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int64) int64 { return lo + r.Int64N(hi-lo+1) }

// sometimes draws between lo and hi with probability p, else 0.
func sometimes(r *rand.Rand, p float64, lo, hi int64) int64 {
	if chance(r, p) {
		return between(r, lo, hi)
	}
	return 0
}

// genApplications draws a consistent section 三: for every column, received plus
// carried over equals processed plus carried forward, the processed applications are
// spread over the outcome rows, and every row total is the sum of its columns. With
// busy set, at least one natural person's application is processed (so an outcome
// row total is at least 1).
func genApplications(r *rand.Rand, lvl report.Level, tpl report.Template, st *bodyState, year int, busy bool) appCounts {
	a := appCounts{}
	for _, row := range report.Rows(tpl) {
		a.row(row)
	}
	nr := a.row(report.RowNewReceived)
	switch {
	case st.steady && st.hasBase:
		nr[0] = st.base * int64(80+r.IntN(46)) / 100 // 0.8–1.25 times the base
	case lvl == report.LevelCounty:
		nr[0] = between(r, 3, 60)
		if chance(r, 0.15) {
			nr[0] = between(r, 60, 200)
		}
	case lvl == report.LevelDepartment:
		nr[0] = sometimes(r, 0.6, 1, 20)
	default:
		nr[0] = sometimes(r, 0.4, 1, 5)
	}
	if st.steady && !st.hasBase {
		st.base, st.hasBase = nr[0], true
	}
	nr[1] = sometimes(r, levelPick(lvl, 0.5, 0.3, 0.1), 1, levelPick[int64](lvl, 8, 4, 1))
	nr[2] = sometimes(r, levelPick(lvl, 0.05, 0.03, 0.0), 1, 2)
	nr[3] = sometimes(r, levelPick(lvl, 0.05, 0.03, 0.01), 1, 1)
	nr[4] = sometimes(r, levelPick(lvl, 0.2, 0.1, 0.03), 1, 3)
	nr[5] = sometimes(r, levelPick(lvl, 0.15, 0.08, 0.03), 1, 2)
	if busy && nr[0] == 0 {
		nr[0] = 1
	}

	co := a.row(report.RowCarriedOver)
	if st.lastYear == year-1 && st.lastYear != 0 {
		copy(co[:6], st.carriedForward[:])
	} else {
		co[0] = sometimes(r, levelPick(lvl, 0.3, 0.15, 0.05), 1, levelPick[int64](lvl, 3, 2, 1))
		for c := 1; c < 6; c++ {
			co[c] = sometimes(r, 0.03, 1, 1)
		}
	}

	outcomes := outcomeRows(tpl)
	total := 0
	for _, o := range outcomes {
		total += outcomeWeight[o]
	}
	cf, tot := a.row(report.RowCarriedForward), a.row(report.RowTotal)
	for c := 0; c < 6; c++ {
		avail := nr[c] + co[c]
		if avail > 0 && !(busy && c == 0) && chance(r, 0.25) {
			cf[c] = between(r, 1, min(3, avail))
		}
		tot[c] = avail - cf[c]
		for k := int64(0); k < tot[c]; k++ {
			w := r.IntN(total)
			for _, o := range outcomes {
				if w -= outcomeWeight[o]; w < 0 {
					a.row(o)[c]++
					break
				}
			}
		}
	}
	for _, row := range report.Rows(tpl) {
		a.sumRow(row)
	}
	return a
}

// genReview draws a consistent section 四: every group's total is the sum of its
// outcomes.
func genReview(r *rand.Rand, lvl report.Level) reviewCounts {
	var v reviewCounts
	probs := [3]float64{levelPick(lvl, 0.45, 0.3, 0.1), levelPick(lvl, 0.35, 0.2, 0.05), levelPick(lvl, 0.15, 0.1, 0.02)}
	for g := range v {
		if !chance(r, probs[g]) {
			continue
		}
		v[g][0] = between(r, 0, 4)
		v[g][1] = sometimes(r, 0.3, 1, 1)
		v[g][2] = sometimes(r, 0.2, 1, 1)
		v[g][3] = sometimes(r, 0.3, 1, 2)
		if v[g][0]+v[g][1]+v[g][2]+v[g][3] == 0 {
			v[g][0] = 1
		}
		v[g][4] = v[g][0] + v[g][1] + v[g][2] + v[g][3]
	}
	return v
}

// dvalue is one drawn section 二 value before it is printed.
type dvalue struct {
	n      int64   // a count (or a signed change)
	signed bool    // printed with its sign: "+2", "-1", "0"
	money  bool    // an amount: amt, unit and suffix apply
	amt    decimal // the amount as printed
	unit   report.Unit
	suffix string // what follows the number in the cell: "万", "元" or ""
}

func (d dvalue) zero() bool {
	if d.money {
		return d.amt.units == 0
	}
	return d.n == 0
}

// draw returns a count of the order of base for a county government, smaller and
// often zero for departments and townships.
func draw(r *rand.Rand, lvl report.Level, base int64) int64 {
	switch lvl {
	case report.LevelDepartment:
		return sometimes(r, 0.5, 0, max(1, base/3))
	case report.LevelTownship:
		return sometimes(r, 0.3, 0, max(1, base/20))
	}
	return between(r, base/4, base)
}

// genDisclosure draws section 二 in the template's layout order, continuing the
// body's stocks so that R6 holds between consecutive 2021-template reports.
func genDisclosure(r *rand.Rand, lvl report.Level, tpl report.Template, st *bodyState) map[report.ItemMetric]dvalue {
	out := map[report.ItemMetric]dvalue{}
	set := func(it report.Item, m report.Metric, v dvalue) { out[report.ItemMetric{Item: it, Metric: m}] = v }
	count := func(n int64) dvalue { return dvalue{n: n} }
	if st.items == nil {
		st.items = map[report.Item]int64{}
	}
	// County-level bodies make no 规章 (only provinces and larger cities do).
	regs := []report.Metric{report.MetricNewMade, report.MetricNewPublished, report.MetricTotalPublished}
	if tpl == report.Template2021 {
		regs = []report.Metric{report.MetricIssued, report.MetricRepealed, report.MetricInForce}
	}
	for _, m := range regs {
		set(report.ItemRegulations, m, count(0))
	}
	issued := draw(r, lvl, 12)
	if lvl == report.LevelTownship {
		issued = 0
	}
	switch tpl {
	case report.Template2019:
		if !st.hasPublished && lvl != report.LevelTownship {
			st.published = draw(r, lvl, 120)
		}
		st.hasPublished = true
		pub := issued
		if pub > 0 && chance(r, 0.1) {
			pub--
		}
		st.published += pub
		set(report.ItemNormativeDocs, report.MetricNewMade, count(issued))
		set(report.ItemNormativeDocs, report.MetricNewPublished, count(pub))
		set(report.ItemNormativeDocs, report.MetricTotalPublished, count(st.published))

		bases := []struct {
			item      report.Item
			prev, dec int64
		}{
			{report.ItemLicensing, 400, 6000},
			{report.ItemOtherServices, 80, 1500},
			{report.ItemPenalty, 200, 900},
			{report.ItemEnforcement, 30, 80},
			{report.ItemFees, 25, 0},
		}
		for _, b := range bases {
			prev, ok := st.items[b.item]
			if !ok {
				prev = draw(r, lvl, b.prev)
			}
			change := int64(0)
			if prev > 0 || chance(r, 0.2) {
				change = between(r, -min(prev, max(1, b.prev/40)), max(1, b.prev/25))
			}
			st.items[b.item] = prev + change
			set(b.item, report.MetricPrevYear, count(prev))
			set(b.item, report.MetricChange, dvalue{n: change, signed: true})
			if b.item != report.ItemFees {
				dec := int64(0)
				if prev+change > 0 {
					dec = draw(r, lvl, b.dec)
				}
				set(b.item, report.MetricDecisions, count(dec))
			}
		}
		items := draw(r, lvl, 60)
		set(report.ItemProcurement, report.MetricItems, count(items))
		set(report.ItemProcurement, report.MetricAmount, procurementAmount(r, items))

	case report.Template2021:
		if !st.hasInForce && lvl != report.LevelTownship {
			st.inForce = draw(r, lvl, 80)
		}
		st.hasInForce = true
		repealed := int64(0)
		if st.inForce > 0 {
			repealed = sometimes(r, 0.4, 1, min(3, st.inForce))
		}
		st.inForce += issued - repealed
		set(report.ItemNormativeDocs, report.MetricIssued, count(issued))
		set(report.ItemNormativeDocs, report.MetricRepealed, count(repealed))
		set(report.ItemNormativeDocs, report.MetricInForce, count(st.inForce))
		set(report.ItemLicensing, report.MetricDecisions, count(draw(r, lvl, 6000)))
		set(report.ItemPenalty, report.MetricDecisions, count(draw(r, lvl, 900)))
		set(report.ItemEnforcement, report.MetricDecisions, count(draw(r, lvl, 80)))
		fee := decimal{}
		if chance(r, levelPick(lvl, 0.7, 0.4, 0.1)) {
			fee = decimal{units: between(r, 1, 50000), scale: 2}
			if chance(r, 0.5) {
				fee = decimal{units: between(r, 1, 5000), scale: 1}
			}
		}
		set(report.ItemFees, report.MetricAmount, dvalue{money: true, amt: fee, unit: report.UnitWanYuan})
	}
	return out
}

// procurementAmount draws 采购总金额 for template 2019, printed in one of the ways
// real reports print it: with 万 in the cell ("2500万"), with 元 ("251000元"), or a
// bare number whose unit is unknown ("41521.5").
func procurementAmount(r *rand.Rand, items int64) dvalue {
	if items == 0 {
		return dvalue{money: true}
	}
	switch r.IntN(10) {
	case 0, 1, 2, 3:
		d := decimal{units: between(r, 5, 5000)}
		if chance(r, 0.5) {
			d = decimal{units: between(r, 50, 500000), scale: 1 + r.IntN(2)}
		}
		return dvalue{money: true, amt: d, unit: report.UnitWan, suffix: "万"}
	case 4, 5, 6:
		d := decimal{units: between(r, 10000, 50000000)}
		if chance(r, 0.2) {
			d = decimal{units: between(r, 1000000, 5000000000), scale: 2}
		}
		return dvalue{money: true, amt: d, unit: report.UnitYuan, suffix: "元"}
	}
	return dvalue{money: true, amt: decimal{units: between(r, 1000, 9000000), scale: r.IntN(3)}}
}
