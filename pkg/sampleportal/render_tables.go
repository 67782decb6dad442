package sampleportal

import (
	"bytes"
	"strconv"

	"github.com/govreport/govreport/pkg/report"
)

// table writes one table in a site's style.
type table struct {
	b  *bytes.Buffer
	st style
}

func openTable(b *bytes.Buffer, st style) table {
	if st.tdAttrs {
		b.WriteString("<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse:collapse;border:none\">\n<tbody>\n")
	} else {
		b.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\">\n<tbody>\n")
	}
	return table{b: b, st: st}
}

func (t table) close()                            { t.b.WriteString("</tbody>\n</table>\n") }
func (t table) tr()                               { t.b.WriteString("<tr>") }
func (t table) endTR()                            { t.b.WriteString("</tr>\n") }
func (t table) label(attrs, text string)          { t.td(attrs, text, true) }
func (t table) value(attrs string, c report.Cell) { t.td(attrs, c.Raw, false) }

// td writes a cell: span attributes first, then the site's styling attributes; the
// text escaped, empty text as &nbsp; on some sites, wrapped in <p><span> on others.
func (t table) td(attrs, text string, label bool) {
	b := t.b
	b.WriteString("<td")
	if attrs != "" {
		b.WriteString(" " + attrs)
	}
	if t.st.tdAttrs {
		if label {
			b.WriteString(" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\"")
		} else {
			b.WriteString(" width=\"62\" valign=\"center\" style=\"text-align:center\"")
		}
	}
	b.WriteString(">")
	content := esc(text)
	if text == "" && t.st.nbsp {
		content = "&nbsp;"
	}
	if t.st.wrap {
		content = "<p style=\"text-align:center\"><span style=\"font-size:12pt\">" + content + "</span></p>"
	}
	b.WriteString(content)
	b.WriteString("</td>")
}

func span(name string, n int) string { return name + "=\"" + strconv.Itoa(n) + "\"" }

// disclosureBlock is one article 20 block of section 二: a heading row, a header row
// of metric labels, and one row per item.
type disclosureBlock struct {
	heading string
	headers []disclosureHeader
	items   []disclosureItem
}

type disclosureHeader struct {
	label  string
	metric report.Metric
	span   int // colspan of the header and of the item's value cell
}

type disclosureItem struct {
	label string
	item  report.Item
}

// disclosureBlocks returns section 二's blocks for a template, as the template
// prints them in a four-column table.
func disclosureBlocks(tpl report.Template) []disclosureBlock {
	h := func(label string, m report.Metric, span int) disclosureHeader {
		return disclosureHeader{label: label, metric: m, span: span}
	}
	it := func(i report.Item) disclosureItem { return disclosureItem{label: report.ItemLabels[i], item: i} }
	if tpl == report.Template2021 {
		decisions := []disclosureHeader{h("本年处理决定数量", report.MetricDecisions, 3)}
		return []disclosureBlock{
			{"第二十条第（一）项", []disclosureHeader{h("本年制发件数", report.MetricIssued, 1), h("本年废止件数", report.MetricRepealed, 1), h("现行有效件数", report.MetricInForce, 1)},
				[]disclosureItem{it(report.ItemRegulations), {label: "行政规范性文件", item: report.ItemNormativeDocs}}},
			{"第二十条第（五）项", decisions, []disclosureItem{it(report.ItemLicensing)}},
			{"第二十条第（六）项", decisions, []disclosureItem{it(report.ItemPenalty), it(report.ItemEnforcement)}},
			{"第二十条第（八）项", []disclosureHeader{h("本年收费金额（单位：万元）", report.MetricAmount, 3)}, []disclosureItem{it(report.ItemFees)}},
		}
	}
	items := []disclosureHeader{h("上一年项目数量", report.MetricPrevYear, 1), h("本年增/减", report.MetricChange, 1), h("处理决定数量", report.MetricDecisions, 1)}
	return []disclosureBlock{
		{"第二十条第（一）项", []disclosureHeader{h("本年新制作数量", report.MetricNewMade, 1), h("本年新公开数量", report.MetricNewPublished, 1), h("对外公开总数量", report.MetricTotalPublished, 1)},
			[]disclosureItem{it(report.ItemRegulations), it(report.ItemNormativeDocs)}},
		{"第二十条第（五）项", items, []disclosureItem{it(report.ItemLicensing), it(report.ItemOtherServices)}},
		{"第二十条第（六）项", items, []disclosureItem{it(report.ItemPenalty), it(report.ItemEnforcement)}},
		{"第二十条第（八）项", []disclosureHeader{h("上一年项目数量", report.MetricPrevYear, 1), h("本年增/减", report.MetricChange, 2)}, []disclosureItem{it(report.ItemFees)}},
		{"第二十条第（九）项", []disclosureHeader{h("采购项目数量", report.MetricItems, 1), h("采购总金额", report.MetricAmount, 2)}, []disclosureItem{it(report.ItemProcurement)}},
	}
}

// disclosureTable writes section 二.
func disclosureTable(b *bytes.Buffer, st style, rec *report.Record) {
	t := openTable(b, st)
	for _, blk := range disclosureBlocks(rec.Template) {
		t.tr()
		t.label(span("colspan", 4), blk.heading)
		t.endTR()
		t.tr()
		t.label("", "信息内容")
		for _, h := range blk.headers {
			t.label(spanAttr(h.span), h.label)
		}
		t.endTR()
		for _, it := range blk.items {
			t.tr()
			t.label("", it.label)
			for _, h := range blk.headers {
				t.value(spanAttr(h.span), rec.Disclosure.Get(it.item, h.metric))
			}
			t.endTR()
		}
	}
	t.close()
}

// spanAttr returns a colspan attribute for spans over one column, else nothing.
func spanAttr(n int) string {
	if n > 1 {
		return span("colspan", n)
	}
	return ""
}

// applicationLabel returns the label cells printed before a row's seven values.
func applicationLabel(tpl report.Template, row report.Row) [][2]string {
	l := report.RowLabels[row]
	switch row {
	case report.RowNewReceived, report.RowCarriedOver, report.RowCarriedForward:
		return [][2]string{{span("colspan", 3), l}}
	case report.RowGranted:
		n := len(outcomeRows(tpl)) + 1 // the outcomes and (七)总计
		return [][2]string{{span("rowspan", n), report.RowGroupLabels["outcomes"]}, {span("colspan", 2), l}}
	case report.RowWithheldStateSecret:
		return [][2]string{{span("rowspan", 8), report.RowGroupLabels["withheld"]}, {"", l}}
	case report.RowUnableNotHeld:
		return [][2]string{{span("rowspan", 3), report.RowGroupLabels["unable"]}, {"", l}}
	case report.RowNotProcessedPetitionComplaint:
		return [][2]string{{span("rowspan", 5), report.RowGroupLabels["not_processed"]}, {"", l}}
	case report.RowOtherNoCorrection:
		return [][2]string{{span("rowspan", 3), report.RowGroupLabels["other"]}, {"", l}}
	case report.RowPartiallyGranted, report.RowOther, report.RowTotal:
		return [][2]string{{span("colspan", 2), l}}
	}
	return [][2]string{{"", l}}
}

// applicationTable writes section 三 in the template's layout.
func applicationTable(b *bytes.Buffer, st style, rec *report.Record) {
	t := openTable(b, st)
	t.tr()
	t.label(span("colspan", 3)+" "+span("rowspan", 3), "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
	t.label(span("colspan", 7), "申请人情况")
	t.endTR()
	t.tr()
	t.label(span("rowspan", 2), "自然人")
	t.label(span("colspan", 5), "法人或其他组织")
	t.label(span("rowspan", 2), "总计")
	t.endTR()
	t.tr()
	for _, l := range []string{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"} {
		t.label("", l)
	}
	t.endTR()
	for _, row := range report.Rows(rec.Template) {
		t.tr()
		for _, l := range applicationLabel(rec.Template, row) {
			t.label(l[0], l[1])
		}
		for _, c := range report.Cols {
			t.value("", rec.Applications.Get(row, c))
		}
		t.endTR()
	}
	t.close()
}

// reviewTable writes section 四: a header block and one row of 15 values.
func reviewTable(b *bytes.Buffer, st style, rec *report.Record) {
	t := openTable(b, st)
	if st.flatReviewHeader {
		t.tr()
		t.label(span("colspan", 5)+" "+span("rowspan", 2), "行政复议")
		t.label(span("colspan", 10), "行政诉讼")
		t.endTR()
		t.tr()
		t.label(span("colspan", 5), "未经复议直接起诉")
		t.label(span("colspan", 5), "复议后起诉")
		t.endTR()
		t.tr()
		for range report.ReviewGroups {
			for _, o := range report.Outcomes {
				t.label("", report.OutcomeLabels[o])
			}
		}
		t.endTR()
	} else {
		t.tr()
		t.label(span("colspan", 5), "行政复议")
		t.label(span("colspan", 10), "行政诉讼")
		t.endTR()
		t.tr()
		for _, o := range report.Outcomes {
			t.label(span("rowspan", 2), report.OutcomeLabels[o])
		}
		t.label(span("colspan", 5), "未经复议直接起诉")
		t.label(span("colspan", 5), "复议后起诉")
		t.endTR()
		t.tr()
		for range report.ReviewGroups[1:] {
			for _, o := range report.Outcomes {
				t.label("", report.OutcomeLabels[o])
			}
		}
		t.endTR()
	}
	t.tr()
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			t.value("", rec.Review.Get(g, o))
		}
	}
	t.endTR()
	t.close()
}
