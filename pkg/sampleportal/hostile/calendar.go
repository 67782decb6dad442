package hostile

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// calendarStart is the day list pages link into the calendar at.
var calendarStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	calendarRE = regexp.MustCompile(`^index_(\d{8})\.html$`)
	listPageRE = regexp.MustCompile(`^index(_\d{1,6})?\.s?html?$`)
)

// isListPage reports whether p names a list page (and not a calendar day).
func isListPage(p string) bool {
	return listPageRE.MatchString(path.Base(p)) || strings.HasSuffix(p, "/")
}

// calendarDay parses a calendar page path.
func calendarDay(p string) (time.Time, bool) {
	m := calendarRE.FindStringSubmatch(path.Base(p))
	if m == nil {
		return time.Time{}, false
	}
	d, err := time.Parse("20060102", m[1])
	return d, err == nil
}

func dayName(d time.Time) string { return "index_" + d.Format("20060102") + ".html" }

// calendarPage renders the page of one day: links to the previous and next day, to
// every day of its month and to the neighbouring months — without end.
func calendarPage(d time.Time) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>按日期浏览</title></head><body>\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n", d.Format("2006年1月2日"))
	fmt.Fprintf(&b, "<a href=\"%s\">前一天</a> <a href=\"%s\">后一天</a>\n", dayName(d.AddDate(0, 0, -1)), dayName(d.AddDate(0, 0, 1)))
	fmt.Fprintf(&b, "<a href=\"%s\">上个月</a> <a href=\"%s\">下个月</a>\n<table><tr>", dayName(d.AddDate(0, -1, 0)), dayName(d.AddDate(0, 1, 0)))
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	for x := first; x.Month() == d.Month(); x = x.AddDate(0, 0, 1) {
		fmt.Fprintf(&b, "<td><a href=\"%s\">%d</a></td>", dayName(x), x.Day())
	}
	b.WriteString("</tr></table>\n</body></html>\n")
	return []byte(b.String())
}

// linkCalendar inserts a link into the calendar before </body>.
func linkCalendar(html []byte) []byte {
	return insertBefore(html, "</body>", `<p><a href="`+dayName(calendarStart)+`">按日期浏览</a></p>`+"\n")
}
