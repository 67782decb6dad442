package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// RuleUnreadableTable is the per-report rule for a report whose application table
// (section 三) could not be read at all: every cell of it is missing.
const RuleUnreadableTable report.Rule = "unreadable_table"

// PerReportRules are the rules FromRecord can raise, in the order of the config.
var PerReportRules = []report.Rule{report.RuleR1, report.RuleR2, report.RuleR3, report.RuleR4, report.RuleTextCell,
	report.RuleUnplaced, RuleUnreadableTable}

// FromRecord returns the alerts a record raises for the rules enabled: violations
// of R1–R4, text written in number cells, values found that could not be placed,
// and an application table that could not be read. It is pure: the same record
// gives the same alerts.
func FromRecord(rec *report.Record, enabled map[report.Rule]bool, raisedAt time.Time) []Alert {
	findings := rec.Findings
	if enabled[RuleUnreadableTable] && !tableRead(rec) {
		findings = append(findings[:len(findings):len(findings)], report.Finding{
			Rule: RuleUnreadableTable, Severity: report.SeverityError, Status: report.StatusFlagged,
			Scope: "section:3", Cells: []string{}, Message: "the application table (section 3) could not be read",
		})
	}
	var out []Alert
	for _, f := range findings {
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

// tableRead reports whether any cell of the application table was found (a
// number, a blank or text): a report with none has a table that could not be read.
func tableRead(rec *report.Record) bool {
	for _, cols := range rec.Applications {
		for _, c := range cols {
			if c.State != report.StateMissing && c.State != "" {
				return true
			}
		}
	}
	return false
}

// raises says which findings become alerts: broken arithmetic, text in number
// cells, values not placed, a table not read. Rules that could not be assessed, and
// single missing cells, are recorded as findings only.
func raises(f report.Finding) bool {
	switch f.Status {
	case report.StatusViolated:
		return true
	case report.StatusFlagged:
		return f.Rule == report.RuleTextCell || f.Rule == report.RuleUnplaced || f.Rule == RuleUnreadableTable
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
	case report.RuleUnplaced:
		zh = fmt.Sprintf("%s：%s部分有数值无法对应到模板的单元格（%s）。", who, sectionLabel(f.Scope), strings.TrimPrefix(f.Message, "values not placed: "))
		en = fmt.Sprintf("%s: values in %s could not be placed in the template's cells (%s).", whoEN, f.Scope, strings.TrimPrefix(f.Message, "values not placed: "))
	case RuleUnreadableTable:
		zh = fmt.Sprintf("%s：未能读取第三部分“收到和处理政府信息公开申请情况”表格。", who)
		en = fmt.Sprintf("%s: the application table (section 3) could not be read.", whoEN)
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

// sectionLabel names a section scope ("section:3") in Chinese.
func sectionLabel(scope string) string {
	switch scope {
	case "section:2":
		return "第二部分"
	case "section:3":
		return "第三部分"
	case "section:4":
		return "第四部分"
	}
	return "报告"
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
