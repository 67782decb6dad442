package warehouse

// Tables created by the migrations. Other stages use these names.
const (
	TableReports          = "reports"
	TableApplicationCells = "application_cells"
	TableReviewCells      = "review_cells"
	TableDisclosureCells  = "disclosure_cells"
	TableRawDocuments     = "raw_documents"
	TableFindings         = "findings"
	TableAlerts           = "alerts"
)

// Views returning one current row per key.
const (
	ViewReportsCurrent          = "reports_current"
	ViewApplicationCellsCurrent = "application_cells_current"
	ViewReviewCellsCurrent      = "review_cells_current"
	ViewDisclosureCellsCurrent  = "disclosure_cells_current"
	ViewFindingsCurrent         = "findings_current"
	ViewRawDocumentsCurrent     = "raw_documents_current"
	ViewAlertsCurrent           = "alerts_current"
)

// Tables lists the tables (the facts and the division table); Views the
// current-row views.
var (
	Tables = []string{TableReports, TableApplicationCells, TableReviewCells, TableDisclosureCells, TableRawDocuments, TableFindings, TableAlerts, TableDivisions}
	Views  = []string{ViewReportsCurrent, ViewApplicationCellsCurrent, ViewReviewCellsCurrent, ViewDisclosureCellsCurrent, ViewFindingsCurrent, ViewRawDocumentsCurrent, ViewAlertsCurrent}
)

// Analyst views (migration 0002): one primary copy per report and the figures the
// national questions need, by province, level and year. See docs/analytics.md.
const (
	ViewReportsPrimary       = "reports_primary"
	ViewApplicationsByReport = "applications_by_report"
	ViewApplicationsByRegion = "applications_by_region"
	ViewOutcomeShares        = "outcome_shares"
	ViewOutcomeReasons       = "outcome_reasons"
	ViewApplicantMix         = "applicant_mix"
	ViewReviewOutcomes       = "review_outcomes"
	ViewRuleFailures         = "rule_failures"
	ViewMissingReports       = "missing_reports"
	// Migration 0003.
	ViewDivisionsCurrent = "divisions_current"
	ViewReportsByRegion  = "reports_by_region"
)

// AnalystViews lists the analyst views.
var AnalystViews = []string{
	ViewReportsPrimary, ViewApplicationsByReport, ViewApplicationsByRegion, ViewOutcomeShares,
	ViewOutcomeReasons, ViewApplicantMix, ViewReviewOutcomes, ViewRuleFailures, ViewMissingReports,
	ViewDivisionsCurrent, ViewReportsByRegion,
}
