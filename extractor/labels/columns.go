package labels

import (
	"github.com/govreport/govreport/pkg/report"
)

// columns maps the applicant column headers to their columns. 其他 is the other_org
// column only in the header row that also names 商业企业 (see Columns).
var columns = map[string]report.Col{
	"自然人":    report.ColNaturalPerson,
	"商业企业":   report.ColCommercial,
	"科研机构":   report.ColResearch,
	"社会公益组织": report.ColSocialWelfare,
	"法律服务机构": report.ColLegalServices,
	"总计":     report.ColTotal,
	"合计":     report.ColTotal,
}

// Column returns the applicant column a header label names. other reports whether
// the label is 其他, which names ColOtherOrg only beside the other organisation
// columns.
func Column(label string) (c report.Col, ok, other bool) {
	key := labelKey(label)
	if key == "其他" {
		return report.ColOtherOrg, false, true
	}
	c, ok = columns[key]
	return c, ok, false
}

// reviewGroups maps the section 四 group labels to their groups.
var reviewGroups = map[string]report.ReviewGroup{
	"行政复议":     report.GroupReview,
	"未经复议直接起诉": report.GroupLitigationDirect,
	"复议后起诉":    report.GroupLitigationAfterReview,
}

// ReviewGroup returns the section 四 group a label names.
func ReviewGroup(label string) (report.ReviewGroup, bool) {
	g, ok := reviewGroups[labelKey(label)]
	return g, ok
}
