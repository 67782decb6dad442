package sampleportal

import (
	"bytes"
	"fmt"

	"github.com/govreport/govreport/pkg/report"
)

// renderReport writes a report page: the portal's chrome around the article, whose
// content div holds the six sections with the statistics tables.
func renderReport(b *bytes.Buffer, s *site, d *reportDoc) {
	writeArticleOpen(b, s, d.article)
	rec := d.rec
	docNo := "国办公开办函〔2019〕60号"
	if rec.Template == report.Template2021 {
		docNo = "国办公开办函〔2021〕30号"
	}
	para(b, "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（"+
		docNo+"）要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"+
		fmt.Sprintf("本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。", d.year, d.year))

	received, _ := rec.Applications.Get(report.RowNewReceived, report.ColTotal).Num()
	fillText := func(t string) string {
		return fill(t, d.body.name, d.year, d.prose.items, int64(received), d.prose.websites)
	}
	heading(b, s.style, "一、总体情况")
	para(b, fillText(introTexts[d.prose.intro]))
	heading(b, s.style, "二、主动公开政府信息情况")
	disclosureTable(b, s.style, rec)
	heading(b, s.style, "三、收到和处理政府信息公开申请情况")
	applicationTable(b, s.style, rec)
	heading(b, s.style, "四、政府信息公开行政复议、行政诉讼情况")
	reviewTable(b, s.style, rec)
	heading(b, s.style, "五、存在的主要问题及改进情况")
	para(b, fillText(problemTexts[d.prose.problems]))
	heading(b, s.style, "六、其他需要报告的事项")
	para(b, fillText(otherTexts[d.prose.other]))
	signature(b, d.body.name, d.pub.Year(), int(d.pub.Month()), d.pub.Day())
	writeArticleClose(b, s)
}

// writeArticleOpen writes the chrome and the article header up to the content div.
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
	if s.style.zoom {
		b.WriteString("<div id=\"zoom\">\n")
	} else {
		b.WriteString("<div class=\"TRS_Editor\">\n")
	}
}

// writeArticleClose closes the content div and the article and writes the footer.
func writeArticleClose(b *bytes.Buffer, s *site) {
	b.WriteString("</div>\n<div class=\"tools\"><a href=\"javascript:window.print()\">打印本页</a> <a href=\"javascript:window.close()\">关闭窗口</a></div>\n")
	b.WriteString("</div>\n</div>\n")
	writeFoot(b, s)
}

// heading writes a section heading.
func heading(b *bytes.Buffer, st style, text string) {
	if st.headingTag {
		b.WriteString("<h3>" + esc(text) + "</h3>\n")
		return
	}
	b.WriteString("<p style=\"text-indent:2em\"><strong>" + esc(text) + "</strong></p>\n")
}

// para writes a paragraph of prose.
func para(b *bytes.Buffer, text string) {
	b.WriteString("<p style=\"text-indent:2em\">" + esc(text) + "</p>\n")
}

// signature writes the body and the date at the end of a document.
func signature(b *bytes.Buffer, who string, y, m, d int) {
	b.WriteString("<p style=\"text-align:right\">" + esc(who) + "</p>\n")
	b.WriteString(fmt.Sprintf("<p style=\"text-align:right\">%d年%d月%d日</p>\n", y, m, d))
}
