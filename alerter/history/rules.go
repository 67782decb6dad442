package history

import "github.com/govreport/govreport/pkg/report"

// Rules of this package besides report.RuleR5 and report.RuleR6.
const (
	// RuleJump: a body's applications (本年新收, 总计) or its granted share far from
	// its own previous years.
	RuleJump report.Rule = "jump"
	// RulePeerOutlier: a body's applications far from the bodies of the same
	// province, level and year.
	RulePeerOutlier report.Rule = "peer_outlier"
	// RuleCopy: a report whose tables are identical or near-identical to another
	// body's report, or to the same body's previous year.
	RuleCopy report.Rule = "copy"
	// RuleMissing: a body that reported for the previous year has no report by the
	// deadline.
	RuleMissing report.Rule = "missing"
	// RuleLate: a report published after its deadline.
	RuleLate report.Rule = "late"
)

// Rules lists every rule Evaluate computes, in the order its results are sorted.
var Rules = []report.Rule{report.RuleR5, report.RuleR6, RuleJump, RulePeerOutlier, RuleCopy, RuleMissing, RuleLate}

// Scopes of the alerts, the last part of their keys besides body and year.
const (
	scopeReceived     = "received"      // jump and peer outlier on 本年新收 总计
	scopeGrantedShare = "granted_share" // jump of the share granted
	scopeTables       = "tables"        // copy
	scopeReport       = "report"        // missing
	scopePublished    = "published"     // late
)

// rank orders the rules for sorting.
func rank(r report.Rule) int {
	for i, x := range Rules {
		if x == r {
			return i
		}
	}
	return len(Rules)
}
