package labels

import (
	"strconv"

	"github.com/govreport/govreport/pkg/report"
)

// Group is a group of application rows under one heading.
type Group string

// Row groups.
const (
	GroupNone         Group = ""
	GroupOutcomes     Group = "outcomes"      // 三、本年度办理结果
	GroupWithheld     Group = "withheld"      // （三）不予公开
	GroupUnable       Group = "unable"        // （四）无法提供
	GroupNotProcessed Group = "not_processed" // （五）不予处理
	GroupOther        Group = "other"         // （六）其他处理
)

// heading is what a non-leaf label of the application table does.
type heading struct {
	row   report.Row // the row the label names, if any
	group Group      // the group it opens (or returns to)
}

// headings are the application table's labels other than numbered leaves.
var headings = map[string]heading{
	"本年新收政府信息公开申请数量": {row: report.RowNewReceived},
	"上年结转政府信息公开申请数量": {row: report.RowCarriedOver},
	"本年度办理结果":        {group: GroupOutcomes},
	"办理结果":           {group: GroupOutcomes},
	"予以公开":           {row: report.RowGranted, group: GroupOutcomes},
	"部分公开":           {row: report.RowPartiallyGranted, group: GroupOutcomes},
	"不予公开":           {group: GroupWithheld},
	"无法提供":           {group: GroupUnable},
	"不予处理":           {group: GroupNotProcessed},
	"其他处理":           {row: report.RowOther, group: GroupOther},
	"总计":             {row: report.RowTotal},
	"结转下年度继续办理":      {row: report.RowCarriedForward},
}

// leaves are the numbered rows of each group, in template order.
var leaves = map[Group][]leaf{
	GroupWithheld: {
		{"属于国家秘密", report.RowWithheldStateSecret},
		{"其他法律行政法规禁止公开", report.RowWithheldProhibitedByLaw},
		{"危及三安全一稳定", report.RowWithheldSecurityStability},
		{"保护第三方合法权益", report.RowWithheldThirdPartyRights},
		{"属于三类内部事务信息", report.RowWithheldInternalAffairs},
		{"属于四类过程性信息", report.RowWithheldProcessInfo},
		{"属于行政执法案卷", report.RowWithheldEnforcementFiles},
		{"属于行政查询事项", report.RowWithheldQueryMatters},
	},
	GroupUnable: {
		{"本机关不掌握相关政府信息", report.RowUnableNotHeld},
		{"没有现成信息需要另行制作", report.RowUnableNeedsCreation},
		{"补正后申请内容仍不明确", report.RowUnableUnclearAfterCorrection},
	},
	GroupNotProcessed: {
		{"信访举报投诉类申请", report.RowNotProcessedPetitionComplaint},
		{"重复申请", report.RowNotProcessedDuplicate},
		{"要求提供公开出版物", report.RowNotProcessedPublication},
		{"无正当理由大量反复申请", report.RowNotProcessedMassRepetitive},
		{"要求行政机关确认或重新出具已获取信息", report.RowNotProcessedConfirmReissue},
	},
	GroupOther: {
		{"申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", report.RowOtherNoCorrection},
		{"申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请", report.RowOtherNoFeePaid},
		{"其他", report.RowOtherOther},
	},
}

type leaf struct {
	key string
	row report.Row
}

// leafHit is a leaf found by its key.
type leafHit struct {
	group Group
	row   report.Row
}

// leafIndex finds a leaf key in any group (leaf keys are unique across groups).
var leafIndex = func() map[string]leafHit {
	m := map[string]leafHit{}
	for g, ls := range leaves {
		for _, l := range ls {
			m[l.key] = leafHit{g, l.row}
		}
	}
	return m
}()

// RowResolver names the application row of each data row from its label cells,
// keeping the group heading in force from one row to the next (a heading printed
// once for its group, or repeated by a rowspan, both work).
type RowResolver struct {
	group Group
}

// Resolution is the row a set of labels names.
type Resolution struct {
	// Row is the application row, "" when the labels name none.
	Row report.Row
	// ByNumber is true when the leaf's words were not recognised and the row was
	// taken from its number within the group ("3." in （四） is unable.unclear…).
	ByNumber bool
}

// Resolve reads the label cells of one row in order. Group headings set the context;
// the last label that names a row decides it. A leaf label is looked up in the group
// in force, then in every group (leaf words are unique), and only then placed by its
// number within the group in force.
func (r *RowResolver) Resolve(labels []string) Resolution {
	var res Resolution
	for _, l := range labels {
		num, key := labelSplit(l)
		if key == "" {
			continue
		}
		if h, ok := headings[key]; ok {
			r.group = h.group
			if h.row != "" {
				res = Resolution{Row: h.row}
			}
			continue
		}
		if hit, ok := findLeaf(r.group, key); ok {
			r.group = hit.group
			res = Resolution{Row: hit.row}
			continue
		}
		if hit, ok := leafIndex[key]; ok {
			r.group = hit.group
			res = Resolution{Row: hit.row}
			continue
		}
		if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= len(leaves[r.group]) && IsApplicationLike(key) {
			res = Resolution{Row: leaves[r.group][n-1].row, ByNumber: true}
		}
	}
	return res
}

func findLeaf(g Group, key string) (leafHit, bool) {
	for _, l := range leaves[g] {
		if l.key == key {
			return leafHit{g, l.row}, true
		}
	}
	return leafHit{}, false
}

// IsApplicationLike reports whether an unrecognised leaf key is still plausibly a
// row label (short, not a sentence) so that its number may place it.
func IsApplicationLike(key string) bool {
	n := 0
	for range key {
		n++
	}
	return n >= 2 && n <= 40
}
