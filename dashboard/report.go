package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/report"
)

// reportText holds the report page's strings.
var reportText = text{
	"report.title":               {"年报详情", "Report"},
	"report.source":              {"原文", "Source"},
	"report.source_link":         {"打开原网页", "Open the original page"},
	"report.archived":            {"存档副本", "Archived copy"},
	"report.download":            {"下载存档附件", "Download the archived file"},
	"report.no_archive":          {"没有存档副本（NATS 未配置或消息已过期）。", "No archived copy (NATS not configured or the message has expired)."},
	"report.meta":                {"基本信息", "About this report"},
	"report.body":                {"发布机构", "Body"},
	"report.year":                {"年度", "Year"},
	"report.level":               {"层级", "Level"},
	"report.region":              {"行政区划", "Region"},
	"report.template":            {"模板", "Template"},
	"report.confidence":          {"可信度", "Confidence"},
	"report.published":           {"发布日期", "Published"},
	"report.fetched":             {"抓取时间", "Fetched"},
	"report.parser":              {"解析器版本", "Parser version"},
	"report.applications":        {"三、收到和处理政府信息公开申请情况", "III. Information requests received and handled"},
	"report.review":              {"四、政府信息公开行政复议、行政诉讼情况", "IV. Administrative review and litigation"},
	"report.disclosure":          {"二、主动公开政府信息情况", "II. Proactive disclosure"},
	"report.item":                {"事项", "Item"},
	"report.metric":              {"指标", "Measure"},
	"report.value":               {"数值", "Value"},
	"report.findings":            {"校验结果", "Rule findings"},
	"report.no_findings":         {"未发现问题。", "No findings."},
	"report.findings_hint":       {"点击一条结果，表中涉及的单元格会高亮。", "Click a finding to highlight the cells it involves."},
	"report.cells":               {"个单元格", "cells"},
	"report.alerts":              {"未关闭的预警", "Open alerts"},
	"report.state.number":        {"数字", "number"},
	"report.state.blank":         {"空白", "blank"},
	"report.state.text":          {"文字", "text"},
	"report.state.missing":       {"缺失", "missing"},
	"report.state.position":      {"按位置识别", "placed by position"},
	"report.state.finding":       {"校验未通过", "rule violated"},
	"report.group":               {"类别", "Group"},
	"report.status.violated":     {"不符", "violated"},
	"report.status.unassessable": {"无法校验", "unassessable"},
	"report.status.ok":           {"通过", "passed"},
	"report.severity.error":      {"错误", "error"},
	"report.severity.warning":    {"警告", "warning"},
	"report.severity.info":       {"提示", "info"},
}

// Cell states as stored.
const (
	stateNumber  = "number"
	stateBlank   = "blank"
	stateText    = "text"
	stateMissing = "missing"
)

// reportData is the report page.
type reportData struct {
	DocID, Body, Title, SourceURL, Level, Province, City, County, Township string
	RegionCode, Template, Published, Fetched, Parser                       string
	Year                                                                   int
	Confidence                                                             float64
	// Archived says whether an archived copy can be shown; Inline whether it is
	// a page that can be framed (else a download link).
	Archived, Inline bool

	// Applications is section 三: one row per template row.
	AppCols    []string // column labels
	AppRows    []tableRow
	Review     []tableRow // one row per group, cells per outcome
	ReviewCols []string
	Disclosure []tableRow // one row per item × metric, a single cell
	Findings   []findingView
	Alerts     []alertView
}

// tableRow is a labelled row of cells; Heading rows have no cells.
type tableRow struct {
	Label   string
	Heading bool
	Cells   []cellView
}

// cellView is one cell as shown: its address, state and text, and the findings that
// involve it.
type cellView struct {
	Addr       string
	State      string
	Text       string
	Raw        string
	ByPosition bool
	// Violated is set when a violated finding involves the cell.
	Violated bool
	// Findings are the IDs (f0, f1, …) of every finding involving the cell.
	Findings string
}

// findingView is one rule finding.
type findingView struct {
	ID, Rule, Severity, Status, Scope, Message string
	// Text says what the rule found in the page's language (Message is the
	// record's English sentence).
	Text     string
	Cells    []string
	LHS, RHS string
}

// alertView is one open alert of the report.
type alertView struct {
	Rule, Severity, Message string
}

// docID is what a document ID may look like (a hex hash; test fixtures use short
// names): checked before any query.
var docID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !docID.MatchString(id) {
		s.fail(w, r, 0, errNotFound)
		return
	}
	lang := s.lang(w, r)
	d, err := s.reportData(r.Context(), lang, id)
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", "report.title", d)
}

// reportMeta reads the report's row: its metadata and stored record.
func (s *Server) reportMeta(ctx context.Context, id string) (map[string]string, error) {
	res, err := s.query(ctx, "SELECT doc_id, body, title, source_url, level, province, city, county, township, region_code, "+
		"template, toString(published_date) AS published, toString(fetched_at) AS fetched, parser_version, year, confidence, "+
		"content_sha256, record FROM "+s.view("reports_current")+" WHERE doc_id = ? LIMIT 1", id)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	if len(res.Rows) == 0 {
		return nil, errNotFound
	}
	m := map[string]string{}
	for j, c := range res.Columns {
		m[c] = res.Rows[0][j]
		if res.IsNull(0, j) {
			m[c] = ""
		}
	}
	return m, nil
}

func (s *Server) reportData(ctx context.Context, lang, id string) (*reportData, error) {
	m, err := s.reportMeta(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &reportData{
		DocID: id, Body: m["body"], Title: m["title"], SourceURL: m["source_url"], Level: m["level"],
		Province: m["province"], City: m["city"], County: m["county"], Township: m["township"],
		RegionCode: m["region_code"], Template: m["template"], Published: m["published"], Fetched: m["fetched"],
		Parser: m["parser_version"], Year: int(atoi(m["year"])), Confidence: atof(m["confidence"]),
	}
	d.Archived = s.deps.JS != nil && archiveOf(m["record"]) != nil
	d.Inline = isPage(d.SourceURL)

	// Findings first: the cells take their highlights from them.
	res, err := s.query(ctx, "SELECT rule, severity, status, scope, cells, lhs, rhs, message FROM "+s.view("findings_current")+
		" WHERE doc_id = ? ORDER BY seq, rule, scope", id)
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", id, err)
	}
	involved := map[string][]string{} // cell address → finding IDs
	violated := map[string]bool{}
	for i, row := range res.Rows {
		f := findingView{ID: "f" + strconv.Itoa(i), Rule: row[0], Severity: row[1], Status: row[2], Scope: row[3],
			Cells: parseArray(row[4]), Message: row[7]}
		if f.Status == "ok" {
			continue
		}
		if f.Status == "violated" {
			f.LHS, f.RHS = formatNum(atof(row[5])), formatNum(atof(row[6]))
		}
		f.Text = findingText(lang, f)
		for _, c := range f.Cells {
			involved[c] = append(involved[c], f.ID)
			if f.Status == "violated" {
				violated[c] = true
			}
		}
		d.Findings = append(d.Findings, f)
	}
	mark := func(c *cellView) {
		c.Findings = strings.Join(involved[c.Addr], " ")
		c.Violated = violated[c.Addr]
	}

	tmpl := report.Template(d.Template)
	// Section 三.
	cells, err := s.cells(ctx, "application_cells_current", "row", "col", id)
	if err != nil {
		return nil, err
	}
	for _, c := range report.Cols {
		d.AppCols = append(d.AppCols, colLabel(lang, c))
	}
	for _, row := range report.Rows(tmpl) {
		if h := rowHeading(lang, row); h != "" {
			d.AppRows = append(d.AppRows, tableRow{Label: h, Heading: true})
		}
		line := tableRow{Label: rowLabel(lang, row)}
		for _, c := range report.Cols {
			cv := cells.get(report.CellAddr(row, c))
			mark(&cv)
			line.Cells = append(line.Cells, cv)
		}
		d.AppRows = append(d.AppRows, line)
	}
	// Section 四: a row per group.
	cells, err = s.cells(ctx, "review_cells_current", "review_group", "outcome", id)
	if err != nil {
		return nil, err
	}
	for _, o := range report.Outcomes {
		d.ReviewCols = append(d.ReviewCols, outcomeLabel(lang, o))
	}
	for _, g := range report.ReviewGroups {
		line := tableRow{Label: tr(lang, "group."+string(g))}
		for _, o := range report.Outcomes {
			cv := cells.get(report.ReviewAddr(g, o))
			mark(&cv)
			line.Cells = append(line.Cells, cv)
		}
		d.Review = append(d.Review, line)
	}
	// Section 二: a row per item and metric of the template.
	cells, err = s.cells(ctx, "disclosure_cells_current", "item", "metric", id)
	if err != nil {
		return nil, err
	}
	for _, im := range report.DisclosureLayout(tmpl) {
		cv := cells.get(report.DisclosureAddr(im.Item, im.Metric))
		mark(&cv)
		d.Disclosure = append(d.Disclosure, tableRow{Label: itemLabel(lang, im.Item) + " · " + metricLabel(lang, im.Metric), Cells: []cellView{cv}})
	}

	res, err = s.query(ctx, "SELECT rule, severity, message_zh, message_en FROM "+s.view("alerts_current")+
		" WHERE doc_id = ? AND status = 'open' ORDER BY raised_at DESC", id)
	if err != nil {
		return nil, fmt.Errorf("alerts of %s: %w", id, err)
	}
	for _, row := range res.Rows {
		msg := row[2]
		if lang == LangEN && row[3] != "" {
			msg = row[3]
		}
		d.Alerts = append(d.Alerts, alertView{Rule: row[0], Severity: row[1], Message: msg})
	}
	return d, nil
}

// ruleText says what each rule checks, in both languages; findingText adds where
// and what was found.
var ruleText = map[string][2]string{
	"R1":           {"本年新收 + 上年结转 应等于 办理结果总计 + 结转下年度", "new + carried over should equal processed + carried forward"},
	"R2":           {"六类申请人之和应等于总计", "the six applicant columns should add up to the total"},
	"R3":           {"各项办理结果之和应等于（七）总计", "the outcomes should add up to (7) total"},
	"R4":           {"结果维持 + 结果纠正 + 其他结果 + 尚未审结 应等于总计", "upheld + corrected + other + pending should equal the total"},
	"text_cell":    {"数字单元格中是文字或不可能的数值", "a number cell holds words or an impossible value"},
	"missing_cell": {"文件中没有找到模板的这个单元格", "a cell of the template was not found in the document"},
	"unplaced":     {"有数值无法对应到模板中的位置", "values were found that could not be placed in the template"},
}

// findingText describes a finding in lang: the rule, where (the scope's label) and,
// for a violation, the two sides; rules it does not know keep the record's message.
func findingText(lang string, f findingView) string {
	rt, ok := ruleText[f.Rule]
	if !ok {
		return f.Message
	}
	where := scopeLabel(lang, f.Scope)
	text := pick(lang, rt[0], rt[1])
	if where != "" {
		text = where + pick(lang, "：", ": ") + text
	}
	switch f.Status {
	case "violated":
		if f.LHS != "" {
			text += pick(lang, "，实际为 ", "; found ") + f.LHS + " ≠ " + f.RHS
		}
	case "unassessable":
		text += pick(lang, "——有文字或缺失的单元格，无法校验", " — a text or missing cell stops the check")
	}
	return text + pick(lang, "。", ".")
}

// scopeLabel names a finding's scope ("col:natural_person", "row:granted",
// "group:review") by the template's labels; "" for the whole table.
func scopeLabel(lang, scope string) string {
	kind, code, _ := strings.Cut(scope, ":")
	switch kind {
	case "col":
		return colLabel(lang, report.Col(code))
	case "row":
		return rowLabel(lang, report.Row(code))
	case "group":
		return tr(lang, "group."+code)
	}
	return ""
}

// cellSet holds a report's cells of one table by address.
type cellSet map[string]cellView

// get returns the cell at addr, or a missing cell when the table has none there.
func (cs cellSet) get(addr string) cellView {
	if c, ok := cs[addr]; ok {
		return c
	}
	return cellView{Addr: addr, State: stateMissing}
}

// cells reads a report's cells from a cell view keyed by (k1, k2).
func (s *Server) cells(ctx context.Context, view, k1, k2, id string) (cellSet, error) {
	res, err := s.query(ctx, "SELECT "+k1+", "+k2+", toString(state) AS st, value, raw, by_position FROM "+s.view(view)+" WHERE doc_id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("%s of %s: %w", view, id, err)
	}
	out := cellSet{}
	for i, row := range res.Rows {
		c := cellView{Addr: row[0] + "." + row[1], State: row[2], Raw: row[4], ByPosition: row[5] == "1"}
		switch c.State {
		case stateNumber:
			if !res.IsNull(i, 3) {
				c.Text = formatNum(row[3])
			}
		case stateText:
			c.Text = row[4]
		}
		out[c.Addr] = c
	}
	return out, nil
}

// archiveOf reads the archive location from a stored record's JSON.
func archiveOf(record string) *report.Archive {
	var rec struct {
		Meta struct {
			Archive *report.Archive `json:"archive"`
		} `json:"meta"`
	}
	if json.Unmarshal([]byte(record), &rec) != nil || rec.Meta.Archive == nil || rec.Meta.Archive.Seq == 0 {
		return nil
	}
	return rec.Meta.Archive
}

// isPage reports whether a URL names a web page (framed) rather than a file.
func isPage(u string) bool {
	u, _, _ = strings.Cut(u, "?")
	switch strings.ToLower(path.Ext(u)) {
	case "", ".html", ".htm", ".shtml", ".jhtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php":
		return true
	}
	return false
}

// archive serves the archived copy of a report's source: a page inside a sandbox
// that runs no script and loads nothing, a file as a download.
func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !docID.MatchString(id) {
		http.Error(w, "no such report", http.StatusNotFound)
		return
	}
	if s.deps.JS == nil {
		http.Error(w, "NATS is not configured: no archive", http.StatusServiceUnavailable)
		return
	}
	m, err := s.reportMeta(r.Context(), id)
	if errors.Is(err, errNotFound) {
		http.Error(w, "no such report", http.StatusNotFound)
		return
	}
	if err != nil {
		s.log.Error("archive: report", "doc", id, "err", err)
		http.Error(w, "warehouse unavailable", http.StatusServiceUnavailable)
		return
	}
	ref := archiveOf(m["record"])
	if ref == nil || ref.Stream != bus.StreamRaw {
		http.Error(w, "this report has no archived copy", http.StatusNotFound)
		return
	}
	doc, err := bus.ArchivedDocument(r.Context(), s.deps.JS, ref.Seq)
	if errors.Is(err, bus.ErrArchiveMissing) {
		http.Error(w, "the archived copy is no longer kept", http.StatusNotFound)
		return
	}
	if err != nil {
		s.log.Error("archive: read", "doc", id, "seq", ref.Seq, "err", err)
		http.Error(w, "archive unavailable", http.StatusServiceUnavailable)
		return
	}
	if doc.DocID != id || (m["content_sha256"] != "" && doc.SHA256 != m["content_sha256"]) {
		http.Error(w, "the archive holds a different version of this document", http.StatusNotFound)
		return
	}
	h := w.Header()
	ct := doc.ContentType
	if ct == "" {
		ct = http.DetectContentType(doc.Body)
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	h.Set("Cache-Control", "private, max-age=300")
	if !strings.Contains(ct, "html") && !strings.HasPrefix(ct, "text/plain") {
		name := path.Base(strings.SplitN(doc.URL, "?", 2)[0])
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", strings.Map(safeFileRune, name)))
	}
	_, _ = w.Write(doc.Body)
}

// safeFileRune keeps a file name's letters, digits and . - _; others become _.
func safeFileRune(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		return r
	}
	return '_'
}
