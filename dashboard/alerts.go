package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// alertsText holds the alerts page's strings.
var alertsText = text{
	"alerts.title":                  {"预警", "Alerts"},
	"alerts.rule":                   {"规则", "Rule"},
	"alerts.severity":               {"级别", "Severity"},
	"alerts.status":                 {"状态", "Status"},
	"alerts.body":                   {"机构", "Body"},
	"alerts.year":                   {"年度", "Year"},
	"alerts.province":               {"省份", "Province"},
	"alerts.message":                {"说明", "What was found"},
	"alerts.cells":                  {"单元格", "Cells"},
	"alerts.raised":                 {"发出时间", "Raised"},
	"alerts.resolved_at":            {"解除时间", "Resolved"},
	"alerts.source":                 {"原文", "Source"},
	"alerts.source_link":            {"查看原文", "source"},
	"alerts.related":                {"相关年报", "Related reports"},
	"alerts.count":                  {"共 %s 条预警", "%s alerts"},
	"alerts.truncated":              {"预警超过 %s 条，只显示了最新的 %s 条。请缩小筛选范围。", "More than %s alerts match; only the newest %s are shown. Narrow the filter."},
	"alerts.by_rule":                {"按规则统计（当前筛选条件，不限规则）", "Alerts by rule (current filter, any rule)"},
	"alerts.alerts":                 {"预警数", "alerts"},
	"alerts.sev.error":              {"错误", "error"},
	"alerts.sev.warning":            {"警告", "warning"},
	"alerts.sev.info":               {"提示", "info"},
	"alerts.status.open":            {"未解除", "open"},
	"alerts.status.resolved":        {"已解除", "resolved"},
	"alerts.status.all":             {"全部", "all"},
	"alerts.rules_about":            {"规则说明", "What the rules check"},
	"alerts.rule.R1":                {"R1 收支平衡", "R1 balance"},
	"alerts.rule.R2":                {"R2 行合计", "R2 row totals"},
	"alerts.rule.R3":                {"R3 办理结果合计", "R3 outcome total"},
	"alerts.rule.R4":                {"R4 复议诉讼合计", "R4 review totals"},
	"alerts.rule.R5":                {"R5 跨年结转", "R5 carry-over"},
	"alerts.rule.R6":                {"R6 文件存量衔接", "R6 documents in force"},
	"alerts.rule.text_cell":         {"数字栏填文字", "text in a number cell"},
	"alerts.rule.unplaced":          {"数值未归位", "values not placed"},
	"alerts.rule.unreadable_table":  {"申请表无法读取", "table unreadable"},
	"alerts.rule.missing_cell":      {"缺少单元格", "cell missing"},
	"alerts.rule.jump":              {"较往年突变", "jump vs earlier years"},
	"alerts.rule.peer_outlier":      {"同级异常", "peer outlier"},
	"alerts.rule.copy":              {"内容雷同", "copied tables"},
	"alerts.rule.missing":           {"未发布年报", "report missing"},
	"alerts.rule.late":              {"逾期发布", "published late"},
	"alerts.about.R1":               {"第三部分每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理。", "Section 三, every column: received + carried over = total processed + carried forward."},
	"alerts.about.R2":               {"第三部分每一行：各类申请人（自然人、法人或其他组织各项）之和 = 总计。", "Section 三, every row: the applicant columns add up to 总计."},
	"alerts.about.R3":               {"第三部分每一列：予以公开、部分公开、不予公开、无法提供、不予处理、其他处理之和 = 办理结果总计。", "Section 三, every column: the outcomes add up to the total processed."},
	"alerts.about.R4":               {"第四部分行政复议、行政诉讼：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。", "Section 四, review and litigation: upheld + corrected + other + pending = total."},
	"alerts.about.R5":               {"本年的上年结转 = 同一机构上一年度年报的结转下年度继续办理。", "This year's carried over equals the same body's carried forward of the previous year."},
	"alerts.about.R6":               {"规章、规范性文件：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数。", "Regulations and normative documents: in force = last year's in force + issued − repealed."},
	"alerts.about.text_cell":        {"应填数字的单元格中写了文字或不可能的数值。", "Words or an impossible value in a number cell."},
	"alerts.about.unplaced":         {"从文档中读到了数值，但无法对应到模板的单元格。", "Values were read from the document but could not be placed in the template."},
	"alerts.about.unreadable_table": {"第三部分申请情况表完全无法读取。", "Section 三's application table could not be read at all."},
	"alerts.about.missing_cell":     {"文档中找不到模板的某个单元格。", "A cell of the template was not found in the document."},
	"alerts.about.jump":             {"申请数（本年新收总计）或予以公开率与本机构往年相差悬殊。", "Requests received, or the share granted, far from the body's own earlier years."},
	"alerts.about.peer_outlier":     {"申请数与同省份、同层级、同年度的机构相比异常。", "Requests received far from bodies of the same province, level and year."},
	"alerts.about.copy":             {"表格与另一机构的年报或本机构上一年度年报完全或几乎相同。", "Tables identical or nearly identical to another body's report or the body's previous year."},
	"alerts.about.missing":          {"上一年度发布了年报的机构，截止日期后仍没有本年度年报。", "A body that reported last year has no report by the deadline."},
	"alerts.about.late":             {"年报在截止日期之后发布。", "A report published after its deadline."},
}

// alertRules are the rule codes the alerter raises (pkg/report, alerter/alert and
// alerter/history), in the order the rule menu lists them. Each has a label
// "alerts.rule.<code>".
var alertRules = []string{"R1", "R2", "R3", "R4", "R5", "R6", "text_cell", "unplaced", "unreadable_table",
	"missing_cell", "jump", "peer_outlier", "copy", "missing", "late"}

// alertSeverities are the severities an alert may have.
var alertSeverities = []string{"error", "warning", "info"}

// alertStatuses are the status filter's values; "open" is the default.
var alertStatuses = []string{"open", "resolved", "all"}

// ruleLabel is a rule's short label in lang; an unknown rule is its code.
func ruleLabel(lang, rule string) string {
	if _, ok := messages["alerts.rule."+rule]; ok {
		return tr(lang, "alerts.rule."+rule)
	}
	return rule
}

// ruleAbout says in lang what a rule checks; "" for an unknown rule.
func ruleAbout(lang, rule string) string {
	if _, ok := messages["alerts.about."+rule]; ok {
		return tr(lang, "alerts.about."+rule)
	}
	return ""
}

// alertParams are the alerts page's filters.
type alertParams struct {
	Filter   Filter
	Rule     string // "" for every rule
	Severity string // "" for every severity
	Status   string // open, resolved or all
}

// parseAlertParams reads the alerts page's query string; bad values are a
// badRequest.
func parseAlertParams(q url.Values) (alertParams, error) {
	f, err := parseFilter(q)
	if err != nil {
		return alertParams{}, err
	}
	p := alertParams{
		Filter:   f,
		Rule:     strings.TrimSpace(q.Get("rule")),
		Severity: strings.TrimSpace(q.Get("severity")),
		Status:   strings.TrimSpace(q.Get("status")),
	}
	if p.Rule != "" && !validRuleCode(p.Rule) {
		return alertParams{}, badRequest{fmt.Sprintf("rule: %q is not a rule code", p.Rule)}
	}
	if p.Severity != "" && !slices.Contains(alertSeverities, p.Severity) {
		return alertParams{}, badRequest{fmt.Sprintf("severity: %q, want one of %s", p.Severity, strings.Join(alertSeverities, ", "))}
	}
	if p.Status == "" {
		p.Status = "open"
	}
	if !slices.Contains(alertStatuses, p.Status) {
		return alertParams{}, badRequest{fmt.Sprintf("status: %q, want one of %s", p.Status, strings.Join(alertStatuses, ", "))}
	}
	return p, nil
}

// validRuleCode accepts the shape of a rule code (letters, digits and
// underscores), so that rules added later can be filtered on too.
func validRuleCode(s string) bool {
	if len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// where returns the conditions on alerts_current; withRule false leaves out the
// rule (for the counts by rule).
func (p alertParams) where(withRule bool) (string, []any) {
	conds, args := p.Filter.where()
	if p.Status != "all" {
		conds, args = conds+" AND status = ?", append(args, p.Status)
	}
	if p.Severity != "" {
		conds, args = conds+" AND severity = ?", append(args, p.Severity)
	}
	if withRule && p.Rule != "" {
		conds, args = conds+" AND rule = ?", append(args, p.Rule)
	}
	return conds, args
}

// query returns the parameters as a query string; rule "-" leaves the rule out.
func (p alertParams) query(rule string) url.Values {
	v := p.Filter.query()
	if p.Status != "open" {
		v.Set("status", p.Status)
	}
	if p.Severity != "" {
		v.Set("severity", p.Severity)
	}
	if rule != "-" && rule != "" {
		v.Set("rule", rule)
	}
	return v
}

// alertRow is one alert as the page shows it.
type alertRow struct {
	ID, Rule, RuleLabel, RuleAbout, Status string
	Severity, SevLabel, SevClass           string
	DocID, Body, Province, City, County    string
	Year                                   int
	Message                                string
	Cells                                  []alertCell
	Raised, Resolved                       string
	SourceURL                              string
	Related                                []string
}

// alertCell is a cell address with its value.
type alertCell struct{ Cell, Value string }

// ruleCount is the number of alerts of a rule under the current filter.
type ruleCount struct {
	Rule, Label, About, URL string
	N                       int64
	Selected                bool
}

// alertsData is the alerts page.
type alertsData struct {
	Params     alertParams
	Options    Options
	Rules      []ruleCount // every known rule, for the menu
	Severities []string
	Statuses   []string
	Counts     []ruleCount // rules with alerts under the filter, most first
	ByRule     Chart
	Alerts     []alertRow
	// Total is the number of alerts matching the filter (the table shows at most
	// MaxRows of them).
	Total     int64
	MaxRows   int
	Truncated bool
}

// alerts serves the alerts page: filters, counts by rule and the newest alerts.
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	p, err := parseAlertParams(r.URL.Query())
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	d, err := s.alertsData(r.Context(), lang, p)
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	s.render(w, r, http.StatusOK, "alerts", "alerts.title", d)
}

// alertsData reads the alerts page: counts by rule (without the rule filter) and
// at most MaxRows alerts, newest first.
func (s *Server) alertsData(ctx context.Context, lang string, p alertParams) (*alertsData, error) {
	d := &alertsData{Params: p, MaxRows: s.cfg.MaxRows, Severities: alertSeverities, Statuses: alertStatuses}
	var err error
	if d.Options, err = s.options(ctx); err != nil {
		return nil, fmt.Errorf("filter options: %w", err)
	}
	for _, rule := range alertRules {
		d.Rules = append(d.Rules, ruleCount{Rule: rule, Label: ruleLabel(lang, rule), About: ruleAbout(lang, rule), Selected: rule == p.Rule})
	}
	if p.Rule != "" && !slices.Contains(alertRules, p.Rule) {
		d.Rules = append(d.Rules, ruleCount{Rule: p.Rule, Label: p.Rule, Selected: true})
	}

	// Counts by rule: the filter without its rule, so that every rule can be chosen.
	where, args := p.where(false)
	res, err := s.query(ctx, "SELECT rule, count() AS n FROM "+s.view("alerts_current")+" WHERE "+where+
		" GROUP BY rule ORDER BY n DESC, rule", args...)
	if err != nil {
		return nil, fmt.Errorf("alerts by rule: %w", err)
	}
	d.ByRule = Chart{Kind: "hbar", Series: []Series{{Name: tr(lang, "alerts.alerts")}}}
	for _, row := range res.Rows {
		c := ruleCount{Rule: row[0], Label: ruleLabel(lang, row[0]), N: atoi(row[1]), Selected: row[0] == p.Rule}
		c.URL = "/alerts"
		if q := p.query(c.Rule).Encode(); q != "" {
			c.URL += "?" + q
		}
		d.Counts = append(d.Counts, c)
		if p.Rule == "" || c.Selected {
			d.Total += c.N
		}
		d.ByRule.Labels = append(d.ByRule.Labels, c.Label)
		d.ByRule.Series[0].Values = append(d.ByRule.Series[0].Values, fp(float64(c.N)))
	}

	where, args = p.where(true)
	res, err = s.query(ctx, "SELECT alert_id, rule, severity, status, doc_id, body, year, province, city, county, "+
		"source_url, cells, cell_values, related_doc_ids, message_zh, message_en, raised_at, resolved_at FROM "+
		s.view("alerts_current")+" WHERE "+where+" ORDER BY raised_at DESC, alert_id LIMIT ?", append(args, s.cfg.MaxRows+1)...)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	for i, row := range res.Rows {
		if len(d.Alerts) == s.cfg.MaxRows {
			d.Truncated = true
			break
		}
		a := alertRow{
			ID: row[0], Rule: row[1], RuleLabel: ruleLabel(lang, row[1]), RuleAbout: ruleAbout(lang, row[1]), Severity: row[2], Status: row[3],
			DocID: row[4], Body: row[5], Year: int(atoi(row[6])), Province: row[7], City: row[8], County: row[9],
			SourceURL: row[10], Related: parseArray(row[13]), Raised: row[16],
		}
		a.SevClass, a.SevLabel = "sev-other", a.Severity
		if slices.Contains(alertSeverities, a.Severity) {
			a.SevClass, a.SevLabel = "sev-"+a.Severity, tr(lang, "alerts.sev."+a.Severity)
		}
		a.Message = row[14]
		if (lang == LangEN && row[15] != "") || a.Message == "" {
			a.Message = row[15]
		}
		if !res.IsNull(i, 17) {
			a.Resolved = row[17]
		}
		cells, values := parseArray(row[11]), parseArray(row[12])
		for j, c := range cells {
			cell := alertCell{Cell: c}
			if j < len(values) {
				cell.Value = values[j]
			}
			a.Cells = append(a.Cells, cell)
		}
		d.Alerts = append(d.Alerts, a)
	}
	return d, nil
}
