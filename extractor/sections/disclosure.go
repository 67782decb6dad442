package sections

import (
	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// disclosure reads a row of section 二. Metric header labels (a header row, or in
// flattened text the header cells that precede an item) set the block's columns;
// an item label followed by values fills that item's metrics in header order.
func (r *reader) disclosure(lbls, vals []grid.Cell) {
	var hdr []string
	item, hasItem := report.Item(""), false
	flush := func() {
		if len(hdr) == 0 {
			return
		}
		r.setHeader(hdr)
		hdr = nil
	}
	for i, l := range lbls {
		if labels.IsMetricPart(l.Text) {
			hdr = append(hdr, l.Text)
			continue
		}
		flush()
		if it, ok := labels.Item(l.Text); ok {
			item, hasItem = it, true
			continue
		}
		if hasItem {
			// Words after the item label ("详见附表") sit in a value column: they
			// are the item's first values, not labels.
			vals = append(append([]grid.Cell{}, lbls[i:]...), vals...)
			break
		}
	}
	flush()
	if len(vals) == 0 {
		return
	}
	if !hasItem {
		if len(nonBlank(vals)) > 0 {
			r.unplaced(labels.SectionDisclosure, "values without an item label", vals)
		}
		return
	}
	if r.header == nil {
		r.unplaced(labels.SectionDisclosure, "no header for item "+string(item), vals)
		return
	}
	h := r.header
	vals = trim(vals, len(h.Metrics))
	for i, v := range vals {
		if i >= len(h.Metrics) {
			r.unplaced(labels.SectionDisclosure, "more values than header columns for item "+string(item), vals[i:])
			break
		}
		r.setDisclosure(item, h.Metrics[i], h.Units[i], v)
	}
}

// setHeader resolves a block header and records what it shows.
func (r *reader) setHeader(cells []string) {
	h, ok := labels.ResolveHeader(cells)
	if !ok {
		r.header = nil
		return
	}
	r.header = &h
	for t, ls := range h.Shows {
		for _, l := range ls {
			r.res.show(t, l)
		}
	}
	if h.Layout != report.TemplateUnknown {
		for _, it := range labels.ExpectedItems(h.Layout, h.Metrics) {
			for _, m := range h.Metrics {
				r.expected[report.ItemMetric{Item: it, Metric: m}] = true
			}
		}
	}
}

func (r *reader) setDisclosure(it report.Item, m report.Metric, unit report.Unit, v grid.Cell) {
	if old := r.res.Disclosure.Get(it, m); !old.IsZero() {
		r.unplaced(labels.SectionDisclosure, "a second value for "+report.DisclosureAddr(it, m)+" (first kept from "+old.Src+")", []grid.Cell{v})
		return
	}
	kind := cellvalue.Count
	switch {
	case m.IsMoney():
		kind = cellvalue.Money
	case m.IsSigned():
		kind = cellvalue.Signed
	}
	c := cellvalue.Parse(v.Text, kind, unit)
	c.Src = v.Src
	r.res.Disclosure.Set(it, m, c)
	r.res.Cells[labels.SectionDisclosure]++
}
