package history

import (
	"fmt"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// carryOver checks R5 for the reports of year y: per applicant column and total,
// 上年结转 (carried_over) equals last year's 结转下年度继续办理 (carried_forward) of the
// same body. A blank counts as 0 (and the message says so); a text, missing or
// absent cell makes the column not assessable: no alert.
func (e *evaluator) carryOver(y int) {
	for _, d := range e.ds.inYear(y) {
		prev := e.ds.get(d.bodyKey, y-1)
		if d.fig == nil || prev == nil || prev.fig == nil || d.body == "" {
			continue
		}
		for i, col := range report.Cols {
			co, cf := d.fig.carriedOver[i], prev.fig.carriedForward[i]
			a, ok1 := co.num()
			b, ok2 := cf.num()
			if !ok1 || !ok2 || a == b {
				continue
			}
			coAddr, cfAddr := report.CellAddr(report.RowCarriedOver, col), otherAddr(y-1, report.CellAddr(report.RowCarriedForward, col))
			vals := []string{co.String(), cf.String()}
			al := e.newAlert(report.RuleR5, alert.SeverityError, d, "col:"+string(col),
				d.evidenceVersion(), prev.evidenceVersion(), vals[0], vals[1])
			al.Version = max(d.version, prev.version)
			al.Cells = []string{coAddr, cfAddr}
			al.CellValues = vals
			al.Related = []alert.Related{related(prev)}
			al.Evidence = map[string]float64{"carried_over": a, "carried_forward_last_year": b, "difference": a - b}
			var blanks []string
			if co.state == stateBlank {
				blanks = append(blanks, coAddr)
			}
			if cf.state == stateBlank {
				blanks = append(blanks, cfAddr)
			}
			zh, en := who(d)
			label := report.ColLabels[col]
			al.MessageZH = fmt.Sprintf("%s：第三部分“%s”列“二、上年结转政府信息公开申请数量”为%s，而%d年度报告“四、结转下年度继续办理”为%s，两者应相等（相差%s）。",
				zh, label, formatNum(a), y-1, formatNum(b), formatNum(a-b))
			al.MessageEN = fmt.Sprintf("%s: section 3, column %s: carried over from last year = %s, but the %d report carried forward %s (R5, difference %s).",
				en, col, formatNum(a), y-1, formatNum(b), formatNum(a-b))
			bz, be := blankNote(blanks)
			al.MessageZH += bz
			al.MessageEN += be
			e.out = append(e.out, al)
		}
	}
}
