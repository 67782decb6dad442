package report

import (
	"reflect"
	"testing"
)

// filled returns a template-2019 application table with every cell 0.
func filled(tpl Template) ApplicationTable {
	t := ApplicationTable{}
	for _, r := range Rows(tpl) {
		for _, c := range Cols {
			t.Set(r, c, Number(0))
		}
	}
	return t
}

// setRow sets a row's six applicant columns and its total.
func setRow(t ApplicationTable, r Row, vals [6]float64) {
	var sum float64
	for i, c := range ApplicantCols {
		t.Set(r, c, Number(vals[i]))
		sum += vals[i]
	}
	t.Set(r, ColTotal, Number(sum))
}

type ruleSummary struct {
	Rule   Rule
	Status Status
	Scope  string
	LHS    float64
	RHS    float64
}

func summarize(fs []Finding) []ruleSummary {
	out := []ruleSummary{}
	for _, f := range fs {
		out = append(out, ruleSummary{f.Rule, f.Status, f.Scope, f.LHS, f.RHS})
	}
	return out
}

func TestRulesApplications(t *testing.T) {
	tests := []struct {
		name  string
		tpl   Template
		build func(ApplicationTable)
		want  []ruleSummary
	}{
		{
			name: "consistent 2019",
			tpl:  Template2019,
			build: func(a ApplicationTable) {
				setRow(a, RowNewReceived, [6]float64{10, 2, 0, 0, 1, 0})
				setRow(a, RowCarriedOver, [6]float64{1, 0, 0, 0, 0, 0})
				setRow(a, RowGranted, [6]float64{6, 1, 0, 0, 0, 0})
				setRow(a, RowUnableNotHeld, [6]float64{2, 1, 0, 0, 1, 0})
				setRow(a, RowOther, [6]float64{1, 0, 0, 0, 0, 0})
				setRow(a, RowTotal, [6]float64{9, 2, 0, 0, 1, 0})
				setRow(a, RowCarriedForward, [6]float64{2, 0, 0, 0, 0, 0})
			},
			want: []ruleSummary{},
		},
		{
			// Seed 000: 5 received and 5 granted by natural persons, (七)总计 left at 0.
			name: "seed 000 breaks R1 and R3",
			tpl:  Template2019,
			build: func(a ApplicationTable) {
				setRow(a, RowNewReceived, [6]float64{5, 0, 0, 0, 0, 0})
				setRow(a, RowGranted, [6]float64{5, 0, 0, 0, 0, 0})
			},
			want: []ruleSummary{
				{RuleR1, StatusViolated, "col:natural_person", 5, 0},
				{RuleR1, StatusViolated, "col:total", 5, 0},
				{RuleR3, StatusViolated, "col:natural_person", 0, 5},
				{RuleR3, StatusViolated, "col:total", 0, 5},
			},
		},
		{
			name: "row total wrong",
			tpl:  Template2021,
			build: func(a ApplicationTable) {
				a.Set(RowOtherOther, ColNaturalPerson, Number(3))
				a.Set(RowOtherOther, ColTotal, Number(2))
				setRow(a, RowNewReceived, [6]float64{3, 0, 0, 0, 0, 0})
				setRow(a, RowTotal, [6]float64{3, 0, 0, 0, 0, 0})
			},
			want: []ruleSummary{
				{RuleR2, StatusViolated, "row:other.other", 2, 3},
				{RuleR3, StatusViolated, "col:total", 3, 2},
			},
		},
		{
			name: "text cell makes R1 not assessable for its column only",
			tpl:  Template2019,
			build: func(a ApplicationTable) {
				a.Set(RowCarriedOver, ColCommercial, Text("见附件"))
			},
			want: []ruleSummary{
				{RuleR1, StatusNotAssessable, "col:commercial", 0, 0},
				{RuleR2, StatusNotAssessable, "row:carried_over", 0, 0},
			},
		},
		{
			name: "blank counts as zero",
			tpl:  Template2019,
			build: func(a ApplicationTable) {
				a.Set(RowCarriedOver, ColNaturalPerson, Blank("/"))
				a.Set(RowCarriedOver, ColTotal, Blank(""))
				a.Set(RowNewReceived, ColNaturalPerson, Number(1))
				a.Set(RowNewReceived, ColTotal, Number(1))
			},
			want: []ruleSummary{
				{RuleR1, StatusViolated, "col:natural_person", 1, 0},
				{RuleR1, StatusViolated, "col:total", 1, 0},
			},
		},
		{
			name:  "no table at all",
			tpl:   TemplateUnknown,
			build: func(a ApplicationTable) { clear(a) },
			want: []ruleSummary{
				{RuleR1, StatusNotAssessable, "table", 0, 0},
				{RuleR2, StatusNotAssessable, "table", 0, 0},
				{RuleR3, StatusNotAssessable, "table", 0, 0},
				{RuleR4, StatusNotAssessable, "table", 0, 0},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New()
			r.Template = tt.tpl
			r.Applications = filled(tt.tpl)
			tt.build(r.Applications)
			if tt.name != "no table at all" {
				for _, g := range ReviewGroups {
					for _, o := range Outcomes {
						r.Review.Set(g, o, Number(0))
					}
				}
			}
			got := summarize(Check(r))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("findings\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestR1FindingDetails(t *testing.T) {
	a := filled(Template2019)
	a.Set(RowCarriedOver, ColNaturalPerson, Blank("/"))
	a.Set(RowNewReceived, ColNaturalPerson, Number(4))
	fs := CheckR1(a)
	if len(fs) != 1 {
		t.Fatalf("want 1 finding, got %d: %+v", len(fs), fs)
	}
	f := fs[0]
	wantCells := []string{"new_received.natural_person", "carried_over.natural_person", "total.natural_person", "carried_forward.natural_person"}
	if !reflect.DeepEqual(f.Cells, wantCells) {
		t.Errorf("cells %v, want %v", f.Cells, wantCells)
	}
	if !reflect.DeepEqual(f.BlankAsZero, []string{"carried_over.natural_person"}) {
		t.Errorf("blank_as_zero %v", f.BlankAsZero)
	}
	if f.Severity != SeverityError || f.LHS != 4 || f.RHS != 0 {
		t.Errorf("finding %+v", f)
	}
	if f.Message == "" {
		t.Error("empty message")
	}
}

func TestR3Uses2021OtherRows(t *testing.T) {
	a := filled(Template2021)
	setRow(a, RowOtherNoFeePaid, [6]float64{0, 2, 0, 0, 0, 0})
	setRow(a, RowTotal, [6]float64{0, 2, 0, 0, 0, 0})
	if fs := CheckR3(a, Template2021); len(fs) != 0 {
		t.Fatalf("2021 other rows should count: %+v", fs)
	}
	// The same table read as 2019 ignores the sub-rows and sees (六) missing.
	fs := CheckR3(a, Template2019)
	if len(fs) != len(Cols) || fs[0].Status != StatusNotAssessable {
		t.Fatalf("2019 reading of a 2021 table: %+v", fs)
	}
	// Unknown template: the sub-rows are present, so they are used.
	if fs := CheckR3(a, TemplateUnknown); len(fs) != 0 {
		t.Fatalf("unknown template should use the sub-rows present: %+v", fs)
	}
}

func TestR4(t *testing.T) {
	rt := ReviewTable{}
	vals := map[ReviewGroup][5]float64{
		GroupReview:                {1, 2, 0, 1, 4},
		GroupLitigationDirect:      {0, 0, 0, 1, 2},
		GroupLitigationAfterReview: {0, 0, 0, 0, 0},
	}
	for g, v := range vals {
		for i, o := range Outcomes {
			rt.Set(g, o, Number(v[i]))
		}
	}
	rt.Set(GroupLitigationAfterReview, OutcomePending, Blank("—"))
	got := summarize(CheckR4(rt))
	want := []ruleSummary{{RuleR4, StatusViolated, "group:litigation_direct", 2, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v want %+v", got, want)
	}
}

func TestRowsPerTemplate(t *testing.T) {
	if n := len(Rows(Template2019)); n != 23 {
		t.Errorf("template 2019 prints 23 rows, got %d", n)
	}
	if n := len(Rows(Template2021)); n != 25 {
		t.Errorf("template 2021 prints 25 rows, got %d", n)
	}
	if n := len(DisclosureLayout(Template2019)); n != 6+12+2+2 {
		t.Errorf("template 2019 section 二 has 22 cells, got %d", n)
	}
	if n := len(DisclosureLayout(Template2021)); n != 6+3+1 {
		t.Errorf("template 2021 section 二 has 10 cells, got %d", n)
	}
}

func TestTextCells(t *testing.T) {
	r := New()
	r.Template = Template2021
	r.Applications = filled(Template2021)
	r.Applications.Set(RowGranted, ColResearch, Text("不详"))
	r.Review.Set(GroupReview, OutcomeTotal, Text("无"))
	r.Disclosure.Set(ItemFees, MetricAmount, Cell{State: StateText, Raw: "详见附表", Src: "t1:r9:c3"})
	r.Disclosure.Set(ItemRegulations, MetricIssued, Blank("/"))
	r.Disclosure.Set(ItemLicensing, MetricDecisions, Missing())

	got := TextCells(r)
	want := []string{"granted.research", "review.total", "fees.amount"}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want scopes %v", got, want)
	}
	for i, f := range got {
		if f.Rule != RuleTextCell || f.Status != StatusFlagged || f.Severity != SeverityWarning ||
			f.Scope != want[i] || !reflect.DeepEqual(f.Cells, []string{want[i]}) {
			t.Errorf("finding %d = %+v, want a flagged text_cell of %s", i, f, want[i])
		}
	}
	if msg := got[2].Message; msg != `fees.amount holds text, not a number: "详见附表" (at t1:r9:c3)` {
		t.Errorf("message %q", msg)
	}
	if fs := TextCells(New()); len(fs) != 0 {
		t.Errorf("empty record: %+v", fs)
	}
}
