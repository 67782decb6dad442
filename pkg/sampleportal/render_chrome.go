package sampleportal

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"time"
)

// esc escapes text for HTML.
var esc = html.EscapeString

// headMeta are the values of a page's standard <meta> tags (national government
// website guideline): empty ones are left out.
type headMeta struct {
	title        string // <title>
	articleTitle string
	pubDate      string // 2021-01-25 09:30
	source       string // ContentSource
	column       string // ColumnName
}

// pubDateTime prints a publication time as portals do in PubDate.
func pubDateTime(t time.Time) string { return t.Format("2006-01-02 15:04") }

// writeHead writes everything up to and including the opening of the main area:
// doctype, head with meta tags, header, navigation and breadcrumb.
func writeHead(b *bytes.Buffer, s *site, m headMeta, crumb string) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n")
	b.WriteString("<meta charset=\"utf-8\">\n")
	b.WriteString("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n")
	b.WriteString("<title>" + esc(m.title) + "</title>\n")
	meta := func(name, content string) {
		if content != "" {
			b.WriteString("<meta name=\"" + name + "\" content=\"" + esc(content) + "\">\n")
		}
	}
	meta("SiteName", s.name)
	meta("SiteDomain", s.domain)
	meta("SiteIDCode", s.idCode)
	meta("ColumnName", m.column)
	meta("ArticleTitle", m.articleTitle)
	meta("PubDate", m.pubDate)
	meta("ContentSource", m.source)
	meta("Keywords", "政府信息公开,年度报告,"+s.div.County)
	b.WriteString("<style>body{margin:0;font-family:\"Microsoft YaHei\",sans-serif}.header{background:#1d5aa8;color:#fff}" +
		".main{width:1200px;margin:0 auto}.sidebar{float:left;width:260px}.content{float:right;width:900px}" +
		"table{border-collapse:collapse}td{border:1px solid #333;text-align:center}</style>\n")
	b.WriteString("<script>var _siteID=\"" + s.idCode + "\";</script>\n")
	b.WriteString("</head>\n<body>\n")
	b.WriteString("<div class=\"header\"><div class=\"logo\"><a href=\"" + s.homePath() + "\">" + esc(s.name) + "</a></div>" +
		"<div class=\"topbar\"><span>网站标识码：" + s.idCode + "</span> <a href=\"" + s.homePath() + "\">设为首页</a></div></div>\n")
	b.WriteString("<div class=\"nav\"><ul>\n<li><a href=\"" + s.homePath() + "\">首页</a></li>\n")
	for _, c := range s.navCols {
		b.WriteString("<li><a href=\"" + s.colPath(c.num) + "\">" + esc(c.name) + "</a></li>\n")
	}
	b.WriteString("<li><a href=\"" + s.colPath(s.reportCol) + "\">" + reportColumnName + "</a></li>\n</ul></div>\n")
	b.WriteString("<div class=\"main\">\n<div class=\"crumb\">当前位置：<a href=\"" + s.homePath() + "\">首页</a> &gt; " +
		"<a href=\"" + s.colPath(s.navCols[5].num) + "\">政府信息公开</a> &gt; " +
		"<a href=\"" + s.colPath(s.reportCol) + "\">" + reportColumnName + "</a>" + crumb + "</div>\n")
}

// writeSidebar writes the column list beside the content.
func writeSidebar(b *bytes.Buffer, s *site) {
	b.WriteString("<div class=\"sidebar\"><h3>政府信息公开</h3><ul>\n")
	for _, c := range s.navCols[3:] {
		b.WriteString("<li><a href=\"" + s.colPath(c.num) + "\">" + esc(c.name) + "</a></li>\n")
	}
	b.WriteString("<li class=\"on\"><a href=\"" + s.colPath(s.reportCol) + "\">" + reportColumnName + "</a></li>\n</ul></div>\n")
}

// writeFoot closes the main area and writes the footer, with an off-site link that
// a crawler must not follow.
func writeFoot(b *bytes.Buffer, s *site) {
	b.WriteString("</div>\n<div class=\"footer\">\n<div class=\"links\">友情链接：<a href=\"http://www.example.com/\" target=\"_blank\">示例网站</a></div>\n")
	b.WriteString("<p>主办单位：" + esc(s.name) + "　承办单位：" + esc(s.div.County) + "大数据中心</p>\n")
	b.WriteString("<p>网站标识码：" + s.idCode + "　版权所有：" + esc(s.name) + "</p>\n")
	b.WriteString("</div>\n</body>\n</html>\n")
}

// unboxedContainers are article containers of home-grown CMS templates: no portal
// system's selector names them.
var unboxedContainers = []string{"detail-body", "xxgk-text", "news_cont_d_wrap", "con-text", "main-txt"}

// writeArticleOpen writes the chrome and the article header up to the content div:
// the site's standard container (TRS_Editor or Hanweb's zoom), or on an unboxed
// site a container of its own.
func writeArticleOpen(b *bytes.Buffer, s *site, a *article) {
	writeHead(b, s, headMeta{
		title:        a.title + "_" + s.name,
		articleTitle: a.title,
		pubDate:      pubDateTime(a.pub),
		source:       a.source,
		column:       reportColumnName,
	}, " &gt; 正文")
	writeSidebar(b, s)
	b.WriteString("<div class=\"content\">\n<div class=\"article\">\n<h1>" + esc(a.title) + "</h1>\n")
	b.WriteString("<div class=\"info\"><span>发布日期：" + a.pub.Format("2006-01-02") + "</span>　<span>来源：" + esc(a.source) + "</span>　<span>字号：[大 中 小]</span></div>\n")
	switch {
	case s.unboxed != "":
		b.WriteString("<div class=\"" + s.unboxed + "\">\n")
	case s.style.zoom:
		b.WriteString("<div id=\"zoom\">\n")
	default:
		b.WriteString("<div class=\"TRS_Editor\">\n")
	}
}

// writeArticleClose closes the content div and the article and writes the footer;
// an unboxed site adds a related-links box (a table of report titles) and a box of
// hot topics beside the article, as home-grown templates do.
func writeArticleClose(b *bytes.Buffer, s *site) {
	b.WriteString("</div>\n<div class=\"tools\"><a href=\"javascript:window.print()\">打印本页</a> <a href=\"javascript:window.close()\">关闭窗口</a></div>\n")
	b.WriteString("</div>\n")
	if s.unboxed != "" {
		b.WriteString("<div class=\"xglj\"><h4>相关文章</h4><table width=\"100%\">\n")
		for i, r := range s.reports[:min(3, len(s.reports))] {
			b.WriteString("<tr><td>" + strconv.Itoa(i+1) + "</td><td><a href=\"" + r.path + "\">" + esc(r.title) + "</a></td><td>" +
				r.pub.Format("2006-01-02") + "</td></tr>\n")
		}
		b.WriteString("</table></div>\n<div class=\"hot-box\"><h4>热点专题</h4><p>政务公开 · 政府信息公开指南 · 主动公开政府信息情况统计 · 依申请公开</p></div>\n")
	}
	b.WriteString("</div>\n")
	writeFoot(b, s)
}

// dateText prints a date as documents do: 2021年1月25日.
func dateText(y, m, d int) string { return fmt.Sprintf("%d年%d月%d日", y, m, d) }
