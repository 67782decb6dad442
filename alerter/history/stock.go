package history

import (
	"fmt"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// stock checks R6 for the reports of year y: for 规章 and 规范性文件, this year's
// 现行有效件数 equals last year's 现行有效件数 + this year's 本年制发件数 − 本年废止件数.
// Only reports that print the three 2021-template metrics are checked, against a
// previous report that printed 现行有效件数 — so a 2021 report is checked against
// 2020's only when the 2020 report has it. Blanks count as 0; a text, missing or
// absent cell makes the item not assessable.
func (e *evaluator) stock(y int) {
	for _, d := range e.ds.inYear(y) {
		prev := e.ds.get(d.bodyKey, y-1)
		if d.fig == nil || prev == nil || prev.fig == nil || d.body == "" {
			continue
		}
		for i, item := range stockItems {
			issuedC, repealedC, inForceC := d.fig.stock[i][0], d.fig.stock[i][1], d.fig.stock[i][2]
			lastC := prev.fig.stock[i][2]
			issued, ok1 := issuedC.num()
			repealed, ok2 := repealedC.num()
			inForce, ok3 := inForceC.num()
			last, ok4 := lastC.num()
			if !ok1 || !ok2 || !ok3 || !ok4 {
				continue
			}
			want := last + issued - repealed
			if inForce == want {
				continue
			}
			addr := func(m report.Metric) string { return report.DisclosureAddr(item, m) }
			cells := []string{addr(report.MetricInForce), addr(report.MetricIssued), addr(report.MetricRepealed), otherAddr(y-1, addr(report.MetricInForce))}
			vals := []string{inForceC.String(), issuedC.String(), repealedC.String(), lastC.String()}
			al := e.newAlert(report.RuleR6, alert.SeverityError, d, "item:"+string(item),
				append([]string{d.evidenceVersion(), prev.evidenceVersion()}, vals...)...)
			al.Version = max(d.version, prev.version)
			al.Cells, al.CellValues = cells, vals
			al.Related = []alert.Related{related(prev)}
			al.Evidence = map[string]float64{"in_force": inForce, "in_force_last_year": last, "issued": issued,
				"repealed": repealed, "expected": want, "difference": inForce - want}
			var blanks []string
			for k, c := range []cell{inForceC, issuedC, repealedC} {
				if c.state == stateBlank {
					blanks = append(blanks, cells[k])
				}
			}
			if lastC.state == stateBlank {
				blanks = append(blanks, cells[3])
			}
			zh, en := who(d)
			al.MessageZH = fmt.Sprintf("%s：第二部分“%s”现行有效件数为%s，按%d年度报告现行有效%s件加本年制发%s件、减本年废止%s件应为%s件（相差%s）。",
				zh, report.ItemLabels[item], formatNum(inForce), y-1, formatNum(last), formatNum(issued), formatNum(repealed), formatNum(want), formatNum(inForce-want))
			al.MessageEN = fmt.Sprintf("%s: section 2, %s: %s in force, but the %d report's %s in force + %s issued − %s repealed = %s (R6, difference %s).",
				en, item, formatNum(inForce), y-1, formatNum(last), formatNum(issued), formatNum(repealed), formatNum(want), formatNum(inForce-want))
			bz, be := blankNote(blanks)
			al.MessageZH += bz
			al.MessageEN += be
			e.out = append(e.out, al)
		}
	}
}
