package dashboard

import (
	"fmt"
	"net/http"
	"strings"
)

// Interface languages.
const (
	LangZH = "zh"
	LangEN = "en"
)

// text is a catalog of interface strings: key → {Chinese, English}.
type text map[string][2]string

// catalogs are merged into messages; each page keeps its strings next to its code.
var catalogs = []text{commonText, nationText, exploreText, reportText, alertsText, pipelineText}

// messages is every interface string by key.
var messages = mergeCatalogs(catalogs)

func mergeCatalogs(cs []text) text {
	out := text{}
	for _, c := range cs {
		for k, v := range c {
			if _, dup := out[k]; dup {
				panic("dashboard: interface string " + k + " defined twice")
			}
			out[k] = v
		}
	}
	return out
}

// tr translates key into lang; args fill its %-verbs. An unknown key is returned
// as itself (and the template test fails on it).
func tr(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == LangEN && m[1] != "" {
		s = m[1]
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// lang picks the request's language: ?lang= (remembered in a cookie), the cookie,
// or the configured default.
func (s *Server) lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == LangZH || l == LangEN {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == LangZH || c.Value == LangEN) {
		return c.Value
	}
	return s.cfg.Language
}

// withLang returns uri with its lang parameter set to lang.
func withLang(uri, lang string) string {
	path, query, _ := strings.Cut(uri, "?")
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		if kv != "" && !strings.HasPrefix(kv, "lang=") {
			keep = append(keep, kv)
		}
	}
	keep = append(keep, "lang="+lang)
	return path + "?" + strings.Join(keep, "&")
}

// commonText holds the layout's and shared strings.
var commonText = text{
	"app.name":         {"政府信息公开年报数据", "Open Government Information Reports"},
	"nav.nation":       {"全国", "Nation"},
	"nav.explore":      {"查询", "Explore"},
	"nav.alerts":       {"预警", "Alerts"},
	"nav.pipeline":     {"运行", "Pipeline"},
	"lang.switch":      {"English", "中文"},
	"error.title":      {"出错了", "Something went wrong"},
	"error.404":        {"没有这个页面或报告。", "No such page or report."},
	"error.400":        {"请求参数有误：", "The request's parameters are wrong: "},
	"error.503":        {"数据服务暂时不可用，请稍后再试。", "A data service is unavailable; try again shortly."},
	"error.back":       {"返回首页", "Back to the start"},
	"filter.province":  {"省份", "Province"},
	"filter.level":     {"层级", "Level"},
	"filter.year":      {"年度", "Year"},
	"filter.body":      {"机构", "Body"},
	"filter.all":       {"全部", "All"},
	"filter.apply":     {"筛选", "Filter"},
	"filter.reset":     {"清除", "Reset"},
	"table.show":       {"查看数据表", "Show the data"},
	"none":             {"暂无数据。", "No data yet."},
	"level.national":   {"国家", "National"},
	"level.province":   {"省级", "Province"},
	"level.city":       {"市级", "City"},
	"level.county":     {"县级", "County"},
	"level.township":   {"乡镇", "Township"},
	"level.department": {"部门", "Department"},
	"level.":           {"未知", "Unknown"},
	"unknown":          {"未知", "unknown"},
}
