package sections

import (
	"fmt"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// Result is what the sections of one document hold.
type Result struct {
	// Applications is section 三.
	Applications report.ApplicationTable
	// Review is section 四.
	Review report.ReviewTable
	// Disclosure is section 二.
	Disclosure report.DisclosureTable
	// Shows lists, per template, the labels that proved the document uses it.
	Shows map[report.Template][]string
	// ExpectedDisclosure are the section 二 cells the blocks found should hold
	// according to their template layout (a block's items that are absent included).
	ExpectedDisclosure []report.ItemMetric
	// Unplaced are values found in a section that could not be given a cell.
	Unplaced []Unplaced
	// Cells counts the cells placed, per section (2, 3, 4).
	Cells map[int]int
}

// Unplaced is a run of values that could not be placed, and why.
type Unplaced struct {
	Section int
	Reason  string
	Srcs    []string
	Raws    []string
}

// String renders the unplaced values for a finding's message.
func (u Unplaced) String() string {
	parts := make([]string, len(u.Raws))
	for i := range u.Raws {
		parts[i] = fmt.Sprintf("%q@%s", u.Raws[i], u.Srcs[i])
	}
	const max = 20
	more := ""
	if len(parts) > max {
		more = fmt.Sprintf(" and %d more", len(parts)-max)
		parts = parts[:max]
	}
	return fmt.Sprintf("section %d: %s: %s%s", u.Section, u.Reason, strings.Join(parts, ", "), more)
}

// Template returns the template the labels show: 2019, 2021, mixed when both were
// seen, or unknown when neither was.
func (r *Result) Template() report.Template {
	has19, has21 := len(r.Shows[report.Template2019]) > 0, len(r.Shows[report.Template2021]) > 0
	switch {
	case has19 && has21:
		return report.TemplateMixed
	case has21:
		return report.Template2021
	case has19:
		return report.Template2019
	}
	return report.TemplateUnknown
}

// Total returns the number of cells placed in all sections.
func (r *Result) Total() int {
	n := 0
	for _, c := range r.Cells {
		n += c
	}
	return n
}

func (r *Result) show(t report.Template, label string) {
	for _, l := range r.Shows[t] {
		if l == label {
			return
		}
	}
	r.Shows[t] = append(r.Shows[t], label)
}
