package sampleportal

import (
	"fmt"

	"github.com/govreport/govreport/pkg/report"
)

// The renderers share one model of a report's article: its blocks in document
// order (the intro, six section headings, prose, three statistics tables and the
// signature). Variations (traditional characters, label noise) rewrite the model;
// each form then prints it.

// blockKind says what a block of the article is.
type blockKind int

const (
	blockPara      blockKind = iota // a paragraph of prose
	blockHeading                    // a section heading
	blockTable                      // a statistics table
	blockSignature                  // the body's name or the date, right-aligned
)

// block is one block of a report's article.
type block struct {
	kind    blockKind
	text    string // paragraph, heading or signature line
	section int    // for headings and tables: 1–6
	table   *stable
}

// tcell is one source cell of a statistics table as the template prints it.
type tcell struct {
	text    string
	label   bool // a label rather than a value
	colspan int  // at least 1
	rowspan int  // at least 1
	// truncatable marks a header a flattener may cut to its first line (seed 001
	// prints "本年新 |" for 本年新制作数量 and 本年新公开数量).
	truncatable bool
	// number marks a value cell holding digits (a candidate for Word's split tags).
	number bool
}

// stable is one statistics table: its rows of source cells and its width in grid
// columns (rowspans and colspans expanded).
type stable struct {
	section int
	width   int
	rows    [][]tcell
}

// articleBlocks builds the model of a report's article.
func articleBlocks(d *reportDoc, st style) []block {
	rec := d.rec
	docNo := "国办公开办函〔2019〕60号"
	if rec.Template == report.Template2021 {
		docNo = "国办公开办函〔2021〕30号"
	}
	received, _ := rec.Applications.Get(report.RowNewReceived, report.ColTotal).Num()
	fillText := func(t string) string {
		return fill(t, d.body.name, d.year, d.prose.items, int64(received), d.prose.websites)
	}
	para := func(t string) block { return block{kind: blockPara, text: t} }
	heading := func(sec int, t string) block { return block{kind: blockHeading, section: sec, text: t} }
	table := func(t *stable) block { return block{kind: blockTable, section: t.section, table: t} }
	return []block{
		para("本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（" +
			docNo + "）要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。" +
			fmt.Sprintf("本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。", d.year, d.year)),
		heading(1, headingTexts[0]),
		para(fillText(introTexts[d.prose.intro])),
		heading(2, headingTexts[1]),
		table(disclosureTable(rec)),
		heading(3, headingTexts[2]),
		table(applicationTable(rec)),
		heading(4, headingTexts[3]),
		table(reviewTable(st, rec)),
		heading(5, headingTexts[4]),
		para(fillText(problemTexts[d.prose.problems])),
		heading(6, headingTexts[5]),
		para(fillText(otherTexts[d.prose.other])),
		{kind: blockSignature, text: d.body.name},
		{kind: blockSignature, text: fmt.Sprintf("%d年%d月%d日", d.pub.Year(), int(d.pub.Month()), d.pub.Day())},
	}
}

// headingTexts are the six section headings as the template prints them.
var headingTexts = [6]string{
	"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
}

// label and value build source cells.
func label(text string, colspan, rowspan int) tcell {
	return tcell{text: text, label: true, colspan: colspan, rowspan: rowspan}
}

func value(c report.Cell, colspan int) tcell {
	return tcell{text: c.Raw, colspan: colspan, rowspan: 1, number: c.State == report.StateNumber && len(c.Raw) > 1}
}

// grid expands a table: for every grid position the index of the row and cell
// covering it, and whether it is the cell's anchor (its top-left position).
type gridPos struct {
	row, cell int
	anchor    bool
}

func (t *stable) grid() [][]gridPos {
	g := make([][]gridPos, len(t.rows))
	for r := range g {
		g[r] = make([]gridPos, t.width)
		for c := range g[r] {
			g[r][c] = gridPos{row: -1, cell: -1}
		}
	}
	for r, row := range t.rows {
		col := 0
		for i, c := range row {
			for col < t.width && g[r][col].row >= 0 {
				col++
			}
			for rr := r; rr < r+c.rowspan && rr < len(g); rr++ {
				for cc := col; cc < col+c.colspan && cc < t.width; cc++ {
					g[rr][cc] = gridPos{row: r, cell: i, anchor: rr == r && cc == col}
				}
			}
			col += c.colspan
		}
	}
	return g
}

// anchors returns each source cell's anchor column.
func (t *stable) anchors() [][]int {
	out := make([][]int, len(t.rows))
	for r, row := range t.rows {
		out[r] = make([]int, len(row))
	}
	for r, gr := range t.grid() {
		for c, p := range gr {
			if p.anchor && p.row == r {
				out[r][p.cell] = c
			}
		}
	}
	return out
}

// rescaled returns the table on a grid whose column c is widths[c] columns wide:
// every cell's colspan becomes the sum of the widths it covers.
func (t *stable) rescaled(widths []int) *stable {
	anch := t.anchors()
	out := &stable{section: t.section}
	for _, w := range widths {
		out.width += w
	}
	for r, row := range t.rows {
		nr := make([]tcell, len(row))
		for i, c := range row {
			span := 0
			for k := anch[r][i]; k < anch[r][i]+c.colspan && k < len(widths); k++ {
				span += widths[k]
			}
			c.colspan = span
			nr[i] = c
		}
		out.rows = append(out.rows, nr)
	}
	return out
}

// eachLabel calls fn for every label cell of the article's tables.
func eachLabel(blocks []block, fn func(section int, c *tcell)) {
	for _, b := range blocks {
		if b.kind != blockTable {
			continue
		}
		for _, row := range b.table.rows {
			for i := range row {
				if row[i].label {
					fn(b.section, &row[i])
				}
			}
		}
	}
}

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

// disclosureTable builds section 二 as a four-column table.
func disclosureTable(rec *report.Record) *stable {
	t := &stable{section: 2, width: 4}
	for _, blk := range disclosureBlocks(rec.Template) {
		t.rows = append(t.rows, []tcell{label(blk.heading, 4, 1)})
		hdr := []tcell{label("信息内容", 1, 1)}
		for _, h := range blk.headers {
			c := label(h.label, h.span, 1)
			c.truncatable = h.label == "本年新制作数量" || h.label == "本年新公开数量"
			hdr = append(hdr, c)
		}
		t.rows = append(t.rows, hdr)
		for _, it := range blk.items {
			row := []tcell{label(it.label, 1, 1)}
			for _, h := range blk.headers {
				row = append(row, value(rec.Disclosure.Get(it.item, h.metric), h.span))
			}
			t.rows = append(t.rows, row)
		}
	}
	return t
}

// applicationLabel returns the label cells printed before a row's seven values.
func applicationLabel(tpl report.Template, row report.Row) []tcell {
	l := report.RowLabels[row]
	switch row {
	case report.RowNewReceived, report.RowCarriedOver, report.RowCarriedForward:
		return []tcell{label(l, 3, 1)}
	case report.RowGranted:
		n := len(outcomeRows(tpl)) + 1 // the outcomes and (七)总计
		return []tcell{label(report.RowGroupLabels["outcomes"], 1, n), label(l, 2, 1)}
	case report.RowWithheldStateSecret:
		return []tcell{label(report.RowGroupLabels["withheld"], 1, 8), label(l, 1, 1)}
	case report.RowUnableNotHeld:
		return []tcell{label(report.RowGroupLabels["unable"], 1, 3), label(l, 1, 1)}
	case report.RowNotProcessedPetitionComplaint:
		return []tcell{label(report.RowGroupLabels["not_processed"], 1, 5), label(l, 1, 1)}
	case report.RowOtherNoCorrection:
		return []tcell{label(report.RowGroupLabels["other"], 1, 3), label(l, 1, 1)}
	case report.RowPartiallyGranted, report.RowOther, report.RowTotal:
		return []tcell{label(l, 2, 1)}
	}
	return []tcell{label(l, 1, 1)}
}

// applicationLabels are the applicant column headers under 法人或其他组织.
var applicationLabels = []string{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"}

// applicationTable builds section 三 in the template's ten-column layout.
func applicationTable(rec *report.Record) *stable {
	t := &stable{section: 3, width: 10}
	t.rows = append(t.rows,
		[]tcell{label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), label("申请人情况", 7, 1)},
		[]tcell{label("自然人", 1, 2), label("法人或其他组织", 5, 1), label("总计", 1, 2)})
	var orgs []tcell
	for _, l := range applicationLabels {
		orgs = append(orgs, label(l, 1, 1))
	}
	t.rows = append(t.rows, orgs)
	for _, row := range report.Rows(rec.Template) {
		r := applicationLabel(rec.Template, row)
		for _, c := range report.Cols {
			r = append(r, value(rec.Applications.Get(row, c), 1))
		}
		t.rows = append(t.rows, r)
	}
	return t
}

// reviewTable builds section 四: a header block and one row of 15 values.
func reviewTable(st style, rec *report.Record) *stable {
	t := &stable{section: 4, width: 15}
	outcomes := func() []tcell {
		var out []tcell
		for _, o := range report.Outcomes {
			out = append(out, label(report.OutcomeLabels[o], 1, 1))
		}
		return out
	}
	if st.flatReviewHeader {
		t.rows = append(t.rows,
			[]tcell{label("行政复议", 5, 2), label("行政诉讼", 10, 1)},
			[]tcell{label("未经复议直接起诉", 5, 1), label("复议后起诉", 5, 1)})
		var all []tcell
		for range report.ReviewGroups {
			all = append(all, outcomes()...)
		}
		t.rows = append(t.rows, all)
	} else {
		t.rows = append(t.rows, []tcell{label("行政复议", 5, 1), label("行政诉讼", 10, 1)})
		var second []tcell
		for _, o := range report.Outcomes {
			second = append(second, label(report.OutcomeLabels[o], 1, 2))
		}
		second = append(second, label("未经复议直接起诉", 5, 1), label("复议后起诉", 5, 1))
		t.rows = append(t.rows, second)
		var third []tcell
		for range report.ReviewGroups[1:] {
			third = append(third, outcomes()...)
		}
		t.rows = append(t.rows, third)
	}
	var vals []tcell
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			vals = append(vals, value(rec.Review.Get(g, o), 1))
		}
	}
	t.rows = append(t.rows, vals)
	return t
}
