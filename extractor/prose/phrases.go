package prose

import (
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// target is what a phrase makes of a count.
type target struct {
	row report.Row
	// group is set for a count that has no cell of its own: a group's total.
	group string
	// review is set for section 四: the group whose total the count is.
	review report.ReviewGroup
	// litigation is set for 行政诉讼 counts, which section 四 splits in two groups.
	litigation bool
}

// phrase is a row phrase: every word of all must be in the clause, none of not.
type phrase struct {
	all []string
	not []string
	t   target
}

// phrases are tried in order; the first that fits names the clause's row. Negated
// and more specific phrases come first (不予公开 before 予以公开, 不同意公开 before 同意公开;
// a reason before its group).
var phrases = []phrase{
	// Withheld: a reason names its row; the group alone has no cell.
	{all: []string{"国家秘密"}, t: target{row: report.RowWithheldStateSecret}},
	{all: []string{"法律行政法规禁止"}, t: target{row: report.RowWithheldProhibitedByLaw}},
	{all: []string{"三安全一稳定"}, t: target{row: report.RowWithheldSecurityStability}},
	{all: []string{"第三方合法权益"}, t: target{row: report.RowWithheldThirdPartyRights}},
	{all: []string{"内部事务"}, t: target{row: report.RowWithheldInternalAffairs}},
	{all: []string{"过程性信息"}, t: target{row: report.RowWithheldProcessInfo}},
	{all: []string{"行政执法案卷"}, t: target{row: report.RowWithheldEnforcementFiles}},
	{all: []string{"行政查询事项"}, t: target{row: report.RowWithheldQueryMatters}},
	{all: []string{"不予公开"}, t: target{group: "不予公开"}},
	{all: []string{"不同意公开"}, t: target{group: "不予公开"}},
	// Unable to provide.
	{all: []string{"不掌握"}, t: target{row: report.RowUnableNotHeld}},
	{all: []string{"信息不存在"}, t: target{row: report.RowUnableNotHeld}},
	{all: []string{"另行制作"}, t: target{row: report.RowUnableNeedsCreation}},
	{all: []string{"仍不明确"}, t: target{row: report.RowUnableUnclearAfterCorrection}},
	{all: []string{"无法提供"}, t: target{group: "无法提供"}},
	// Not processed.
	{all: []string{"信访"}, t: target{row: report.RowNotProcessedPetitionComplaint}},
	{all: []string{"举报投诉"}, t: target{row: report.RowNotProcessedPetitionComplaint}},
	{all: []string{"重复申请"}, t: target{row: report.RowNotProcessedDuplicate}},
	{all: []string{"公开出版物"}, t: target{row: report.RowNotProcessedPublication}},
	{all: []string{"大量反复"}, t: target{row: report.RowNotProcessedMassRepetitive}},
	{all: []string{"确认或重新出具"}, t: target{row: report.RowNotProcessedConfirmReissue}},
	{all: []string{"不予处理"}, t: target{group: "不予处理"}},
	// Granted, partially.
	{all: []string{"部分公开"}, t: target{row: report.RowPartiallyGranted}},
	{all: []string{"予以公开"}, t: target{row: report.RowGranted}},
	{all: []string{"同意公开"}, t: target{row: report.RowGranted}},
	{all: []string{"全部公开"}, t: target{row: report.RowGranted}},
	// Carried over and forward, processed.
	{all: []string{"上年", "结转"}, t: target{row: report.RowCarriedOver}},
	{all: []string{"结转下"}, t: target{row: report.RowCarriedForward}},
	{all: []string{"转入下"}, t: target{row: report.RowCarriedForward}},
	{all: []string{"正在办理"}, t: target{row: report.RowCarriedForward}},
	{all: []string{"尚在办理"}, t: target{row: report.RowCarriedForward}},
	{all: []string{"办结"}, not: []string{"未办结"}, t: target{row: report.RowTotal}},
	// Section 四 (before received: "收到行政复议申请" is not an information request).
	{all: []string{"行政复议"}, t: target{review: report.GroupReview}},
	{all: []string{"行政诉讼"}, t: target{litigation: true}},
	// Received.
	{all: []string{"受理", "申请"}, t: target{row: report.RowNewReceived}},
	{all: []string{"收到", "申请"}, t: target{row: report.RowNewReceived}},
	{all: []string{"新收", "申请"}, t: target{row: report.RowNewReceived}},
	{all: []string{"接到", "申请"}, t: target{row: report.RowNewReceived}},
	{all: []string{"接收", "申请"}, t: target{row: report.RowNewReceived}},
}

// match returns the target of the first phrase a clause holds.
func match(clause string) (target, bool) {
	for _, p := range phrases {
		if containsAll(clause, p.all) && !containsAny(clause, p.not) {
			return p.t, true
		}
	}
	return target{}, false
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// column returns the applicant column a clause names: natural_person for 自然人 or
// 公民 alone; ok is false for the organisations alone, which the table splits five
// ways. Both together ("公民、法人和其他组织") are everyone: the total.
func column(clause string) (c report.Col, ok bool) {
	person := containsAny(clause, []string{"自然人", "公民"})
	org := containsAny(clause, []string{"法人", "其他组织", "企业"})
	switch {
	case person && org:
		return report.ColTotal, true
	case org:
		return "", false
	case person:
		return report.ColNaturalPerson, true
	}
	return report.ColTotal, true
}

// zeroStatements are sentences that state a count of nothing: a negation, then what
// did not happen.
var zeroStatements = []struct {
	neg  []string
	what []string
	t    target
}{
	{[]string{"未收到", "没有收到", "未受理", "没有受理", "未接到", "没有接到"}, []string{"公开申请", "申请公开", "依申请", "申请要求公开"}, target{row: report.RowNewReceived}},
	{[]string{"未发生", "没有发生", "未出现", "没有出现", "未提起", "没有提起"}, []string{"行政复议"}, target{review: report.GroupReview}},
	{[]string{"未发生", "没有发生", "未出现", "没有出现", "未提起", "没有提起"}, []string{"行政诉讼"}, target{litigation: true}},
}

// hasNegation reports whether s holds a negation a zero statement starts with.
func hasNegation(s string) bool {
	for _, z := range zeroStatements {
		if firstIndex(s, z.neg) >= 0 {
			return true
		}
	}
	return false
}
