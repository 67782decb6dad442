package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Filter is the common selection of the explorer and the alerts page.
type Filter struct {
	Province string
	Level    string
	Body     string // a substring of the body's name
	Year     int    // 0: every year
}

// levels are the level codes a filter accepts (pkg/report.Level).
var levels = []string{"national", "province", "city", "county", "township", "department"}

// parseFilter reads a filter from a query string, refusing values no report has.
func parseFilter(q url.Values) (Filter, error) {
	f := Filter{
		Province: strings.TrimSpace(q.Get("province")),
		Level:    strings.TrimSpace(q.Get("level")),
		Body:     strings.TrimSpace(q.Get("body")),
	}
	for name, v := range map[string]string{"province": f.Province, "body": f.Body} {
		if utf8.RuneCountInString(v) > 100 || !utf8.ValidString(v) {
			return Filter{}, badRequest{fmt.Sprintf("%s: at most 100 characters of UTF-8", name)}
		}
	}
	if f.Level != "" && !contains(levels, f.Level) {
		return Filter{}, badRequest{fmt.Sprintf("level: %q, want one of %s", f.Level, strings.Join(levels, ", "))}
	}
	if y := strings.TrimSpace(q.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return Filter{}, badRequest{fmt.Sprintf("year: %q is not a report year", y)}
		}
		f.Year = n
	}
	return f, nil
}

// where returns the filter as SQL conditions joined by AND (or "1") with their
// arguments, for a view with province, level, body and year columns.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Province != "" {
		conds, args = append(conds, "province = ?"), append(args, f.Province)
	}
	if f.Level != "" {
		conds, args = append(conds, "level = ?"), append(args, f.Level)
	}
	if f.Year != 0 {
		conds, args = append(conds, "year = ?"), append(args, f.Year)
	}
	if f.Body != "" {
		conds, args = append(conds, "positionUTF8(body, ?) > 0"), append(args, f.Body)
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// query returns the filter as query-string parameters (for links and the CSV).
func (f Filter) query() url.Values {
	v := url.Values{}
	if f.Province != "" {
		v.Set("province", f.Province)
	}
	if f.Level != "" {
		v.Set("level", f.Level)
	}
	if f.Year != 0 {
		v.Set("year", strconv.Itoa(f.Year))
	}
	if f.Body != "" {
		v.Set("body", f.Body)
	}
	return v
}

// Options are the values the filter menus offer: what the warehouse holds.
type Options struct {
	Provinces []string
	Levels    []string
	Years     []int
}

// options reads the provinces, levels and years of the primary reports.
func (s *Server) options(ctx context.Context) (Options, error) {
	res, err := s.query(ctx, "SELECT groupUniqArray(province), groupUniqArray(level), groupUniqArray(year) FROM "+s.view("reports_primary"))
	if err != nil {
		return Options{}, err
	}
	var o Options
	if len(res.Rows) == 0 {
		return o, nil
	}
	o.Provinces = sortedStrings(parseArray(res.Rows[0][0]))
	for _, l := range levels {
		if contains(parseArray(res.Rows[0][1]), l) {
			o.Levels = append(o.Levels, l)
		}
	}
	for _, y := range parseArray(res.Rows[0][2]) {
		if n, err := strconv.Atoi(y); err == nil {
			o.Years = append(o.Years, n)
		}
	}
	sortInts(o.Years)
	return o, nil
}
