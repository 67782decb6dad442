package dashboard

import (
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// The template's labels in English. Chinese labels are pkg/report's, as printed.
var (
	colEN = map[report.Col]string{
		report.ColNaturalPerson: "Natural persons", report.ColCommercial: "Businesses",
		report.ColResearch: "Research institutions", report.ColSocialWelfare: "Public-interest organisations",
		report.ColLegalServices: "Legal services", report.ColOtherOrg: "Other organisations", report.ColTotal: "Total",
	}
	rowEN = map[report.Row]string{
		report.RowNewReceived: "I. New requests this year", report.RowCarriedOver: "II. Carried over from last year",
		report.RowGranted: "(1) Granted", report.RowPartiallyGranted: "(2) Partially granted",
		report.RowWithheldStateSecret: "1. State secret", report.RowWithheldProhibitedByLaw: "2. Prohibited by other laws",
		report.RowWithheldSecurityStability: "3. Security and stability", report.RowWithheldThirdPartyRights: "4. Third-party rights",
		report.RowWithheldInternalAffairs: "5. Internal affairs", report.RowWithheldProcessInfo: "6. Process information",
		report.RowWithheldEnforcementFiles: "7. Enforcement case files", report.RowWithheldQueryMatters: "8. Administrative queries",
		report.RowUnableNotHeld: "1. Not held by this body", report.RowUnableNeedsCreation: "2. Would need to be created",
		report.RowUnableUnclearAfterCorrection:  "3. Still unclear after correction",
		report.RowNotProcessedPetitionComplaint: "1. Petitions and complaints", report.RowNotProcessedDuplicate: "2. Duplicate requests",
		report.RowNotProcessedPublication: "3. Published material", report.RowNotProcessedMassRepetitive: "4. Mass repetitive requests",
		report.RowNotProcessedConfirmReissue: "5. Confirmation or reissue",
		report.RowOther:                      "(6) Other handling", report.RowOtherNoCorrection: "1. No correction in time",
		report.RowOtherNoFeePaid: "2. Fee not paid in time", report.RowOtherOther: "3. Other",
		report.RowTotal: "(7) Total", report.RowCarriedForward: "IV. Carried forward to next year",
	}
	groupEN = map[string]string{
		"outcomes": "III. Outcomes this year", "withheld": "(3) Withheld", "unable": "(4) Unable to provide",
		"not_processed": "(5) Not processed", "other": "(6) Other handling",
	}
	outcomeEN = map[report.Outcome]string{
		report.OutcomeUpheld: "Upheld", report.OutcomeCorrected: "Corrected", report.OutcomeOther: "Other result",
		report.OutcomePending: "Pending", report.OutcomeTotal: "Total",
	}
	itemEN = map[report.Item]string{
		report.ItemRegulations: "Regulations", report.ItemNormativeDocs: "Normative documents", report.ItemLicensing: "Licensing",
		report.ItemOtherServices: "Other services", report.ItemPenalty: "Penalties", report.ItemEnforcement: "Coercive measures",
		report.ItemFees: "Administrative fees", report.ItemProcurement: "Central procurement",
	}
	metricEN = map[report.Metric]string{
		report.MetricNewMade: "made this year", report.MetricNewPublished: "published this year",
		report.MetricTotalPublished: "published in total", report.MetricIssued: "issued this year",
		report.MetricRepealed: "repealed this year", report.MetricInForce: "in force", report.MetricPrevYear: "previous year",
		report.MetricChange: "change", report.MetricDecisions: "decisions", report.MetricItems: "projects",
		report.MetricAmount: "amount (yuan)",
	}
)

// pick returns the English label when lang is English and there is one.
func pick(lang, zh, en string) string {
	if lang == LangEN && en != "" {
		return en
	}
	return zh
}

func colLabel(lang string, c report.Col) string { return pick(lang, report.ColLabels[c], colEN[c]) }
func rowLabel(lang string, r report.Row) string { return pick(lang, report.RowLabels[r], rowEN[r]) }
func outcomeLabel(lang string, o report.Outcome) string {
	return pick(lang, report.OutcomeLabels[o], outcomeEN[o])
}
func itemLabel(lang string, i report.Item) string { return pick(lang, report.ItemLabels[i], itemEN[i]) }
func metricLabel(lang string, m report.Metric) string {
	return pick(lang, report.MetricLabels[m], metricEN[m])
}

// rowHeading returns the group heading printed before row r (三、本年度办理结果
// before 予以公开, (三)不予公开 before its first reason, …), or "".
func rowHeading(lang string, r report.Row) string {
	switch {
	case r == report.RowGranted:
		return pick(lang, report.RowGroupLabels["outcomes"], groupEN["outcomes"])
	case r == report.RowWithheldStateSecret, r == report.RowUnableNotHeld, r == report.RowNotProcessedPetitionComplaint,
		r == report.RowOtherNoCorrection:
		g, _, _ := strings.Cut(string(r), ".")
		return pick(lang, report.RowGroupLabels[g], groupEN[g])
	}
	return ""
}
