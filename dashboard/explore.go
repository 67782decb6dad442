package dashboard

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// exploreText holds the explorer's strings.
var exploreText = text{
	"explore.title":         {"查询机构", "Explore bodies"},
	"explore.sort":          {"排序", "Sort"},
	"explore.count":         {"共 %s 份年报（最多显示 %s 份）", "%s reports (showing at most %s)"},
	"explore.truncated":     {"结果超过 %s 份，只显示了前 %s 份。请缩小筛选范围；下载的 CSV 也只包含这些行。", "More than %s reports match; only the first %s are shown. Narrow the filter: the CSV download holds these rows only."},
	"explore.download":      {"下载 CSV", "Download CSV"},
	"explore.total":         {"合计（所显示的年报）", "Total (reports shown)"},
	"explore.no_figures":    {"无申请表数据", "no application table"},
	"explore.col.doc_id":    {"文档编号", "Document ID"},
	"explore.col.body":      {"机构", "Body"},
	"explore.col.province":  {"省份", "Province"},
	"explore.col.city":      {"市", "City"},
	"explore.col.county":    {"县（区）", "County"},
	"explore.col.level":     {"层级", "Level"},
	"explore.col.year":      {"年度", "Year"},
	"explore.col.received":  {"本年新收", "Received"},
	"explore.col.processed": {"办理结果总计", "Processed"},
	"explore.col.granted":   {"予以公开", "Granted"},
	"explore.col.share":     {"予以公开率", "Granted share"},
	"explore.col.withheld":  {"不予公开", "Withheld"},
	"explore.col.errors":    {"校验错误", "Check errors"},
	"explore.col.conf":      {"置信度", "Confidence"},
	"explore.note":          {"每个机构每年一份年报（同一年报在多个网站发布时取置信度最高的一份）。本年新收、办理结果总计等取自第三部分“收到和处理政府信息公开申请情况”的总计列；予以公开率 = 予以公开 ÷ 办理结果总计。", "One report per body and year (of copies on several portals, the most confident). The figures are section 三's 总计 column; granted share = granted ÷ processed."},
}

// exploreColumn is a column of the explorer's table and CSV, in display order.
type exploreColumn struct {
	// Key is the column's name in ?sort= and the suffix of its label key.
	Key string
	// Numeric columns sort descending first and are right-aligned.
	Numeric bool
	// expr is the column's ORDER BY expression. present, when set, is a condition
	// sorted first (true first): the reports without the figure come last in
	// either direction.
	present string
	expr    string
}

// exploreColumns are the table's columns. Every SQL fragment here is a constant:
// ?sort= only chooses one of them.
var exploreColumns = []exploreColumn{
	{Key: "body", expr: "body"},
	{Key: "province", expr: "province"},
	{Key: "city", expr: "city"},
	{Key: "county", expr: "county"},
	{Key: "level", expr: "indexOf(['national', 'province', 'city', 'county', 'township', 'department'], level)"},
	{Key: "year", Numeric: true, expr: "year"},
	{Key: "received", Numeric: true, present: "has_app", expr: "app_received"},
	{Key: "processed", Numeric: true, present: "has_app", expr: "app_processed"},
	{Key: "granted", Numeric: true, present: "has_app", expr: "app_granted"},
	{Key: "share", Numeric: true, present: "has_app AND app_processed > 0", expr: "app_granted / app_processed"},
	{Key: "withheld", Numeric: true, present: "has_app", expr: "app_withheld"},
	{Key: "errors", Numeric: true, expr: "findings_errors"},
	{Key: "conf", Numeric: true, expr: "confidence"},
}

// exploreParams are the explorer's parameters: the filter and the sort.
type exploreParams struct {
	Filter Filter
	// Sort is a key of exploreColumns, or "" for the default order (newest year
	// first, then by place and body).
	Sort string
	Desc bool
}

// parseExploreParams reads the explorer's query string; an unknown level, a bad
// year, an unknown sort column or direction is a badRequest.
func parseExploreParams(q url.Values) (exploreParams, error) {
	f, err := parseFilter(q)
	if err != nil {
		return exploreParams{}, err
	}
	p := exploreParams{Filter: f, Sort: strings.TrimSpace(q.Get("sort"))}
	if p.Sort != "" {
		i := slices.IndexFunc(exploreColumns, func(c exploreColumn) bool { return c.Key == p.Sort })
		if i < 0 {
			return exploreParams{}, badRequest{fmt.Sprintf("sort: %q is not a column", p.Sort)}
		}
		p.Desc = exploreColumns[i].Numeric
	}
	switch dir := strings.TrimSpace(q.Get("dir")); dir {
	case "":
	case "asc", "desc":
		if p.Sort == "" {
			return exploreParams{}, badRequest{"dir: needs a sort column"}
		}
		p.Desc = dir == "desc"
	default:
		return exploreParams{}, badRequest{fmt.Sprintf("dir: %q, want asc or desc", dir)}
	}
	return p, nil
}

// query returns the parameters as a query string (filter and sort).
func (p exploreParams) query() url.Values {
	v := p.Filter.query()
	if p.Sort != "" {
		v.Set("sort", p.Sort)
		v.Set("dir", dirName(p.Desc))
	}
	return v
}

func dirName(desc bool) string {
	if desc {
		return "desc"
	}
	return "asc"
}

// orderBy returns the ORDER BY clause of the parameters' sort. Ties (and the
// default order) are broken by year, place, body and doc_id so that the page and
// the CSV list the same rows in the same order.
func (p exploreParams) orderBy() string {
	tie := "year DESC, province, city, county, body, doc_id"
	if p.Sort == "" {
		return tie
	}
	dir := " ASC"
	if p.Desc {
		dir = " DESC"
	}
	var keys []string
	for _, c := range exploreColumns {
		if c.Key != p.Sort {
			continue
		}
		if c.present != "" {
			keys = append(keys, "("+c.present+") DESC")
		}
		keys = append(keys, c.expr+dir)
	}
	return strings.Join(append(keys, tie), ", ")
}

// exploreRow is one primary report with its section 三 figures.
type exploreRow struct {
	DocID, Body, Province, City, County, Level string
	Year                                       int
	// HasFigures is false for a report without an application table: its figures
	// are then 0 and shown empty.
	HasFigures                             bool
	Received, Processed, Granted, Withheld int64
	// Share is Granted / Processed, NaN without a denominator.
	Share      float64
	Errors     int64
	Confidence float64
}

// exploreTotals sums the rows shown.
type exploreTotals struct {
	Received, Processed, Granted, Withheld, Errors int64
	Share                                          float64
}

// exploreHeader is a column header: its label and the link that sorts by it.
type exploreHeader struct {
	Key, Label, URL string
	Numeric         bool
	// Sort is "ascending", "descending" (the current sort column) or "".
	Sort string
}

// exploreData is the explorer page.
type exploreData struct {
	Params  exploreParams
	Options Options
	Headers []exploreHeader
	Rows    []exploreRow
	Totals  exploreTotals
	// Count is the number of reports matching the filter; MaxRows the cap.
	Count     int64
	MaxRows   int
	Truncated bool
	CSVURL    string
	ResetURL  string
}

// exploreRows runs the explorer's query: at most MaxRows rows, and whether more
// reports matched.
func (s *Server) exploreRows(ctx context.Context, p exploreParams) ([]exploreRow, bool, error) {
	where, args := p.Filter.where()
	sql := "SELECT doc_id, body, province, city, county, level, year, has_app, app_received, app_processed, " +
		"app_granted, app_withheld, findings_errors, confidence FROM (" +
		"SELECT doc_id, body, province, city, county, level, year, findings_errors, confidence FROM " +
		s.view("reports_primary") + " WHERE " + where + ") AS r ANY LEFT JOIN (" +
		"SELECT doc_id, toUInt8(1) AS has_app, received AS app_received, total_processed AS app_processed, " +
		"granted AS app_granted, withheld AS app_withheld FROM " + s.view("applications_by_report") +
		") AS a USING (doc_id) ORDER BY " + p.orderBy() + " LIMIT ?"
	res, err := s.query(ctx, sql, append(args, s.cfg.MaxRows+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("explore reports: %w", err)
	}
	rows := make([]exploreRow, 0, len(res.Rows))
	for _, r := range res.Rows {
		row := exploreRow{
			DocID: r[0], Body: r[1], Province: r[2], City: r[3], County: r[4], Level: r[5],
			Year: int(atoi(r[6])), HasFigures: atoi(r[7]) == 1, Errors: atoi(r[12]), Confidence: atof(r[13]),
		}
		row.Share = math.NaN()
		if row.HasFigures {
			row.Received, row.Processed, row.Granted, row.Withheld = atoi(r[8]), atoi(r[9]), atoi(r[10]), atoi(r[11])
			row.Share = ratio(float64(row.Granted), float64(row.Processed))
		}
		rows = append(rows, row)
	}
	truncated := len(rows) > s.cfg.MaxRows
	if truncated {
		rows = rows[:s.cfg.MaxRows]
	}
	return rows, truncated, nil
}

// exploreCount counts the primary reports matching the filter.
func (s *Server) exploreCount(ctx context.Context, f Filter) (int64, error) {
	where, args := f.where()
	res, err := s.query(ctx, "SELECT count() AS n FROM "+s.view("reports_primary")+" WHERE "+where, args...)
	if err != nil {
		return 0, fmt.Errorf("count reports: %w", err)
	}
	if len(res.Rows) == 0 {
		return 0, nil
	}
	return atoi(res.Rows[0][0]), nil
}

// explore serves the explorer: the filter form and the table of primary reports.
func (s *Server) explore(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	p, err := parseExploreParams(r.URL.Query())
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	d, err := s.exploreData(r.Context(), lang, p)
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	s.render(w, r, http.StatusOK, "explore", "explore.title", d)
}

// exploreData reads the explorer page: options, rows, count, totals and links.
func (s *Server) exploreData(ctx context.Context, lang string, p exploreParams) (*exploreData, error) {
	d := &exploreData{Params: p, MaxRows: s.cfg.MaxRows}
	var err error
	if d.Options, err = s.options(ctx); err != nil {
		return nil, fmt.Errorf("filter options: %w", err)
	}
	if d.Rows, d.Truncated, err = s.exploreRows(ctx, p); err != nil {
		return nil, err
	}
	if d.Count, err = s.exploreCount(ctx, p.Filter); err != nil {
		return nil, err
	}
	for _, row := range d.Rows {
		d.Totals.Received += row.Received
		d.Totals.Processed += row.Processed
		d.Totals.Granted += row.Granted
		d.Totals.Withheld += row.Withheld
		d.Totals.Errors += row.Errors
	}
	d.Totals.Share = ratio(float64(d.Totals.Granted), float64(d.Totals.Processed))
	for _, c := range exploreColumns {
		h := exploreHeader{Key: c.Key, Label: tr(lang, "explore.col."+c.Key), Numeric: c.Numeric}
		q := p.query()
		desc := c.Numeric
		if p.Sort == c.Key {
			desc = !p.Desc
			h.Sort = "ascending"
			if p.Desc {
				h.Sort = "descending"
			}
		}
		q.Set("sort", c.Key)
		q.Set("dir", dirName(desc))
		h.URL = "/explore?" + q.Encode()
		d.Headers = append(d.Headers, h)
	}
	d.CSVURL = "/explore.csv"
	if q := p.query().Encode(); q != "" {
		d.CSVURL += "?" + q
	}
	d.ResetURL = "/explore"
	return d, nil
}

// exploreCSVHeader returns the CSV's header row in lang: the document ID, then the
// page's columns.
func exploreCSVHeader(lang string) []string {
	h := []string{tr(lang, "explore.col.doc_id")}
	for _, c := range exploreColumns {
		h = append(h, tr(lang, "explore.col."+c.Key))
	}
	return h
}

// csvRecord writes a row as the CSV's fields, in exploreCSVHeader's order. Figures
// of a report without an application table are empty; the share is a fraction.
func (row exploreRow) csvRecord(lang string) []string {
	fig := func(n int64) string {
		if !row.HasFigures {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	share := ""
	if !math.IsNaN(row.Share) {
		share = strconv.FormatFloat(row.Share, 'f', 4, 64)
	}
	conf := ""
	if !math.IsNaN(row.Confidence) {
		conf = strconv.FormatFloat(row.Confidence, 'f', 2, 64)
	}
	return []string{row.DocID, row.Body, row.Province, row.City, row.County, tr(lang, "level."+row.Level),
		strconv.Itoa(row.Year), fig(row.Received), fig(row.Processed), fig(row.Granted), share,
		fig(row.Withheld), strconv.FormatInt(row.Errors, 10), conf}
}

// utf8BOM starts the CSV: without it Excel reads UTF-8 Chinese as the local code page.
const utf8BOM = "\ufeff"

// exploreCSV serves the explorer's rows (same filter, sort and cap) as a CSV
// download with a BOM and a header in the page's language.
func (s *Server) exploreCSV(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	p, err := parseExploreParams(r.URL.Query())
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	rows, truncated, err := s.exploreRows(r.Context(), p)
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	var b strings.Builder
	b.WriteString(utf8BOM)
	cw := csv.NewWriter(&b)
	_ = cw.Write(exploreCSVHeader(lang))
	for _, row := range rows {
		_ = cw.Write(row.csvRecord(lang))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("write csv: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="govreport-explore.csv"`)
	if truncated {
		h.Set("X-Govreport-Truncated", strconv.Itoa(s.cfg.MaxRows))
	}
	_, _ = w.Write([]byte(b.String()))
}
