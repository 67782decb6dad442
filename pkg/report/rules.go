package report

import (
	"fmt"
	"math"
	"strings"
)

// Rule names a consistency rule or a kind of extraction doubt.
type Rule string

// Rules checked on every report (R1–R4), across reports (R5–R6), and the extractor's
// own findings.
const (
	RuleR1 Rule = "R1" // 勾稽关系: new_received + carried_over = total + carried_forward, per column
	RuleR2 Rule = "R2" // row totals: r.total = Σ six applicant columns, per row
	RuleR3 Rule = "R3" // outcome total: total = Σ outcome rows, per column
	RuleR4 Rule = "R4" // section 四: total = upheld + corrected + other + pending, per group
	RuleR5 Rule = "R5" // carry-over across years (needs history)
	RuleR6 Rule = "R6" // stock of regulations and normative documents across years (needs history)

	RuleTextCell    Rule = "text_cell"    // words or an impossible value in a number cell
	RuleMissingCell Rule = "missing_cell" // a cell of the template not found in the document
	RuleUnplaced    Rule = "unplaced"     // values found that could not be placed
)

// Severity grades a finding.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // the arithmetic the template prints is broken
	SeverityWarning Severity = "warning" // a doubt about the document or the extraction
	SeverityInfo    Severity = "info"    // a rule could not be assessed
)

// Status says what a rule concluded.
type Status string

// Statuses.
const (
	StatusViolated      Status = "violated"       // the equation does not hold
	StatusNotAssessable Status = "not_assessable" // a text or missing cell prevents the check
	StatusFlagged       Status = "flagged"        // an extraction doubt, not an equation
)

// Finding is one result of a rule, with the cells it concerns.
type Finding struct {
	Rule     Rule     `json:"rule"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	// Scope names the instance of the rule: "col:natural_person", "row:granted",
	// "group:review", or "table" when a whole section is absent.
	Scope string `json:"scope"`
	// Cells are the addresses of every cell the rule read ("new_received.total").
	Cells []string `json:"cells"`
	// LHS and RHS are the two sides of the rule's equation (violations only).
	LHS float64 `json:"lhs"`
	RHS float64 `json:"rhs"`
	// BlankAsZero lists the blank cells counted as 0.
	BlankAsZero []string `json:"blank_as_zero,omitempty"`
	// Unassessable lists the text or missing cells that stopped the check.
	Unassessable []string `json:"unassessable,omitempty"`
	// Message says what was found, in English.
	Message string `json:"message"`
}

// CellAddr returns the address of an application cell: "row.col".
func CellAddr(r Row, c Col) string { return string(r) + "." + string(c) }

// ReviewAddr returns the address of a section 四 cell: "group.outcome".
func ReviewAddr(g ReviewGroup, o Outcome) string { return string(g) + "." + string(o) }

// DisclosureAddr returns the address of a section 二 cell: "item.metric".
func DisclosureAddr(i Item, m Metric) string { return string(i) + "." + string(m) }

// Check runs R1–R4 on a record and returns their findings in a fixed order (R1, R2,
// R3, R4; within a rule, in document order). It does not modify the record.
func Check(r *Record) []Finding {
	var out []Finding
	out = append(out, CheckR1(r.Applications)...)
	out = append(out, CheckR2(r.Applications, r.Template)...)
	out = append(out, CheckR3(r.Applications, r.Template)...)
	out = append(out, CheckR4(r.Review)...)
	return out
}

// TextCells returns a text_cell finding for every cell of the record that holds
// words instead of a number, in document order (section 三, 四, 二). Text is not an
// error of the rules — the rules it blocks say not_assessable — but analysts must
// hear that a number is missing.
func TextCells(r *Record) []Finding {
	var out []Finding
	flag := func(addr string, c Cell) {
		if c.State != StateText {
			return
		}
		msg := fmt.Sprintf("%s holds text, not a number: %q", addr, c.Raw)
		if c.Src != "" {
			msg += " (at " + c.Src + ")"
		}
		out = append(out, Finding{
			Rule: RuleTextCell, Severity: SeverityWarning, Status: StatusFlagged,
			Scope: addr, Cells: []string{addr}, Message: msg,
		})
	}
	for _, row := range AllRows {
		for _, c := range Cols {
			flag(CellAddr(row, c), r.Applications.Get(row, c))
		}
	}
	for _, g := range ReviewGroups {
		for _, o := range Outcomes {
			flag(ReviewAddr(g, o), r.Review.Get(g, o))
		}
	}
	for _, it := range Items {
		for _, m := range Metrics {
			flag(DisclosureAddr(it, m), r.Disclosure.Get(it, m))
		}
	}
	return out
}

// term is one cell of an equation side.
type term struct {
	addr string
	cell Cell
}

// side sums terms, noting blanks and unassessable cells.
type side struct {
	sum          float64
	cells        []string
	blanks       []string
	unassessable []string
	allMissing   bool
}

func sumSide(terms []term) side {
	s := side{allMissing: true}
	for _, t := range terms {
		s.cells = append(s.cells, t.addr)
		if t.cell.State != StateMissing && !t.cell.IsZero() {
			s.allMissing = false
		}
		v, ok := t.cell.Num()
		switch {
		case !ok:
			s.unassessable = append(s.unassessable, t.addr)
		case t.cell.State == StateBlank:
			s.blanks = append(s.blanks, t.addr)
		}
		s.sum += v
	}
	return s
}

// equation evaluates lhs = rhs and returns a finding when it does not hold or cannot
// be assessed, and whether every cell of it was missing.
func equation(rule Rule, scope string, lhs, rhs []term, describe string) (f Finding, report bool, allMissing bool) {
	l, r := sumSide(lhs), sumSide(rhs)
	cells := append(append([]string{}, l.cells...), r.cells...)
	blanks := append(append([]string{}, l.blanks...), r.blanks...)
	un := append(append([]string{}, l.unassessable...), r.unassessable...)
	f = Finding{Rule: rule, Scope: scope, Cells: cells}
	if l.allMissing && r.allMissing {
		return f, false, true
	}
	if len(un) > 0 {
		f.Severity, f.Status, f.Unassessable = SeverityInfo, StatusNotAssessable, un
		f.Message = fmt.Sprintf("%s (%s) not assessable: %s not a number", rule, scope, strings.Join(un, ", "))
		return f, true, false
	}
	if math.Abs(l.sum-r.sum) <= 1e-9*math.Max(1, math.Abs(l.sum)) {
		return f, false, false
	}
	f.Severity, f.Status = SeverityError, StatusViolated
	f.LHS, f.RHS, f.BlankAsZero = l.sum, r.sum, blanks
	f.Message = fmt.Sprintf("%s (%s): %s: %s ≠ %s", rule, scope, describe, formatNumber(l.sum), formatNumber(r.sum))
	if len(blanks) > 0 {
		f.Message += fmt.Sprintf(" (blank counted as 0: %s)", strings.Join(blanks, ", "))
	}
	return f, true, false
}

// collect runs a rule's equations and folds the case where the whole section is absent
// into a single not-assessable finding.
func collect(rule Rule, n int, eq func(i int) (Finding, bool, bool)) []Finding {
	var out []Finding
	missing := 0
	for i := 0; i < n; i++ {
		f, report, allMissing := eq(i)
		if allMissing {
			missing++
			continue
		}
		if report {
			out = append(out, f)
		}
	}
	if missing == n && n > 0 {
		return []Finding{{Rule: rule, Severity: SeverityInfo, Status: StatusNotAssessable, Scope: "table",
			Cells: []string{}, Message: fmt.Sprintf("%s not assessable: the table it checks was not found", rule)}}
	}
	return out
}

func appTerms(t ApplicationTable, c Col, rows ...Row) []term {
	out := make([]term, len(rows))
	for i, r := range rows {
		out[i] = term{CellAddr(r, c), cellOrMissing(t.Get(r, c))}
	}
	return out
}

func cellOrMissing(c Cell) Cell {
	if c.IsZero() {
		return Missing()
	}
	return c
}

// CheckR1 checks 勾稽关系 for every column: new_received + carried_over = total +
// carried_forward.
func CheckR1(t ApplicationTable) []Finding {
	return collect(RuleR1, len(Cols), func(i int) (Finding, bool, bool) {
		c := Cols[i]
		return equation(RuleR1, "col:"+string(c),
			appTerms(t, c, RowNewReceived, RowCarriedOver),
			appTerms(t, c, RowTotal, RowCarriedForward),
			"new_received + carried_over ≠ total + carried_forward")
	})
}

// CheckR2 checks that every row's total is the sum of its six applicant columns, for
// the rows the template prints.
func CheckR2(t ApplicationTable, tpl Template) []Finding {
	rows := rowsFor(t, tpl)
	return collect(RuleR2, len(rows), func(i int) (Finding, bool, bool) {
		r := rows[i]
		lhs := []term{{CellAddr(r, ColTotal), cellOrMissing(t.Get(r, ColTotal))}}
		rhs := make([]term, 0, len(ApplicantCols))
		for _, c := range ApplicantCols {
			rhs = append(rhs, term{CellAddr(r, c), cellOrMissing(t.Get(r, c))})
		}
		return equation(RuleR2, "row:"+string(r), lhs, rhs, "total ≠ sum of applicant columns")
	})
}

// CheckR3 checks, for every column, that (七)总计 equals the sum of the outcome rows.
// (六)其他处理 counts as one row in template 2019 and as its three sub-rows in 2021;
// for other templates the sub-rows are used when the table holds any of them.
func CheckR3(t ApplicationTable, tpl Template) []Finding {
	outcome := append(append([]Row{}, OutcomeRows...), otherRows(t, tpl)...)
	return collect(RuleR3, len(Cols), func(i int) (Finding, bool, bool) {
		c := Cols[i]
		return equation(RuleR3, "col:"+string(c),
			appTerms(t, c, RowTotal), appTerms(t, c, outcome...),
			"total ≠ sum of outcomes")
	})
}

// CheckR4 checks that each section 四 group's total is upheld + corrected + other +
// pending.
func CheckR4(t ReviewTable) []Finding {
	return collect(RuleR4, len(ReviewGroups), func(i int) (Finding, bool, bool) {
		g := ReviewGroups[i]
		lhs := []term{{ReviewAddr(g, OutcomeTotal), cellOrMissing(t.Get(g, OutcomeTotal))}}
		var rhs []term
		for _, o := range Outcomes[:4] {
			rhs = append(rhs, term{ReviewAddr(g, o), cellOrMissing(t.Get(g, o))})
		}
		return equation(RuleR4, "group:"+string(g), lhs, rhs, "total ≠ upheld + corrected + other + pending")
	})
}

func otherRows(t ApplicationTable, tpl Template) []Row {
	switch tpl {
	case Template2019:
		return []Row{RowOther}
	case Template2021:
		return OtherRows2021
	}
	for _, r := range OtherRows2021 {
		if t.HasRow(r) {
			return OtherRows2021
		}
	}
	return []Row{RowOther}
}

// rowsFor returns the rows R2 checks: the template's rows, with (六)其他处理 chosen as
// in R3 when the template does not fix it.
func rowsFor(t ApplicationTable, tpl Template) []Row {
	var out []Row
	other := otherRows(t, tpl)
	for _, r := range AllRows {
		if r == RowOther || isOther2021(r) {
			if r == other[0] {
				out = append(out, other...)
			}
			continue
		}
		out = append(out, r)
	}
	return out
}
