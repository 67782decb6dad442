package extractor

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

// standardMeta are the <meta> names of the national government website guideline
// kept in Meta.PageMeta (matched case-insensitively, stored as spelled here).
var standardMeta = []string{
	"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
	"ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Url",
}

// pageMeta picks the standard tags out of a page's <meta> tags.
func pageMeta(all map[string]string) map[string]string {
	if len(all) == 0 {
		return nil
	}
	lower := make(map[string]string, len(all))
	for k, v := range all {
		lower[strings.ToLower(k)] = v
	}
	out := map[string]string{}
	for _, name := range standardMeta {
		if v := strings.TrimSpace(lower[strings.ToLower(name)]); v != "" {
			out[name] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// titleSepRE splits a <title> into the article title and the portal's name.
var titleSepRE = regexp.MustCompile(`\s*(?:_|\||｜|——|－| - )\s*`)

// chooseTitle returns the document title: meta ArticleTitle, an <h1> that names a
// report, <title> (without the portal name after "_" or "-"), then the link text.
func chooseTitle(meta map[string]string, h1, title, linkText string) string {
	if t := normalize.Space(meta["ArticleTitle"]); t != "" {
		return t
	}
	// An <h1> is often the portal's logo: take it only when it names a report.
	if t := normalize.Space(h1); utf8.RuneCountInString(t) <= 100 && (strings.Contains(t, "报告") ||
		strings.Contains(t, "報告") || strings.Contains(t, "年报")) {
		return t
	}
	if t := normalize.Space(title); t != "" {
		for _, part := range titleSepRE.Split(t, -1) {
			if strings.Contains(part, "报告") || strings.Contains(part, "報告") {
				return part
			}
		}
		return t
	}
	return normalize.Space(linkText)
}

// textTitle finds the title of a plain-text report: its first non-empty lines, up to
// and including the first one that says 报告 (at most three short lines).
func textTitle(lines []string) string {
	var parts []string
	for _, l := range lines {
		l = normalize.Space(l)
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(l) > 60 || len(parts) == 3 {
			break
		}
		parts = append(parts, l)
		if strings.Contains(l, "报告") || strings.Contains(l, "報告") {
			return strings.Join(parts, "")
		}
	}
	if len(parts) > 0 {
		return parts[0]
	}
	return ""
}

var (
	yearRE   = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)
	periodRE = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-)\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日`)
	cutRE    = regexp.MustCompile(`(?:19|20)\d{2}\s*年|政府信息公开|政府信息公開|年度报告|年度報告|关于|關於`)
)

// bodyFromTitle returns the publishing body named at the start of a title: the text
// before the year or 政府信息公开 ("德惠市岔路口镇人民政府2020年政府信息公开…" →
// "德惠市岔路口镇人民政府").
func bodyFromTitle(title string) string {
	loc := cutRE.FindStringIndex(title)
	if loc == nil {
		return ""
	}
	return strings.Trim(normalize.Space(title[:loc[0]]), " 　:：,，、《")
}

// yearOf returns the report year: the first "20xx年" of the title, else the
// statistics period stated in the text, else 0.
func yearOf(title string, lines []string, now time.Time) int {
	valid := func(y int) bool { return y >= 2007 && y <= now.Year()+1 }
	if m := yearRE.FindStringSubmatch(normalize.Width(title)); m != nil {
		if y, _ := strconv.Atoi(m[1]); valid(y) {
			return y
		}
	}
	for _, l := range lines {
		if !strings.Contains(l, "12") {
			continue
		}
		if m := periodRE.FindStringSubmatch(normalize.Width(l)); m != nil && m[1] == m[2] {
			if y, _ := strconv.Atoi(m[1]); valid(y) {
				return y
			}
		}
	}
	return 0
}

var (
	dateRE      = regexp.MustCompile(`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	dateAloneRE = regexp.MustCompile(`^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)
)

// publishedAt returns the publication date as YYYY-MM-DD: meta PubDate, a date after
// a 发布日期/发布时间 label, or a date alone on one of the last lines; "" if none.
func publishedAt(meta map[string]string, dated, lines []string) string {
	if d := dateIn(meta["PubDate"], dateRE); d != "" {
		return d
	}
	for _, t := range dated {
		for _, w := range []string{"发布日期", "发布时间", "發布日期", "發布時間", "成文日期", "发文日期"} {
			if i := strings.Index(t, w); i >= 0 {
				if d := dateIn(t[i:], dateRE); d != "" {
					return d
				}
			}
		}
	}
	for i, n := len(lines)-1, 0; i >= 0 && n < 5; i-- {
		l := normalize.Space(normalize.Width(lines[i]))
		if l == "" {
			continue
		}
		n++
		if d := dateIn(l, dateAloneRE); d != "" {
			return d
		}
	}
	return ""
}

func dateIn(s string, re *regexp.Regexp) string {
	m := re.FindStringSubmatch(normalize.Width(s))
	if m == nil {
		return ""
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
		return ""
	}
	return t.Format("2006-01-02")
}

// region places the body by the site it was found on.
func region(s rawdoc.Site) report.Region {
	return report.Region{Province: s.Province, City: s.City, County: s.County, Code: s.Code}
}

var (
	departmentSuffixes = []string{"局", "委员会", "委", "办公室", "办", "厅", "署", "中心", "院", "所", "站", "队", "会", "处", "室", "馆"}
	townshipSuffixes   = []string{"镇", "乡", "街道", "街道办事处", "办事处", "苏木", "民族乡"}
	municipalities     = []string{"北京市", "天津市", "上海市", "重庆市"}
)

// levelOf is a simple rule on the body's name; a later resolution against the
// administrative divisions replaces it. …镇/乡/街道 → township; …县/区/旗 → county;
// …市 → city, or county for a county-level city the site places in a county;
// …省/自治区 and the municipalities → province; other 局/委/办… → department.
func levelOf(body string, site rawdoc.Site) report.Level {
	b := normalize.NoSpace(normalize.Simplified(normalize.Width(body)))
	if b == "" {
		return report.LevelUnknown
	}
	gov := strings.TrimSuffix(strings.TrimSuffix(b, "人民政府"), "政府")
	for _, s := range townshipSuffixes {
		if strings.HasSuffix(gov, s) {
			return report.LevelTownship
		}
	}
	if gov == b {
		for _, s := range departmentSuffixes {
			if strings.HasSuffix(b, s) {
				return report.LevelDepartment
			}
		}
	}
	// "高新区(近海镇)": the bracketed township is the body.
	if i := strings.LastIndex(gov, "("); i > 0 && strings.HasSuffix(gov, ")") {
		inner := gov[i+1 : len(gov)-1]
		for _, s := range townshipSuffixes {
			if strings.HasSuffix(inner, s) {
				return report.LevelTownship
			}
		}
		gov = gov[:i]
	}
	for _, m := range municipalities {
		if gov == m || gov == strings.TrimSuffix(m, "市") {
			return report.LevelProvince
		}
	}
	switch {
	case strings.HasSuffix(gov, "省") || strings.HasSuffix(gov, "自治区"):
		return report.LevelProvince
	case strings.HasSuffix(gov, "县") || strings.HasSuffix(gov, "区") || strings.HasSuffix(gov, "旗"):
		return report.LevelCounty
	case strings.HasSuffix(gov, "市") || strings.HasSuffix(gov, "州") || strings.HasSuffix(gov, "盟"):
		if site.County != "" && strings.Contains(gov, strings.TrimSuffix(site.County, "市")) {
			return report.LevelCounty
		}
		return report.LevelCity
	}
	return report.LevelUnknown
}
