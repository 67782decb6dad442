package report

// Template names the statistical template a report follows. A document declares its
// template only by its labels, never by its year.
type Template string

// Templates.
const (
	TemplateUnknown Template = ""
	Template2019    Template = "2019"   // 国办公开办函〔2019〕60号, report years 2019–2020
	Template2021    Template = "2021"   // 国办公开办函〔2021〕30号, report years 2021 onwards
	TemplateMixed   Template = "mixed"  // items of both templates in one document
	TemplateLegacy  Template = "legacy" // 2008–2018: free prose and ad-hoc tables
)

// Valid reports whether t is one of the defined templates (the unknown template included).
func (t Template) Valid() bool {
	switch t {
	case TemplateUnknown, Template2019, Template2021, TemplateMixed, TemplateLegacy:
		return true
	}
	return false
}

// Level is the administrative level of the publishing body.
type Level string

// Administrative levels.
const (
	LevelUnknown    Level = ""
	LevelNational   Level = "national"
	LevelProvince   Level = "province"
	LevelCity       Level = "city"
	LevelCounty     Level = "county"
	LevelTownship   Level = "township"
	LevelDepartment Level = "department"
)

// Code is a canonical code with its Chinese label as printed in the template.
type Code struct {
	Code  string
	Label string
}

// Col is an applicant column of the application table (申请人情况).
type Col string

// Applicant columns, in document order.
const (
	ColNaturalPerson Col = "natural_person"
	ColCommercial    Col = "commercial"
	ColResearch      Col = "research"
	ColSocialWelfare Col = "social_welfare"
	ColLegalServices Col = "legal_services"
	ColOtherOrg      Col = "other_org"
	ColTotal         Col = "total"
)

// Cols lists the applicant columns in document order; ApplicantCols the six that
// add up to ColTotal.
var (
	Cols          = []Col{ColNaturalPerson, ColCommercial, ColResearch, ColSocialWelfare, ColLegalServices, ColOtherOrg, ColTotal}
	ApplicantCols = Cols[:6]
)

// ColLabels maps each column to its label.
var ColLabels = map[Col]string{
	ColNaturalPerson: "自然人",
	ColCommercial:    "法人或其他组织·商业企业",
	ColResearch:      "法人或其他组织·科研机构",
	ColSocialWelfare: "法人或其他组织·社会公益组织",
	ColLegalServices: "法人或其他组织·法律服务机构",
	ColOtherOrg:      "法人或其他组织·其他",
	ColTotal:         "总计",
}

// Row is a row of the application table.
type Row string

// Application rows, in document order.
const (
	RowNewReceived                   Row = "new_received"
	RowCarriedOver                   Row = "carried_over"
	RowGranted                       Row = "granted"
	RowPartiallyGranted              Row = "partially_granted"
	RowWithheldStateSecret           Row = "withheld.state_secret"
	RowWithheldProhibitedByLaw       Row = "withheld.prohibited_by_law"
	RowWithheldSecurityStability     Row = "withheld.security_stability"
	RowWithheldThirdPartyRights      Row = "withheld.third_party_rights"
	RowWithheldInternalAffairs       Row = "withheld.internal_affairs"
	RowWithheldProcessInfo           Row = "withheld.process_info"
	RowWithheldEnforcementFiles      Row = "withheld.enforcement_files"
	RowWithheldQueryMatters          Row = "withheld.query_matters"
	RowUnableNotHeld                 Row = "unable.not_held"
	RowUnableNeedsCreation           Row = "unable.needs_creation"
	RowUnableUnclearAfterCorrection  Row = "unable.unclear_after_correction"
	RowNotProcessedPetitionComplaint Row = "not_processed.petition_complaint"
	RowNotProcessedDuplicate         Row = "not_processed.duplicate"
	RowNotProcessedPublication       Row = "not_processed.publication"
	RowNotProcessedMassRepetitive    Row = "not_processed.mass_repetitive"
	RowNotProcessedConfirmReissue    Row = "not_processed.confirm_reissue"
	RowOther                         Row = "other"
	RowOtherNoCorrection             Row = "other.no_correction"
	RowOtherNoFeePaid                Row = "other.no_fee_paid"
	RowOtherOther                    Row = "other.other"
	RowTotal                         Row = "total"
	RowCarriedForward                Row = "carried_forward"
)

// RowLabels maps each row to its label (the leaf label; the group heading such as
// (三)不予公开 precedes the first row of its group).
var RowLabels = map[Row]string{
	RowNewReceived:                   "一、本年新收政府信息公开申请数量",
	RowCarriedOver:                   "二、上年结转政府信息公开申请数量",
	RowGranted:                       "（一）予以公开",
	RowPartiallyGranted:              "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
	RowWithheldStateSecret:           "1.属于国家秘密",
	RowWithheldProhibitedByLaw:       "2.其他法律行政法规禁止公开",
	RowWithheldSecurityStability:     "3.危及“三安全一稳定”",
	RowWithheldThirdPartyRights:      "4.保护第三方合法权益",
	RowWithheldInternalAffairs:       "5.属于三类内部事务信息",
	RowWithheldProcessInfo:           "6.属于四类过程性信息",
	RowWithheldEnforcementFiles:      "7.属于行政执法案卷",
	RowWithheldQueryMatters:          "8.属于行政查询事项",
	RowUnableNotHeld:                 "1.本机关不掌握相关政府信息",
	RowUnableNeedsCreation:           "2.没有现成信息需要另行制作",
	RowUnableUnclearAfterCorrection:  "3.补正后申请内容仍不明确",
	RowNotProcessedPetitionComplaint: "1.信访举报投诉类申请",
	RowNotProcessedDuplicate:         "2.重复申请",
	RowNotProcessedPublication:       "3.要求提供公开出版物",
	RowNotProcessedMassRepetitive:    "4.无正当理由大量反复申请",
	RowNotProcessedConfirmReissue:    "5.要求行政机关确认或重新出具已获取信息",
	RowOther:                         "（六）其他处理",
	RowOtherNoCorrection:             "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
	RowOtherNoFeePaid:                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
	RowOtherOther:                    "3.其他",
	RowTotal:                         "（七）总计",
	RowCarriedForward:                "四、结转下年度继续办理",
}

// RowGroupLabels are the group headings printed before the numbered rows of a group.
var RowGroupLabels = map[string]string{
	"outcomes":      "三、本年度办理结果",
	"withheld":      "（三）不予公开",
	"unable":        "（四）无法提供",
	"not_processed": "（五）不予处理",
	"other":         "（六）其他处理",
}

// AllRows lists every application row in document order (both templates' variants of
// (六)其他处理 included).
var AllRows = []Row{
	RowNewReceived, RowCarriedOver, RowGranted, RowPartiallyGranted,
	RowWithheldStateSecret, RowWithheldProhibitedByLaw, RowWithheldSecurityStability,
	RowWithheldThirdPartyRights, RowWithheldInternalAffairs, RowWithheldProcessInfo,
	RowWithheldEnforcementFiles, RowWithheldQueryMatters,
	RowUnableNotHeld, RowUnableNeedsCreation, RowUnableUnclearAfterCorrection,
	RowNotProcessedPetitionComplaint, RowNotProcessedDuplicate, RowNotProcessedPublication,
	RowNotProcessedMassRepetitive, RowNotProcessedConfirmReissue,
	RowOther, RowOtherNoCorrection, RowOtherNoFeePaid, RowOtherOther,
	RowTotal, RowCarriedForward,
}

// OtherRows2021 are the three (六)其他处理 rows of template 2021.
var OtherRows2021 = []Row{RowOtherNoCorrection, RowOtherNoFeePaid, RowOtherOther}

// OutcomeRows are the rows whose sum R3 compares with (七)总计, apart from (六)其他处理,
// which depends on the template (RowOther or OtherRows2021).
var OutcomeRows = []Row{
	RowGranted, RowPartiallyGranted,
	RowWithheldStateSecret, RowWithheldProhibitedByLaw, RowWithheldSecurityStability,
	RowWithheldThirdPartyRights, RowWithheldInternalAffairs, RowWithheldProcessInfo,
	RowWithheldEnforcementFiles, RowWithheldQueryMatters,
	RowUnableNotHeld, RowUnableNeedsCreation, RowUnableUnclearAfterCorrection,
	RowNotProcessedPetitionComplaint, RowNotProcessedDuplicate, RowNotProcessedPublication,
	RowNotProcessedMassRepetitive, RowNotProcessedConfirmReissue,
}

// Rows returns the application rows a template prints, in document order. For the
// mixed, legacy and unknown templates it returns every row.
func Rows(t Template) []Row {
	rows := make([]Row, 0, len(AllRows))
	for _, r := range AllRows {
		switch {
		case t == Template2019 && isOther2021(r):
		case t == Template2021 && r == RowOther:
		default:
			rows = append(rows, r)
		}
	}
	return rows
}

func isOther2021(r Row) bool {
	return r == RowOtherNoCorrection || r == RowOtherNoFeePaid || r == RowOtherOther
}

// ReviewGroup is a group of section 四 (行政复议, 行政诉讼).
type ReviewGroup string

// Section 四 groups, in document order.
const (
	GroupReview                ReviewGroup = "review"
	GroupLitigationDirect      ReviewGroup = "litigation_direct"
	GroupLitigationAfterReview ReviewGroup = "litigation_after_review"
)

// ReviewGroups lists the groups in document order.
var ReviewGroups = []ReviewGroup{GroupReview, GroupLitigationDirect, GroupLitigationAfterReview}

// ReviewGroupLabels maps each group to its label.
var ReviewGroupLabels = map[ReviewGroup]string{
	GroupReview:                "行政复议",
	GroupLitigationDirect:      "行政诉讼·未经复议直接起诉",
	GroupLitigationAfterReview: "行政诉讼·复议后起诉",
}

// Outcome is an outcome column of section 四.
type Outcome string

// Section 四 outcomes, in document order.
const (
	OutcomeUpheld    Outcome = "upheld"
	OutcomeCorrected Outcome = "corrected"
	OutcomeOther     Outcome = "other"
	OutcomePending   Outcome = "pending"
	OutcomeTotal     Outcome = "total"
)

// Outcomes lists the outcomes in document order.
var Outcomes = []Outcome{OutcomeUpheld, OutcomeCorrected, OutcomeOther, OutcomePending, OutcomeTotal}

// OutcomeLabels maps each outcome to its label.
var OutcomeLabels = map[Outcome]string{
	OutcomeUpheld:    "结果维持",
	OutcomeCorrected: "结果纠正",
	OutcomeOther:     "其他结果",
	OutcomePending:   "尚未审结",
	OutcomeTotal:     "总计",
}

// Item is an article 20 item of section 二 (主动公开政府信息情况).
type Item string

// Section 二 items, in document order.
const (
	ItemRegulations   Item = "regulations"
	ItemNormativeDocs Item = "normative_docs"
	ItemLicensing     Item = "licensing"
	ItemOtherServices Item = "other_services"
	ItemPenalty       Item = "penalty"
	ItemEnforcement   Item = "enforcement"
	ItemFees          Item = "fees"
	ItemProcurement   Item = "procurement"
)

// Items lists every item in document order.
var Items = []Item{ItemRegulations, ItemNormativeDocs, ItemLicensing, ItemOtherServices, ItemPenalty, ItemEnforcement, ItemFees, ItemProcurement}

// ItemLabels maps each item to its label.
var ItemLabels = map[Item]string{
	ItemRegulations:   "规章",
	ItemNormativeDocs: "规范性文件",
	ItemLicensing:     "行政许可",
	ItemOtherServices: "其他对外管理服务事项",
	ItemPenalty:       "行政处罚",
	ItemEnforcement:   "行政强制",
	ItemFees:          "行政事业性收费",
	ItemProcurement:   "政府集中采购",
}

// Metric is a measure of a section 二 item.
type Metric string

// Section 二 metrics.
const (
	MetricNewMade        Metric = "new_made"        // 2019: 本年新制作数量
	MetricNewPublished   Metric = "new_published"   // 2019: 本年新公开数量
	MetricTotalPublished Metric = "total_published" // 2019: 对外公开总数量
	MetricIssued         Metric = "issued"          // 2021: 本年制发件数
	MetricRepealed       Metric = "repealed"        // 2021: 本年废止件数
	MetricInForce        Metric = "in_force"        // 2021: 现行有效件数
	MetricPrevYear       Metric = "prev_year"       // 2019: 上一年项目数量
	MetricChange         Metric = "change"          // 2019: 本年增/减 (signed)
	MetricDecisions      Metric = "decisions"       // 处理决定数量 / 本年处理决定数量
	MetricItems          Metric = "items"           // 2019: 采购项目数量
	MetricAmount         Metric = "amount"          // money, stored in yuan
)

// Metrics lists every metric once, in the order the templates print them.
var Metrics = []Metric{
	MetricNewMade, MetricNewPublished, MetricTotalPublished,
	MetricIssued, MetricRepealed, MetricInForce,
	MetricPrevYear, MetricChange, MetricDecisions, MetricItems, MetricAmount,
}

// MetricLabels maps each metric to its label.
var MetricLabels = map[Metric]string{
	MetricNewMade:        "本年新制作数量",
	MetricNewPublished:   "本年新公开数量",
	MetricTotalPublished: "对外公开总数量",
	MetricIssued:         "本年制发件数",
	MetricRepealed:       "本年废止件数",
	MetricInForce:        "现行有效件数",
	MetricPrevYear:       "上一年项目数量",
	MetricChange:         "本年增/减",
	MetricDecisions:      "处理决定数量",
	MetricItems:          "采购项目数量",
	MetricAmount:         "金额",
}

// ItemMetric is one measure of one item.
type ItemMetric struct {
	Item   Item
	Metric Metric
}

// DisclosureLayout returns the items and metrics a template prints in section 二, in
// document order. Templates other than 2019 and 2021 have no fixed layout (nil).
func DisclosureLayout(t Template) []ItemMetric {
	var out []ItemMetric
	add := func(items []Item, metrics ...Metric) {
		for _, it := range items {
			for _, m := range metrics {
				out = append(out, ItemMetric{it, m})
			}
		}
	}
	switch t {
	case Template2019:
		add([]Item{ItemRegulations, ItemNormativeDocs}, MetricNewMade, MetricNewPublished, MetricTotalPublished)
		add([]Item{ItemLicensing, ItemOtherServices, ItemPenalty, ItemEnforcement}, MetricPrevYear, MetricChange, MetricDecisions)
		add([]Item{ItemFees}, MetricPrevYear, MetricChange)
		add([]Item{ItemProcurement}, MetricItems, MetricAmount)
	case Template2021:
		add([]Item{ItemRegulations, ItemNormativeDocs}, MetricIssued, MetricRepealed, MetricInForce)
		add([]Item{ItemLicensing, ItemPenalty, ItemEnforcement}, MetricDecisions)
		add([]Item{ItemFees}, MetricAmount)
	}
	return out
}

// IsMoney reports whether a metric is an amount of money (stored in yuan).
func (m Metric) IsMoney() bool { return m == MetricAmount }

// IsSigned reports whether a metric may be negative (a change over the year).
func (m Metric) IsSigned() bool { return m == MetricChange }
