package sampleportal

import (
	"bytes"
	"fmt"
	"strings"
)

// pagerScript defines createPageHTML as TRS portals do; the static links next to it
// make the pages navigable without JavaScript.
const pagerScript = `<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
	if (_nPageCount == null || _nPageCount <= 1) { return; }
	document.write("<span class=\"total\">共" + _nPageCount + "页</span>");
}
</script>
`

// renderList writes list page n (0-based) of a site's report column: ListPageSize
// entries, newest first, with 首页/上一页/下一页/尾页 links and the createPageHTML call.
func (p *Portal) renderList(b *bytes.Buffer, s *site, n int) {
	writeHead(b, s, headMeta{title: reportColumnName + "_" + s.name, column: reportColumnName}, "")
	writeSidebar(b, s)
	b.WriteString("<div class=\"content\">\n<div class=\"column-title\">" + reportColumnName + "</div>\n")
	size := p.cfg.ListPageSize
	entries := s.list[n*size : min(len(s.list), (n+1)*size)]
	if s.style.hanwebList {
		b.WriteString("<div class=\"default_pgContainer\">\n")
		for _, a := range entries {
			b.WriteString("<div class=\"list-item\"><a href=\"" + s.articleHref(a) + "\" target=\"_blank\" title=\"" + esc(a.title) + "\">" + esc(a.title) +
				"</a><span class=\"bt-data-time\">[" + a.pub.Format("2006-01-02") + "]</span></div>\n")
		}
		b.WriteString("</div>\n")
	} else {
		b.WriteString("<ul class=\"list\">\n")
		for _, a := range entries {
			b.WriteString("<li><span class=\"date\">" + a.pub.Format("2006-01-02") + "</span><a href=\"" + s.articleHref(a) +
				"\" target=\"_blank\" title=\"" + esc(a.title) + "\">" + esc(a.title) + "</a></li>\n")
		}
		b.WriteString("</ul>\n")
	}
	pages := p.listPages(s)
	name := func(k int) string {
		return strings.TrimPrefix(s.listPath(k), fmt.Sprintf("/%s/col/col%d/", s.id, s.reportCol))
	}
	link := func(ok bool, k int, text string) {
		if ok {
			b.WriteString("<a href=\"" + name(k) + "\">" + text + "</a> ")
		} else {
			b.WriteString("<span class=\"disabled\">" + text + "</span> ")
		}
	}
	b.WriteString("<div class=\"pagination\">\n")
	link(n > 0, 0, "首页")
	link(n > 0, n-1, "上一页")
	link(n < pages-1, n+1, "下一页")
	link(n < pages-1, pages-1, "尾页")
	b.WriteString("\n" + pagerScript)
	fmt.Fprintf(b, "<script>createPageHTML(%d, %d, \"index\", \"html\");</script>\n", pages, n)
	b.WriteString("</div>\n</div>\n")
	writeFoot(b, s)
}

// articleHref is the link to an article from a list page: root-relative, or
// relative to the column directory on some sites.
func (s *site) articleHref(a *article) string {
	if s.style.relativeLinks {
		return "../.." + strings.TrimPrefix(a.path, "/"+s.id)
	}
	return a.path
}

// renderHome writes a site's home page: the columns and the latest entries of the
// report column.
func (p *Portal) renderHome(b *bytes.Buffer, s *site) {
	writeHead(b, s, headMeta{title: s.name}, "")
	writeSidebar(b, s)
	b.WriteString("<div class=\"content\">\n<h2>欢迎访问" + esc(s.name) + "门户网站</h2>\n")
	b.WriteString("<div class=\"column\"><h3><a href=\"" + s.colPath(s.reportCol) + "\">" + reportColumnName + "</a></h3>\n<p><a href=\"" +
		s.colPath(s.reportCol) + "\">更多&gt;&gt;</a></p>\n</div>\n</div>\n")
	writeFoot(b, s)
}

// renderRoot writes the portal root: one link per site.
func (p *Portal) renderRoot(b *bytes.Buffer) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>政府网站示例门户</title>\n</head>\n<body>\n<h1>政府网站示例门户</h1>\n<ul class=\"sites\">\n")
	for _, s := range p.sites {
		b.WriteString("<li><a href=\"" + s.homePath() + "\">" + esc(s.name) + "</a>（" + esc(s.div.Province+s.div.City+s.div.County) +
			"）<a href=\"" + s.colPath(s.reportCol) + "\">" + reportColumnName + "</a></li>\n")
	}
	b.WriteString("</ul>\n<p><a href=\"http://www.example.com/\">示例网站</a></p>\n</body>\n</html>\n")
}
