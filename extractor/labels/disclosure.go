package labels

import (
	"strings"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/pkg/report"
)

// items maps the article 20 item labels to their items.
var items = map[string]report.Item{
	"规章":         report.ItemRegulations,
	"规范性文件":      report.ItemNormativeDocs,
	"行政规范性文件":    report.ItemNormativeDocs,
	"行政许可":       report.ItemLicensing,
	"其他对外管理服务事项": report.ItemOtherServices,
	"行政处罚":       report.ItemPenalty,
	"行政强制":       report.ItemEnforcement,
	"行政事业性收费":    report.ItemFees,
	"政府集中采购":     report.ItemProcurement,
}

// Item returns the article 20 item a label names, by exact key.
func Item(label string) (report.Item, bool) {
	it, ok := items[labelKey(label)]
	return it, ok
}

// metricLabel is a metric header label and the template it shows.
type metricLabel struct {
	metric report.Metric
	// shows is the template whose use the label proves, or TemplateUnknown when both
	// templates print it or it proves nothing.
	shows report.Template
}

// metrics maps the metric header keys to metrics.
var metrics = map[string]metricLabel{
	"本年新制作数量":  {report.MetricNewMade, report.Template2019},
	"本年新公开数量":  {report.MetricNewPublished, report.Template2019},
	"对外公开总数量":  {report.MetricTotalPublished, report.Template2019},
	"上一年项目数量":  {report.MetricPrevYear, report.Template2019},
	"本年增减":     {report.MetricChange, report.Template2019},
	"处理决定数量":   {report.MetricDecisions, report.TemplateUnknown},
	"采购项目数量":   {report.MetricItems, report.TemplateUnknown},
	"采购总金额":    {report.MetricAmount, report.TemplateUnknown},
	"本年制发件数":   {report.MetricIssued, report.Template2021},
	"本年废止件数":   {report.MetricRepealed, report.Template2021},
	"现行有效件数":   {report.MetricInForce, report.Template2021},
	"本年处理决定数量": {report.MetricDecisions, report.Template2021},
	"本年收费金额":   {report.MetricAmount, report.Template2021},
}

// blockLayouts are the header rows of the section 二 blocks as the templates print
// them; a truncated header ("本年新 | 本年新 | 对外公开总数量") is read against them.
var blockLayouts = []struct {
	tpl  report.Template
	keys []string
}{
	{report.Template2019, []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"}},
	{report.Template2019, []string{"上一年项目数量", "本年增减", "处理决定数量"}},
	{report.Template2019, []string{"上一年项目数量", "本年增减"}},
	{report.Template2019, []string{"采购项目数量", "采购总金额"}},
	{report.Template2021, []string{"本年制发件数", "本年废止件数", "现行有效件数"}},
	{report.Template2021, []string{"本年处理决定数量"}},
	{report.Template2021, []string{"本年收费金额"}},
}

// IsMetricPart reports whether a label is a metric header or a piece of one (a header
// split over two cells, or truncated).
func IsMetricPart(label string) bool {
	key := labelKey(label)
	if _, ok := metrics[key]; ok {
		return true
	}
	if len([]rune(key)) < 2 {
		return false
	}
	for k := range metrics {
		if strings.Contains(k, key) {
			return true
		}
	}
	return false
}

// Header is a resolved header row of a section 二 block.
type Header struct {
	// Metrics are the block's columns in order.
	Metrics []report.Metric
	// Units are the money units the headers state, per column.
	Units []report.Unit
	// Shows lists, per template, the header labels that prove it.
	Shows map[report.Template][]string
	// Layout is the template whose block layout the header follows (used to know
	// which items the block should hold), TemplateUnknown when it follows none.
	Layout report.Template
	// Truncated is true when the header was completed from the template's layout.
	Truncated bool
	// Positional is true, per column, when the column's label was cut short to
	// words that start several metrics ("本年新"): the metric is known only by its
	// position in the layout.
	Positional []bool
}

// ByPosition reports whether the column of metric m is known only by its position.
func (h *Header) ByPosition(m report.Metric) bool {
	for i, hm := range h.Metrics {
		if hm == m && i < len(h.Positional) {
			return h.Positional[i]
		}
	}
	return false
}

// metricsStartingWith counts the metric labels that start with key.
func metricsStartingWith(key string) int {
	n := 0
	for k := range metrics {
		if strings.HasPrefix(k, key) {
			n++
		}
	}
	return n
}

// ResolveHeader reads the header cells of a section 二 block. Pieces of one header
// split over two cells are joined; labels that are only the start of a header
// ("本年新") are read against the template layouts and accepted only when exactly
// one layout fits.
func ResolveHeader(cells []string) (Header, bool) {
	type part struct{ key, raw string }
	var parts []part
	for i := 0; i < len(cells); i++ {
		k := labelKey(cells[i])
		if i+1 < len(cells) {
			k2 := labelKey(cells[i+1])
			_, ok1 := metrics[k]
			_, ok2 := metrics[k2]
			if _, joined := metrics[k+k2]; joined && !(ok1 && ok2) {
				parts = append(parts, part{k + k2, cells[i] + cells[i+1]})
				i++
				continue
			}
		}
		parts = append(parts, part{k, cells[i]})
	}
	h := Header{Shows: map[report.Template][]string{}}
	exact := true
	for _, p := range parts {
		m, ok := metrics[p.key]
		if !ok {
			exact = false
			break
		}
		h.Metrics = append(h.Metrics, m.metric)
		h.Units = append(h.Units, cellvalue.UnitOf(p.raw))
		if m.shows != report.TemplateUnknown {
			h.Shows[m.shows] = append(h.Shows[m.shows], p.key)
		}
	}
	keys := make([]string, len(parts))
	for i, p := range parts {
		keys[i] = p.key
	}
	var fits []int
	for i, l := range blockLayouts {
		if len(l.keys) != len(keys) {
			continue
		}
		ok := true
		for j, k := range keys {
			if k == "" || !strings.HasPrefix(l.keys[j], k) {
				ok = false
				break
			}
		}
		if ok {
			fits = append(fits, i)
		}
	}
	if exact {
		if len(fits) == 1 {
			h.Layout = blockLayouts[fits[0]].tpl
		}
		return h, len(h.Metrics) > 0
	}
	if len(fits) != 1 {
		return Header{}, false
	}
	l := blockLayouts[fits[0]]
	h = Header{Shows: map[report.Template][]string{}, Layout: l.tpl, Truncated: true}
	for j, k := range l.keys {
		m := metrics[k]
		h.Metrics = append(h.Metrics, m.metric)
		h.Units = append(h.Units, cellvalue.UnitOf(parts[j].raw))
		h.Positional = append(h.Positional, keys[j] != k && metricsStartingWith(keys[j]) > 1)
		if m.shows != report.TemplateUnknown && keys[j] == k {
			h.Shows[m.shows] = append(h.Shows[m.shows], k)
		}
	}
	return h, true
}

// ExpectedItems returns the items a block with these metrics holds in a template:
// the items DisclosureLayout prints with exactly these metrics, in order.
func ExpectedItems(tpl report.Template, ms []report.Metric) []report.Item {
	byItem := map[report.Item][]report.Metric{}
	var order []report.Item
	for _, im := range report.DisclosureLayout(tpl) {
		if _, seen := byItem[im.Item]; !seen {
			order = append(order, im.Item)
		}
		byItem[im.Item] = append(byItem[im.Item], im.Metric)
	}
	var out []report.Item
	for _, it := range order {
		if equalMetrics(byItem[it], ms) {
			out = append(out, it)
		}
	}
	return out
}

func equalMetrics(a, b []report.Metric) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
