package sections

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// disclosureState is what section 二's reader carries from row to row besides the
// header: where the header's metrics sit on an aligned grid, and the item whose
// values a flattened table may continue on the next row.
type disclosureState struct {
	// cols are the grid columns of the header's metrics (aligned grids, one header
	// cell per metric), nil when unknown.
	cols []int
	// item is the last item read and next the index of its first metric without a
	// value: in flattened text a word in a value column ("详见附表") ends a row, and
	// the item's remaining values follow it.
	item report.Item
	next int
}

// disclosure reads a row of section 二. Metric header labels (a header row, or in
// flattened text the header cells that precede an item) set the block's columns;
// an item label followed by values fills that item's metrics: by the header's
// columns on an aligned grid, else in header order. Short words in a value's place
// ("详见附表", "见附件") are text values of the item being read, whether they follow
// its label, sit between its values or, flattened, start the next row.
func (r *reader) disclosure(cells, lbls, vals []grid.Cell) {
	if r.grid.Aligned && r.disclosureByColumns(cells) {
		return
	}
	var hdr []grid.Cell
	inRow := false // an item label was read in this row
	flush := func() {
		if len(hdr) == 0 {
			return
		}
		r.setHeader(hdr)
		hdr = nil
	}
	for _, l := range lbls {
		if labels.IsMetricPart(l.Text) {
			hdr = append(hdr, l)
			continue
		}
		flush()
		if it, ok := labels.Item(l.Text); ok {
			r.disc.item, r.disc.next, inRow = it, 0, true
			continue
		}
		if known := r.placesSection(l.Text); known || !isTextValue(l.Text) {
			// A block heading or 信息内容 closes the item; other words before
			// any item are notes.
			if known {
				r.disc.item = ""
			}
			continue
		}
		if (inRow || !r.grid.Aligned) && r.continues() {
			r.setNext(l)
		} else if inRow {
			r.unplaced(labels.SectionDisclosure, "more values than header columns for item "+string(r.disc.item), []grid.Cell{l})
		}
	}
	flush()
	if len(vals) == 0 {
		return
	}
	if r.disc.item == "" || (!inRow && r.grid.Aligned) {
		if len(nonBlank(vals)) > 0 {
			r.unplaced(labels.SectionDisclosure, "values without an item label", vals)
		}
		return
	}
	if r.header == nil {
		r.unplaced(labels.SectionDisclosure, "no header for item "+string(r.disc.item), vals)
		return
	}
	if inRow && r.disc.next == 0 {
		vals = trim(vals, len(r.header.Metrics))
	}
	for i, v := range vals {
		if !r.continues() {
			r.unplaced(labels.SectionDisclosure, "more values than header columns for item "+string(r.disc.item), vals[i:])
			break
		}
		r.setNext(v)
	}
}

// isTextValue reports whether a word may be a text value of a cell: short, no
// sentence (prose in a section is not a cell) and not a numbering alone (the "三、"
// of a heading printed over two lines).
func isTextValue(s string) bool {
	if utf8.RuneCountInString(s) > 16 || strings.ContainsAny(s, "。；;，,：:") {
		return false
	}
	return strings.TrimFunc(s, isNumbering) != ""
}

// isNumbering reports whether r may be part of a numbering: a numeral, a bracket, a
// point or a space.
func isNumbering(r rune) bool {
	return strings.ContainsRune("一二三四五六七八九十0123456789０１２３４５６７８９、.．()（） \u3000", r)
}

// continues reports whether the last item read still has metrics without values.
func (r *reader) continues() bool {
	return r.header != nil && r.disc.item != "" && r.disc.next < len(r.header.Metrics)
}

// setNext places a value in the last item's next metric.
func (r *reader) setNext(v grid.Cell) {
	h := r.header
	r.setDisclosure(r.disc.item, h.Metrics[r.disc.next], h.Units[r.disc.next], v)
	r.disc.next++
}

// placesSection reports whether a label (not a metric or an item: those are
// asked first) is a word that places a row in a section, 信息内容 or a block
// heading, or a section heading.
func (r *reader) placesSection(text string) bool {
	s, ok := r.sectionOf[text] // row() has looked every label of the row up
	if !ok {
		s = labels.SectionOf(text)
	}
	return s != labels.SectionNone || labels.Heading(text) != labels.SectionNone
}

// disclosureByColumns reads an item row of an aligned grid by the header's metric
// columns: the cell starting in a metric's column is its value, empty or not, text
// or not. It reports false, reading nothing, when the header's columns are unknown
// or the row is not an item row.
func (r *reader) disclosureByColumns(cells []grid.Cell) bool {
	cols := r.disc.cols
	if r.header == nil || len(cols) != len(r.header.Metrics) {
		return false
	}
	var buf [4][2]int
	at := buf[:0] // (metric index, cell index)
	values := false
	for i, c := range cells {
		if m := slices.Index(cols, c.Col); m >= 0 {
			at = append(at, [2]int{m, i})
			values = values || startsLikeValue(c.Text)
		}
	}
	if !values {
		// No number or blank under the header: a header, a block heading, or a
		// row of words the reader takes in order.
		return false
	}
	var item report.Item
	var outside []grid.Cell
	for _, c := range cells {
		switch {
		case slices.Contains(cols, c.Col):
		case c.Col < cols[0]:
			if it, ok := labels.Item(c.Text); ok && item == "" {
				item = it
			} else if c.Text != "" {
				return false // a label of another kind
			}
		case !cellvalue.IsBlank(c.Text):
			outside = append(outside, c)
		}
	}
	if item == "" {
		return false
	}
	h := r.header
	r.disc.item, r.disc.next = item, len(h.Metrics)
	for _, a := range at {
		r.setDisclosure(item, h.Metrics[a[0]], h.Units[a[0]], cells[a[1]])
	}
	if len(outside) > 0 {
		r.unplaced(labels.SectionDisclosure, "values outside the header's columns for item "+string(item), outside)
	}
	return true
}

// startsLikeValue reports, without allocating, whether a cell's text is empty or
// starts like a value (a digit, a sign, a slash, a dash, 无) rather than like a
// header's words.
func startsLikeValue(s string) bool {
	s = strings.TrimLeft(s, " \u00a0\u3000")
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') || strings.ContainsRune("+-/／—－–无無", r)
}

// setHeader resolves a block header and records what it shows, and on aligned
// grids where its metrics sit.
func (r *reader) setHeader(cells []grid.Cell) {
	r.disc = disclosureState{}
	h, ok := labels.ResolveHeader(texts(cells))
	if !ok {
		r.header = nil
		return
	}
	r.header = &h
	if r.grid.Aligned && len(cells) == len(h.Metrics) {
		r.disc.cols = make([]int, len(cells))
		for i, c := range cells {
			r.disc.cols[i] = c.Col
		}
	}
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
	c.Src, c.ByPosition = v.Src, r.header != nil && r.header.ByPosition(m)
	r.res.Disclosure.Set(it, m, c)
	r.res.Cells[labels.SectionDisclosure]++
}
