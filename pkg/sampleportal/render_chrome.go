package sampleportal

import (
	"bytes"
	"html"
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
