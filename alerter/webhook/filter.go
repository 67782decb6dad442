package webhook

import "github.com/govreport/govreport/alerter/alert"

// accepts says whether an alert passes the endpoint's filter: its rules, its
// minimum severity, and whether it wants resolved notices.
func (e *Endpoint) accepts(a *alert.Alert) bool {
	if a.Status == alert.StatusResolved && !e.SendResolved {
		return false
	}
	if alertRank(a.Severity) < severityRank[e.MinSeverity] {
		return false
	}
	if len(e.Rules) == 0 {
		return true
	}
	for _, r := range e.Rules {
		if r == a.Rule {
			return true
		}
	}
	return false
}

// alertRank grades an alert's severity; an unknown severity counts as info, so
// that it is delivered rather than filtered out unseen.
func alertRank(s string) int {
	if r := severityRank[s]; r > 0 {
		return r
	}
	return severityRank[alert.SeverityInfo]
}
