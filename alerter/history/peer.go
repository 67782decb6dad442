package history

import (
	"fmt"
	"math"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// peers compares the reports of year y with the other bodies of the same province
// and level: groups of at least peer_outlier.min_group reports, on log1p of the
// applications received (本年新收, 总计). Each body is scored against the others of
// its group (the body itself left out), so a single large body cannot hide in its
// own statistics. A body is an outlier when |z| ≥ peer_outlier.z and its count is
// at least peer_outlier.min_abs away from the others' median; when the others all
// report the same count (no scale at all), the distance alone decides.
//
// The alert's ID rests on the body's own report and count, not on the group's
// statistics, so that another body's late report does not raise it again.
func (e *evaluator) peers(y int) {
	type member struct {
		d *doc
		x float64
	}
	type groupKey struct {
		province string
		level    report.Level
	}
	groups := map[groupKey][]member{}
	var keys []groupKey
	for _, d := range e.ds.inYear(y) {
		if d.fig == nil || d.body == "" || d.region.Province == "" || d.level == report.LevelUnknown {
			continue
		}
		x, ok := d.fig.received.num()
		if !ok || x < 0 {
			continue
		}
		k := groupKey{d.region.Province, d.level}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], member{d, x})
	}
	for _, k := range keys {
		g := groups[k]
		if len(g) < e.cfg.Peer.MinGroup {
			continue
		}
		e.stats.PeerGroups++
		logs, raw := make([]float64, len(g)), make([]float64, len(g))
		for i, m := range g {
			logs[i], raw[i] = math.Log1p(m.x), m.x
		}
		scores, medians := leaveOneOut(logs, raw)
		for i, m := range g {
			s, med := scores[i], medians[i]
			dist := math.Abs(m.x - med)
			if dist == 0 || dist < e.cfg.Peer.MinAbs {
				continue
			}
			if s.method != methodNone && math.Abs(s.z) < e.cfg.Peer.Z {
				continue
			}
			e.peerAlert(m.d, m.x, med, s, len(g))
		}
	}
}

func (e *evaluator) peerAlert(d *doc, x, med float64, s robust, n int) {
	val := d.fig.received.String()
	al := e.newAlert(RulePeerOutlier, alert.SeverityWarning, d, scopeReceived, d.evidenceVersion(), val)
	al.Cells = []string{report.CellAddr(report.RowNewReceived, report.ColTotal)}
	al.CellValues = []string{val}
	al.Evidence = map[string]float64{"received": x, "peer_median": med, "log_median": round4(s.median),
		"mad": round4(s.mad), "mean_ad": round4(s.meanAD), "z": round4(s.z), "group": float64(n), "peers": float64(n - 1)}
	zh, en := who(d)
	where := d.region.Province + levelLabel(d.level)
	dirZH, dirEN := "远高于", "far above"
	if x < med {
		dirZH, dirEN = "远低于", "far below"
	}
	switch s.method {
	case methodNone:
		al.MessageZH = fmt.Sprintf("%s：本年新收政府信息公开申请%s件，%s%s其他%d个机关（均为%s件）。",
			zh, formatNum(x), dirZH, where, n-1, formatNum(med))
		al.MessageEN = fmt.Sprintf("%s: %s new requests received, %s the %d other %s bodies of %s in %d, which all received %s.",
			en, formatNum(x), dirEN, n-1, d.level, d.region.Province, d.year, formatNum(med))
	default:
		scaleZH, scaleEN := "中位数绝对偏差", "median absolute deviation"
		if s.method == methodMeanAD {
			scaleZH, scaleEN = "平均绝对偏差（多数机关数值相同，中位数绝对偏差为0）", "mean absolute deviation, the median absolute deviation being 0"
		}
		al.MessageZH = fmt.Sprintf("%s：本年新收政府信息公开申请%s件，%s%s其他%d个机关的中位数%s件（对数尺度稳健Z值%.1f，按%s计算）。",
			zh, formatNum(x), dirZH, where, n-1, formatNum(med), s.z, scaleZH)
		al.MessageEN = fmt.Sprintf("%s: %s new requests received, %s the median of %s of the %d other %s bodies of %s in %d (robust z = %.1f on log1p, %s).",
			en, formatNum(x), dirEN, formatNum(med), n-1, d.level, d.region.Province, d.year, s.z, scaleEN)
	}
	e.out = append(e.out, al)
}
