package labels

import (
	"github.com/govreport/govreport/pkg/report"
)

// groupOfRow maps every outcome row to the group it is printed under.
var groupOfRow = func() map[report.Row]Group {
	m := map[report.Row]Group{
		report.RowGranted:          GroupOutcomes,
		report.RowPartiallyGranted: GroupOutcomes,
		report.RowOther:            GroupOther,
	}
	for g, ls := range leaves {
		for _, l := range ls {
			m[l.row] = g
		}
	}
	return m
}()

// GroupOf returns the group an application row is printed under (GroupNone for
// new_received, carried_over, total and carried_forward).
func GroupOf(r report.Row) Group { return groupOfRow[r] }

// HeadingGroup returns the group a label opens when the label is a group heading
// that names no row ("三、本年度办理结果", "（三）不予公开"); false for any other label.
func HeadingGroup(label string) (Group, bool) {
	h, ok := headings[labelKey(label)]
	if !ok || h.row != "" || h.group == GroupNone {
		return GroupNone, false
	}
	return h.group, true
}

// InGroup reports whether row r may sit under a heading of group g: its own group,
// or any outcome row under 三、本年度办理结果 (whose cell spans them all).
func InGroup(r report.Row, g Group) bool {
	rg := GroupOf(r)
	if g == GroupOutcomes {
		return rg != GroupNone
	}
	return rg == g
}

// HeaderLabel is what a label of section 四's header names.
type HeaderLabel int

// Section 四 header labels.
const (
	HeaderNone       HeaderLabel = iota
	HeaderOutcome                // 结果维持, 结果纠正, 其他结果, 尚未审结
	HeaderReview                 // 行政复议
	HeaderLitigation             // 行政诉讼
)

// reviewHeaders are the header labels of section 四 other than the groups' own.
var reviewHeaders = map[string]HeaderLabel{
	"结果维持": HeaderOutcome,
	"结果纠正": HeaderOutcome,
	"其他结果": HeaderOutcome,
	"尚未审结": HeaderOutcome,
	"行政复议": HeaderReview,
	"行政诉讼": HeaderLitigation,
}

// ReviewHeader returns what a section 四 header label names (HeaderNone for any
// other label, 总计 and the litigation groups included).
func ReviewHeader(label string) HeaderLabel { return reviewHeaders[labelKey(label)] }
