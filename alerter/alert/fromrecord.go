package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// FromRecord returns the alerts a record's findings raise: violations of R1–R4 and
// text written in number cells, for the rules enabled. It is pure: the same record
// gives the same alerts.
func FromRecord(rec *report.Record, enabled map[report.Rule]bool, raisedAt time.Time) []Alert {
	var out []Alert
	for _, f := range rec.Findings {
		if !enabled[f.Rule] || !raises(f) {
			continue
		}
		a := Alert{
			ID:        ID(KeyFor(f.Rule, rec.Meta.DocID, f.Scope), rec.Meta.ContentSHA256),
			Key:       KeyFor(f.Rule, rec.Meta.DocID, f.Scope),
			Rule:      f.Rule,
			Severity:  string(f.Severity),
			Status:    StatusOpen,
			DocID:     rec.Meta.DocID,
			Body:      rec.Meta.Body,
			Year:      rec.Meta.Year,
			Level:     rec.Meta.Level,
			Region:    rec.Meta.Region,
			SourceURL: rec.Meta.SourceURL,
			Scope:     f.Scope,
			Cells:     append([]string{}, f.Cells...),
			RaisedAt:  raisedAt.UTC().Truncate(time.Second),
			Version:   rec.Version(),
		}
		for _, c := range f.Cells {
			a.CellValues = append(a.CellValues, cellValue(rec, c))
		}
		a.MessageZH, a.MessageEN = describe(rec, f)
		out = append(out, a)
	}
	return out
}

// raises says which findings become alerts: broken arithmetic and text in number
// cells. Rules that could not be assessed are recorded as findings only.
func raises(f report.Finding) bool {
	switch f.Status {
	case report.StatusViolated:
		return true
	case report.StatusFlagged:
		return f.Rule == report.RuleTextCell
	}
	return false
}

// cellValue renders the value of a cell address for the alert.
func cellValue(rec *report.Record, addr string) string {
	i := strings.LastIndexByte(addr, '.')
	if i < 0 {
		return ""
	}
	head, tail := addr[:i], addr[i+1:]
	if c, ok := rec.Applications[report.Row(head)][report.Col(tail)]; ok {
		return c.String()
	}
	if c, ok := rec.Review[report.ReviewGroup(head)][report.Outcome(tail)]; ok {
		return c.String()
	}
	if c, ok := rec.Disclosure[report.Item(head)][report.Metric(tail)]; ok {
		return c.String()
	}
	return "missing"
}

// describe writes the alert's sentence in Chinese and in English.
func describe(rec *report.Record, f report.Finding) (zh, en string) {
	who := fmt.Sprintf("%s%d年度报告", rec.Meta.Body, rec.Meta.Year)
	whoEN := fmt.Sprintf("%s, report for %d", rec.Meta.Body, rec.Meta.Year)
	scope := scopeLabel(f.Scope)
	l, r := num(f.LHS), num(f.RHS)
	switch f.Rule {
	case report.RuleR1:
		zh = fmt.Sprintf("%s：第三部分“%s”列勾稽关系不成立，本年新收加上年结转为%s，办理结果总计加结转下年度为%s。", who, scope, l, r)
		en = fmt.Sprintf("%s: section 3, column %s: received + carried over = %s, but total handled + carried forward = %s (R1).", whoEN, f.Scope, l, r)
	case report.RuleR2:
		zh = fmt.Sprintf("%s：第三部分“%s”行总计为%s，各类申请人之和为%s。", who, scope, l, r)
		en = fmt.Sprintf("%s: section 3, row %s: total is %s but the applicant columns sum to %s (R2).", whoEN, f.Scope, l, r)
	case report.RuleR3:
		zh = fmt.Sprintf("%s：第三部分“%s”列（七）总计为%s，各项办理结果之和为%s。", who, scope, l, r)
		en = fmt.Sprintf("%s: section 3, column %s: (7) total is %s but the outcomes sum to %s (R3).", whoEN, f.Scope, l, r)
	case report.RuleR4:
		zh = fmt.Sprintf("%s：第四部分“%s”总计为%s，维持、纠正、其他、尚未审结之和为%s。", who, scope, l, r)
		en = fmt.Sprintf("%s: section 4, %s: total is %s but upheld + corrected + other + pending = %s (R4).", whoEN, f.Scope, l, r)
	case report.RuleTextCell:
		zh = fmt.Sprintf("%s：数字单元格%s填写了文字。", who, strings.Join(f.Cells, "、"))
		en = fmt.Sprintf("%s: text written in number cell(s) %s.", whoEN, strings.Join(f.Cells, ", "))
	default:
		zh = fmt.Sprintf("%s：%s", who, f.Message)
		en = fmt.Sprintf("%s: %s", whoEN, f.Message)
	}
	if len(f.BlankAsZero) > 0 {
		zh += fmt.Sprintf("（空白单元格按0计算：%s）", strings.Join(f.BlankAsZero, "、"))
		en += fmt.Sprintf(" Blank cells counted as 0: %s.", strings.Join(f.BlankAsZero, ", "))
	}
	return zh, en
}

// scopeLabel turns a finding scope ("col:natural_person") into its Chinese label.
func scopeLabel(scope string) string {
	kind, code, ok := strings.Cut(scope, ":")
	if !ok {
		return scope
	}
	switch kind {
	case "col":
		if l, ok := report.ColLabels[report.Col(code)]; ok {
			return l
		}
	case "row":
		if l, ok := report.RowLabels[report.Row(code)]; ok {
			return l
		}
	case "group":
		if l, ok := report.ReviewGroupLabels[report.ReviewGroup(code)]; ok {
			return l
		}
	}
	return code
}

func num(v float64) string { return report.Number(v).Raw }
