package sampleportal

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The labels the brief and the templates print, written out here independently of
// the renderer's tables.
var (
	metricHeader = map[report.Template]map[report.Metric]string{
		report.Template2019: {
			report.MetricNewMade: "本年新制作数量", report.MetricNewPublished: "本年新公开数量", report.MetricTotalPublished: "对外公开总数量",
			report.MetricPrevYear: "上一年项目数量", report.MetricChange: "本年增/减", report.MetricDecisions: "处理决定数量",
			report.MetricItems: "采购项目数量", report.MetricAmount: "采购总金额",
		},
		report.Template2021: {
			report.MetricIssued: "本年制发件数", report.MetricRepealed: "本年废止件数", report.MetricInForce: "现行有效件数",
			report.MetricDecisions: "本年处理决定数量", report.MetricAmount: "本年收费金额（单位：万元）",
		},
	}
	blockHeadings = map[report.Template][]string{
		report.Template2019: {"第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"},
		report.Template2021: {"第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"},
	}
	sectionHeadings = []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
)

func itemLabel(tpl report.Template, it report.Item) string {
	if tpl == report.Template2021 && it == report.ItemNormativeDocs {
		return "行政规范性文件"
	}
	return report.ItemLabels[it]
}

// rowKey is how a section 三 row is recognised in the grid: its group label (second
// label column) and its leaf label (third).
func rowKey(row report.Row) [2]string {
	leaf := report.RowLabels[row]
	group := leaf
	switch {
	case strings.HasPrefix(string(row), "withheld."):
		group = "（三）不予公开"
	case strings.HasPrefix(string(row), "unable."):
		group = "（四）无法提供"
	case strings.HasPrefix(string(row), "not_processed."):
		group = "（五）不予处理"
	case strings.HasPrefix(string(row), "other."):
		group = "（六）其他处理"
	}
	return [2]string{group, leaf}
}

func TestReportPages(t *testing.T) {
	cfg := bigConfig()
	cfg.Sites = 20
	p := mustGenerate(t, cfg)
	styles := map[bool]int{}
	for _, e := range p.Expected(testBase) {
		s := p.site(e.Record.Meta.Site)
		styles[s.style.wrap]++
		checkReportPage(t, s, e, p.render(p.pages[e.Path]))
	}
	if styles[true] == 0 || styles[false] == 0 {
		t.Errorf("cell wrapping never varies: %v", styles)
	}
}

// traditionalHeadings are the section headings in traditional characters, written
// out here independently of the converter.
var traditionalHeadings = []string{"一、總體情況", "二、主動公開政府信息情況", "三、收到和處理政府信息公開申請情況",
	"四、政府信息公開行政復議、行政訴訟情況", "五、存在的主要問題及改進情況", "六、其他需要報告的事項"}

// reportOf returns the report a site publishes at path.
func reportOf(t testing.TB, s *site, path string) *reportDoc {
	t.Helper()
	for _, d := range s.reports {
		if d.path == path {
			return d
		}
	}
	t.Fatalf("no report at %s", path)
	return nil
}

// checkReportPage checks a report page in its layout: the chrome and meta tags of
// an HTML page (or the title and date of a text file), the six headings in order,
// the statistics printed as the form prints them (for plain table layouts, every
// cell in its row and column of the expanded grid), and every value of the record,
// in the template's order, as a token of the page.
func checkReportPage(t *testing.T, s *site, e Expected, body []byte) {
	t.Helper()
	l := reportOf(t, s, e.Path).layout
	if e.Layout != l.Name() {
		t.Errorf("%s: expected layout %q, report layout %q", e.Path, e.Layout, l.Name())
	}
	m := e.Record.Meta
	if l.text {
		text := string(body)
		if !strings.HasPrefix(strings.TrimLeft(text, "\r\n"), m.Body+"\n") && !strings.HasPrefix(strings.TrimLeft(text, "\r\n"), m.Body+"\r\n") {
			t.Errorf("%s: the text does not start with the body's name", e.Path)
		}
		if !strings.Contains(text, itoa(m.Year)+"年政府信息公开工作年度报告") || !strings.Contains(text, dateText(atoi(m.PublishedAt[:4]), atoi(m.PublishedAt[5:7]), atoi(m.PublishedAt[8:]))) {
			t.Errorf("%s: the text lacks its title or its date", e.Path)
		}
		checkHeadings(t, e.Path, strings.Join(strings.Fields(text), ""), headingTexts[:])
		checkValues(t, e, textTokens(text))
		return
	}
	doc := parseHTML(t, body)
	meta := metaTags(doc)
	// tr gives the chrome's words as a page converted as a whole prints them.
	tr := func(s string) string { return s }
	if l.tradPage {
		tr = func(s string) string { return traditional(s, l.fullTraditional) }
		if !strings.Contains(m.Title, "公開") || strings.Contains(string(body), "政府信息公开") {
			t.Errorf("%s: a page converted as a whole holds simplified words, or its record does not", e.Path)
		}
	}
	want := map[string]string{"SiteName": tr(s.name), "SiteDomain": s.domain, "SiteIDCode": m.SiteIDCode,
		"ColumnName": tr("政府信息公开年报"), "ArticleTitle": m.Title, "ContentSource": m.Body}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("%s: meta %s = %q, want %q", e.Path, k, meta[k], v)
		}
	}
	if pd := meta["PubDate"]; len(pd) != 16 || !strings.HasPrefix(pd, m.PublishedAt+" ") {
		t.Errorf("%s: PubDate %q for %s", e.Path, pd, m.PublishedAt)
	}
	if !strings.HasPrefix(doc.FirstChild.Data, "html") || doc.FirstChild.Type != html.DoctypeNode {
		t.Errorf("%s: no <!DOCTYPE html>", e.Path)
	}
	h1 := findAll(doc, isAtom(atom.H1))
	if len(h1) != 1 || text(h1[0]) != m.Title {
		t.Errorf("%s: h1 is not the title", e.Path)
	}
	if !strings.Contains(text(doc), tr("发布日期：")+m.PublishedAt) {
		t.Errorf("%s: no 发布日期 line", e.Path)
	}
	content := contentDiv(doc)
	if content == nil {
		t.Fatalf("%s: no content div", e.Path)
	}
	headings := headingTexts[:]
	if l.traditional {
		headings = traditionalHeadings
	}
	checkHeadings(t, e.Path, strings.Join(strings.Fields(text(content)), ""), headings)
	checkValues(t, e, htmlTokens(content))

	tables := findAll(content, isAtom(atom.Table))
	plain := !l.noisy && !l.traditional // labels as the template prints them
	switch l.form {
	case LayoutTables, LayoutWord:
		if len(tables) != 3 {
			t.Fatalf("%s: %d tables in the content, want 3", e.Path, len(tables))
		}
		if l.form == LayoutWord && (len(findAll(content, func(n *html.Node) bool { return n.Data == "o:p" })) == 0 ||
			!strings.Contains(string(body), "<![if !supportMisalignedColumns]>")) {
			t.Errorf("%s: Word's markup is missing", e.Path)
		}
		if plain {
			g := func(i int) [][]string {
				rows := grid(t, tables[i])
				if l.form == LayoutWord {
					if last := rows[len(rows)-1]; strings.Join(last, "") != "" {
						t.Errorf("%s: table %d does not end in Word's spacer row", e.Path, i+1)
					}
					rows = rows[:len(rows)-1]
				}
				return collapse(rows)
			}
			checkDisclosureGrid(t, e, g(0))
			checkApplicationGrid(t, e, g(1))
			checkReviewGrid(t, e, g(2))
		}
	case LayoutOneTable:
		if len(tables) != 1 {
			t.Fatalf("%s: %d tables in the content, want 1", e.Path, len(tables))
		}
		parts := splitAtRows(grid(t, tables[0]), headings[1:4])
		if len(parts) != 3 {
			t.Fatalf("%s: the one table has %d sections, want 3", e.Path, len(parts))
		}
		if plain {
			checkDisclosureGrid(t, e, collapse(parts[0]))
			checkApplicationGrid(t, e, collapse(parts[1]))
			checkReviewGrid(t, e, collapse(parts[2]))
		}
	default: // flattened
		if len(tables) != 0 {
			t.Errorf("%s: %d tables in a flattened report", e.Path, len(tables))
		}
		pres := findAll(content, isAtom(atom.Pre))
		if (l.form == LayoutTabs) != (len(pres) == 3) {
			t.Errorf("%s: %d <pre> blocks in a %s report", e.Path, len(pres), l.form)
		}
	}
}

// checkHeadings checks that the six headings occur in order.
func checkHeadings(t *testing.T, path, all string, headings []string) {
	t.Helper()
	last := -1
	for _, h := range headings {
		i := strings.Index(all, h)
		if i <= last {
			t.Errorf("%s: heading %s missing or out of order", path, h)
		}
		last = i
	}
}

// valueToken matches a token that is a value: a count, a signed change, an amount
// with or without its unit, a blank mark or a text cell.
var valueToken = regexp.MustCompile(`^(?:[+-]?[0-9][0-9,]*(?:\.[0-9]+)?(?:万|萬|元)?|/|—|无|無|见附件|見附件|详见附表|詳見附表)$`)

// checkValues checks that the values of the page, in order, are the record's raw
// texts in the template's order (section 二 item by item, section 三 row by row,
// section 四), empty cells aside.
func checkValues(t *testing.T, e Expected, tokens []string) {
	t.Helper()
	rec := e.Record
	var want []string
	add := func(c report.Cell) {
		if c.Raw != "" {
			want = append(want, c.Raw)
		}
	}
	for _, im := range report.DisclosureLayout(rec.Template) {
		add(rec.Disclosure.Get(im.Item, im.Metric))
	}
	for _, row := range report.Rows(rec.Template) {
		for _, c := range report.Cols {
			add(rec.Applications.Get(row, c))
		}
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			add(rec.Review.Get(g, o))
		}
	}
	var got []string
	for _, tok := range tokens {
		if valueToken.MatchString(tok) {
			got = append(got, tok)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s [%s]: values printed\n  %q\nwant\n  %q", e.Path, e.Layout, got, want)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func checkDisclosureGrid(t *testing.T, e Expected, g [][]string) {
	t.Helper()
	rec := e.Record
	tpl := rec.Template
	var headings, header []string
	checked := 0
	for _, row := range g {
		if len(row) != 4 {
			t.Fatalf("%s: section 二 row of %d columns: %q", e.Path, len(row), row)
		}
		switch {
		case row[0] == row[1] && row[1] == row[2] && row[2] == row[3]:
			headings = append(headings, row[0])
			continue
		case row[0] == "信息内容":
			header = row
			continue
		}
		var item report.Item
		for _, it := range report.Items {
			if itemLabel(tpl, it) == row[0] {
				item = it
			}
		}
		if item == "" || header == nil {
			t.Fatalf("%s: unknown section 二 row %q", e.Path, row)
		}
		for _, im := range report.DisclosureLayout(tpl) {
			if im.Item != item {
				continue
			}
			col := -1
			for j, h := range header {
				if h == metricHeader[tpl][im.Metric] {
					col = j
					break
				}
			}
			if col < 0 {
				t.Fatalf("%s: no column %q for %s in %q", e.Path, metricHeader[tpl][im.Metric], item, header)
			}
			if want := rec.Disclosure.Get(item, im.Metric).Raw; row[col] != want {
				t.Errorf("%s: %s printed %q, record has %q", e.Path, report.DisclosureAddr(item, im.Metric), row[col], want)
			}
			checked++
		}
	}
	if checked != len(report.DisclosureLayout(tpl)) {
		t.Errorf("%s: checked %d section 二 cells, layout has %d", e.Path, checked, len(report.DisclosureLayout(tpl)))
	}
	if strings.Join(headings, "|") != strings.Join(blockHeadings[tpl], "|") {
		t.Errorf("%s: block headings %q", e.Path, headings)
	}
}

func checkApplicationGrid(t *testing.T, e Expected, g [][]string) {
	t.Helper()
	rec := e.Record
	rows := report.Rows(rec.Template)
	if len(g) != 3+len(rows) {
		t.Fatalf("%s: section 三 has %d rows, want %d", e.Path, len(g), 3+len(rows))
	}
	applicant := []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
	for i, l := range applicant {
		hr := 2
		if i == 0 || i == 6 {
			hr = 1 // rowspan 2 from the second header row
		}
		if g[hr][3+i] != l || g[0][3+i] != "申请人情况" {
			t.Errorf("%s: applicant header column %d is %q/%q", e.Path, i, g[0][3+i], g[hr][3+i])
		}
		if i >= 1 && i <= 5 && g[1][3+i] != "法人或其他组织" {
			t.Errorf("%s: header %q", e.Path, g[1][3+i])
		}
	}
	if !strings.Contains(g[0][0], "勾稽关系") || g[2][2] != g[0][0] {
		t.Errorf("%s: the 勾稽关系 cell does not span 3×3: %q", e.Path, g[:3])
	}
	found := map[report.Row]int{}
	for _, gr := range g[3:] {
		if len(gr) != 10 {
			t.Fatalf("%s: section 三 row of %d columns: %q", e.Path, len(gr), gr)
		}
		var row report.Row
		for _, r := range rows {
			if rowKey(r) == [2]string{gr[1], gr[2]} {
				row = r
			}
		}
		if row == "" {
			t.Fatalf("%s: unknown section 三 row %q", e.Path, gr[:3])
		}
		found[row]++
		isOutcome := row != report.RowNewReceived && row != report.RowCarriedOver && row != report.RowCarriedForward
		if isOutcome != (gr[0] == "三、本年度办理结果") {
			t.Errorf("%s: row %s first label %q", e.Path, row, gr[0])
		}
		for i, c := range report.Cols {
			if want := rec.Applications.Get(row, c).Raw; gr[3+i] != want {
				t.Errorf("%s: %s printed %q, record has %q", e.Path, report.CellAddr(row, c), gr[3+i], want)
			}
		}
	}
	for _, r := range rows {
		if found[r] != 1 {
			t.Errorf("%s: row %s found %d times", e.Path, r, found[r])
		}
	}
}

func checkReviewGrid(t *testing.T, e Expected, g [][]string) {
	t.Helper()
	if len(g) < 4 {
		t.Fatalf("%s: section 四 has %d rows", e.Path, len(g))
	}
	values := g[len(g)-1]
	if len(values) != 15 {
		t.Fatalf("%s: section 四 value row of %d cells", e.Path, len(values))
	}
	for j := range 15 {
		group, outcome := report.ReviewGroups[j/5], report.Outcomes[j%5]
		wantTop := "行政诉讼"
		if j < 5 {
			wantTop = "行政复议"
		}
		if g[0][j] != wantTop {
			t.Errorf("%s: column %d under %q", e.Path, j, g[0][j])
		}
		if j >= 5 {
			wantSub := map[report.ReviewGroup]string{report.GroupLitigationDirect: "未经复议直接起诉", report.GroupLitigationAfterReview: "复议后起诉"}[group]
			if g[1][j] != wantSub {
				t.Errorf("%s: column %d under %q", e.Path, j, g[1][j])
			}
		}
		labelled := false
		for _, hr := range g[1 : len(g)-1] {
			labelled = labelled || hr[j] == report.OutcomeLabels[outcome]
		}
		if !labelled {
			t.Errorf("%s: column %d has no %s label", e.Path, j, report.OutcomeLabels[outcome])
		}
		if want := e.Record.Review.Get(group, outcome).Raw; values[j] != want {
			t.Errorf("%s: %s printed %q, record has %q", e.Path, report.ReviewAddr(group, outcome), values[j], want)
		}
	}
}

func TestNoticePages(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NoticesPerSite = 3
	p := mustGenerate(t, cfg)
	notices := p.Notices(testBase)
	if len(notices) != cfg.Sites*cfg.NoticesPerSite {
		t.Fatalf("%d notices, want %d", len(notices), cfg.Sites*cfg.NoticesPerSite)
	}
	for _, n := range notices {
		if n.Reason != report.ReasonNotReport || !strings.Contains(n.Title, "年度报告") || n.URL != testBase+n.Path {
			t.Errorf("notice %+v", n)
		}
		doc := parseHTML(t, p.render(p.pages[n.Path]))
		if metaTags(doc)["ArticleTitle"] != n.Title {
			t.Errorf("%s: ArticleTitle %q", n.Path, metaTags(doc)["ArticleTitle"])
		}
		content := contentDiv(doc)
		if content == nil || len(findAll(content, isAtom(atom.Table))) != 0 || len(text(content)) < 200 {
			t.Errorf("%s: a notice must be prose only", n.Path)
		}
	}
}
