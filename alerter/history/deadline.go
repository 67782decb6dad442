package history

import (
	"fmt"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// cst is China Standard Time, in which deadlines fall.
var cst = time.FixedZone("CST", 8*3600)

// Deadline returns the last day on which a body of the given level may publish its
// report for year (条例 art. 49–50): 31 January of the next year for departments
// and townships, 31 March for governments' consolidated reports (national,
// province, city and county). ok is false for an unknown level.
func Deadline(level report.Level, year int) (day time.Time, ok bool) {
	switch level {
	case report.LevelDepartment, report.LevelTownship:
		return time.Date(year+1, time.January, 31, 0, 0, 0, 0, time.UTC), true
	case report.LevelNational, report.LevelProvince, report.LevelCity, report.LevelCounty:
		return time.Date(year+1, time.March, 31, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// deadlineEnd is the instant a deadline day ends in China: a report may be
// published until 24:00 CST.
func deadlineEnd(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, cst)
}

// missing raises an alert for every body that has a report for y−1 and none for y
// when the deadline for y (by the level of its y−1 report; 31 March when the level
// is unknown) plus missing.grace has passed. The alert points to the y−1 report.
func (e *evaluator) missing(y int) {
	for _, prev := range e.ds.inYear(y - 1) {
		if prev.bodyKey == "" || e.ds.get(prev.bodyKey, y) != nil {
			continue
		}
		day, ok := Deadline(prev.level, y)
		if !ok {
			day, _ = Deadline(report.LevelCounty, y)
		}
		if !e.now.After(deadlineEnd(day).Add(e.cfg.Missing.Grace)) {
			continue
		}
		key := alert.KeyFor(RuleMissing, prev.body, fmt.Sprint(y), scopeReport)
		al := e.newAlert(RuleMissing, alert.SeverityWarning, prev, scopeReport)
		al.Key, al.Year = key, y
		al.ID = alert.ID(key, prev.evidenceVersion(), day.Format(time.DateOnly))
		al.Related = []alert.Related{related(prev)}
		overdue := e.now.Sub(deadlineEnd(day)).Hours() / 24
		al.Evidence = map[string]float64{"last_year": float64(y - 1), "days_overdue": float64(int(overdue))}
		al.MessageZH = fmt.Sprintf("%s截至%s（法定期限）未发布%d年度政府信息公开工作年度报告；最近一份为%d年度报告。",
			prev.body, day.Format("2006年1月2日"), y, y-1)
		al.MessageEN = fmt.Sprintf("%s has published no annual report for %d by the deadline of %s; its last report is for %d.",
			prev.body, y, day.Format(time.DateOnly), y-1)
		e.out = append(e.out, al)
	}
}

// late raises an alert (severity info) for every report of year y published after
// its deadline. Reports without a publication date or a level are not judged.
func (e *evaluator) late(y int) {
	for _, d := range e.ds.inYear(y) {
		if d.published.IsZero() || d.body == "" {
			continue
		}
		day, ok := Deadline(d.level, y)
		if !ok || !d.published.After(day) {
			continue
		}
		pub := d.published.Format(time.DateOnly)
		al := e.newAlert(RuleLate, alert.SeverityInfo, d, scopePublished, d.evidenceVersion(), pub)
		days := int(d.published.Sub(day).Hours() / 24)
		al.Evidence = map[string]float64{"days_late": float64(days)}
		zh, en := who(d)
		al.MessageZH = fmt.Sprintf("%s发布于%s，晚于法定期限%s %d天。", zh, d.published.Format("2006年1月2日"), day.Format("2006年1月2日"), days)
		al.MessageEN = fmt.Sprintf("%s was published on %s, %d day(s) after the deadline of %s.", en, pub, days, day.Format(time.DateOnly))
		e.out = append(e.out, al)
	}
}
