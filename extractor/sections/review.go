package sections

import (
	"github.com/govreport/govreport/extractor/cellvalue"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/pkg/report"
)

// review reads a row of section 四: the line of 15 numbers (three groups of
// upheld, corrected, other, pending, total), or a row per group named by its label.
func (r *reader) review(lbls, vals []grid.Cell) {
	if len(vals) == 0 || (!hasText(vals) && isReviewHeader(lbls)) {
		// Empty cells after the header's labels are the positions its merged
		// cells cover (text flattened with '|'), not values.
		return
	}
	per := len(report.Outcomes)
	all := len(report.ReviewGroups) * per
	if v := trim(vals, all); len(v) >= all {
		for i, c := range v[:all] {
			r.setReview(report.ReviewGroups[i/per], report.Outcomes[i%per], c)
		}
		if len(v) > all {
			r.unplaced(labels.SectionReview, "more than 15 values in the review row", v[all:])
		}
		return
	}
	for i := len(lbls) - 1; i >= 0; i-- {
		g, ok := labels.ReviewGroup(lbls[i].Text)
		if !ok {
			continue
		}
		v := trim(vals, per)
		for j, c := range v {
			if j >= per {
				r.unplaced(labels.SectionReview, "more than 5 values for group "+string(g), v[per:])
				break
			}
			r.setReview(g, report.Outcomes[j], c)
		}
		return
	}
	if len(nonBlank(vals)) > 0 {
		r.unplaced(labels.SectionReview, "values that are neither the 15-number row nor a named group", vals)
	}
}

func (r *reader) setReview(g report.ReviewGroup, o report.Outcome, v grid.Cell) {
	if old := r.res.Review.Get(g, o); !old.IsZero() {
		r.unplaced(labels.SectionReview, "a second value for "+report.ReviewAddr(g, o)+" (first kept from "+old.Src+")", []grid.Cell{v})
		return
	}
	c := cellvalue.Parse(v.Text, cellvalue.Count, report.UnitUnknown)
	c.Src = v.Src
	r.res.Review.Set(g, o, c)
	r.res.Cells[labels.SectionReview]++
}

// isReviewHeader reports whether labels are a header row of section 四: they name
// an outcome (结果维持 …), two groups (未经复议直接起诉 and 复议后起诉), or 行政复议
// and 行政诉讼 together. A data row names one group at most ("行政诉讼 | 未经复议直接
// 起诉" is one).
func isReviewHeader(lbls []grid.Cell) bool {
	groups := map[report.ReviewGroup]bool{}
	litigation := false
	for _, l := range lbls {
		switch labels.ReviewHeader(l.Text) {
		case labels.HeaderOutcome:
			return true
		case labels.HeaderLitigation:
			litigation = true
		}
		if g, ok := labels.ReviewGroup(l.Text); ok {
			groups[g] = true
		}
	}
	return len(groups) >= 2 || (groups[report.GroupReview] && litigation)
}
