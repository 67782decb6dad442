package history

import (
	"fmt"
	"math"
	"strings"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// jumps compares the reports of year y with their bodies' own history: the
// applications received (本年新收, column 总计) against the median of the previous
// jump.history years' reports, and the share granted (予以公开 / 办理结果总计)
// against the previous year's.
func (e *evaluator) jumps(y int) {
	for _, d := range e.ds.inYear(y) {
		if d.fig == nil || d.body == "" {
			continue
		}
		e.receivedJump(d)
		e.shareJump(d)
	}
}

// receivedJump raises an alert when a report's applications are at least
// jump.ratio times, or at most 1/jump.ratio times, the median of the previous
// years', and this year's count or the median is at least jump.min. Counts below 1
// count as 1 in the ratio. Text, missing or absent cells are left out.
func (e *evaluator) receivedJump(d *doc) {
	x, ok := d.fig.received.num()
	if !ok {
		return
	}
	var (
		base  []float64
		prevs []*doc
	)
	for k := 1; k <= e.cfg.Jump.History; k++ {
		p := e.ds.get(d.bodyKey, d.year-k)
		if p == nil || p.fig == nil {
			continue
		}
		if v, ok := p.fig.received.num(); ok {
			base = append(base, v)
			prevs = append(prevs, p)
		}
	}
	if len(base) == 0 {
		return
	}
	b := median(sortedCopy(base))
	ratio := math.Max(x, 1) / math.Max(b, 1)
	r := e.cfg.Jump.Ratio
	if !(ratio >= r || ratio <= 1/r) || math.Max(x, b) < e.cfg.Jump.Min {
		return
	}
	addr := report.CellAddr(report.RowNewReceived, report.ColTotal)
	cells, vals := []string{addr}, []string{d.fig.received.String()}
	evidence := []string{d.evidenceVersion(), vals[0]}
	var years []string
	al := e.newAlert(RuleJump, alert.SeverityWarning, d, scopeReceived)
	for _, p := range prevs {
		cells = append(cells, otherAddr(p.year, addr))
		vals = append(vals, p.fig.received.String())
		evidence = append(evidence, p.evidenceVersion(), p.fig.received.String())
		al.Related = append(al.Related, related(p))
		al.Version = max(al.Version, p.version)
		years = append(years, fmt.Sprint(p.year))
	}
	al.ID = alert.ID(al.Key, evidence...)
	al.Cells, al.CellValues = cells, vals
	al.Evidence = map[string]float64{"received": x, "baseline_median": b, "ratio": round4(ratio), "baseline_years": float64(len(base))}
	zh, en := who(d)
	al.MessageZH = fmt.Sprintf("%s：本年新收政府信息公开申请%s件，是此前%d年（%s）中位数%s件的%s倍。",
		zh, formatNum(x), len(base), strings.Join(years, "、"), formatNum(b), ratioText(ratio))
	al.MessageEN = fmt.Sprintf("%s: %s new requests received, %s× the median of the previous %d report(s) (%s: %s).",
		en, formatNum(x), ratioText(ratio), len(base), strings.Join(years, ", "), formatNum(b))
	e.out = append(e.out, al)
}

// ratioText prints a ratio with one decimal, or two when it is below 1.
func ratioText(r float64) string {
	if r < 1 {
		return fmt.Sprintf("%.2f", r)
	}
	return fmt.Sprintf("%.1f", r)
}

// shareJump raises an alert when the share granted moved by at least
// jump.share_jump from the previous year's report, both years having processed at
// least jump.share_min_processed requests. A report whose granted figure exceeds
// its processed total (R3 broken) has no share.
func (e *evaluator) shareJump(d *doc) {
	p := e.ds.get(d.bodyKey, d.year-1)
	if p == nil || p.fig == nil {
		return
	}
	s1, g1, t1, ok1 := e.share(d.fig)
	s0, g0, t0, ok0 := e.share(p.fig)
	if !ok1 || !ok0 || math.Abs(s1-s0) < e.cfg.Jump.ShareJump-1e-12 {
		return
	}
	ga, ta := report.CellAddr(report.RowGranted, report.ColTotal), report.CellAddr(report.RowTotal, report.ColTotal)
	vals := []string{d.fig.granted.String(), d.fig.processed.String(), p.fig.granted.String(), p.fig.processed.String()}
	al := e.newAlert(RuleJump, alert.SeverityWarning, d, scopeGrantedShare,
		append([]string{d.evidenceVersion(), p.evidenceVersion()}, vals...)...)
	al.Version = max(d.version, p.version)
	al.Cells = []string{ga, ta, otherAddr(p.year, ga), otherAddr(p.year, ta)}
	al.CellValues = vals
	al.Related = []alert.Related{related(p)}
	al.Evidence = map[string]float64{"share": round4(s1), "share_last_year": round4(s0), "change": round4(s1 - s0),
		"granted": g1, "processed": t1, "granted_last_year": g0, "processed_last_year": t0}
	zh, en := who(d)
	al.MessageZH = fmt.Sprintf("%s：予以公开占办理结果总计的比例为%s（%s/%s），%d年度为%s（%s/%s），变化%.1f个百分点。",
		zh, pct(s1), formatNum(g1), formatNum(t1), p.year, pct(s0), formatNum(g0), formatNum(t0), 100*(s1-s0))
	al.MessageEN = fmt.Sprintf("%s: %s of processed requests granted in full (%s of %s), against %s in %d (%s of %s): a change of %+.1f points.",
		en, pct(s1), formatNum(g1), formatNum(t1), pct(s0), p.year, formatNum(g0), formatNum(t0), 100*(s1-s0))
	e.out = append(e.out, al)
}

// share returns granted/processed when both are assessable, processed is at least
// jump.share_min_processed and granted does not exceed processed.
func (e *evaluator) share(f *figures) (share, granted, processed float64, ok bool) {
	g, ok1 := f.granted.num()
	t, ok2 := f.processed.num()
	if !ok1 || !ok2 || t < e.cfg.Jump.ShareMinProcessed || g > t || g < 0 {
		return 0, 0, 0, false
	}
	return g / t, g, t, true
}
