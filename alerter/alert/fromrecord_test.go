package alert

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// seed000 builds the arithmetic of seed 000: 5 applications received and granted by
// natural persons, (七)总计 left at 0.
func seed000() *report.Record {
	r := report.New()
	r.Template = report.Template2019
	r.Meta = report.Meta{DocID: "doc000", Body: "德惠市岔路口镇人民政府", Year: 2020, SourceURL: "http://www.dehui.gov.cn/a.html",
		ContentSHA256: "abc", Region: report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		ExtractedAt: time.Unix(100, 0)}
	for _, row := range report.Rows(report.Template2019) {
		for _, c := range report.Cols {
			r.Applications.Set(row, c, report.Number(0))
		}
	}
	for _, row := range []report.Row{report.RowNewReceived, report.RowGranted} {
		r.Applications.Set(row, report.ColNaturalPerson, report.Number(5))
		r.Applications.Set(row, report.ColTotal, report.Number(5))
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			r.Review.Set(g, o, report.Number(0))
		}
	}
	r.Applications.Set(report.RowCarriedOver, report.ColResearch, report.Text("见附件"))
	r.Findings = append(report.Check(r), report.Finding{Rule: report.RuleTextCell, Severity: report.SeverityWarning,
		Status: report.StatusFlagged, Scope: "cell", Cells: []string{"carried_over.research"}, Message: "text in a number cell"})
	return r
}

func TestFromRecordSeed000(t *testing.T) {
	rec := seed000()
	enabled := map[report.Rule]bool{report.RuleR1: true, report.RuleR2: true, report.RuleR3: true, report.RuleR4: true, report.RuleTextCell: true}
	alerts := FromRecord(rec, enabled, time.Unix(200, 0))
	var got []string
	for _, a := range alerts {
		got = append(got, string(a.Rule)+" "+a.Scope+" "+strings.Join(a.CellValues, ","))
	}
	want := []string{
		"R1 col:natural_person 5,0,0,0",
		"R1 col:total 5,0,0,0",
		"R3 col:natural_person 0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
		"R3 col:total 0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
		`text_cell cell text("见附件")`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alerts\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	a := alerts[0]
	if a.Cells[0] != "new_received.natural_person" || a.Body != "德惠市岔路口镇人民政府" || a.Year != 2020 || a.Region.Code != "220183" {
		t.Errorf("alert %+v", a)
	}
	if !strings.Contains(a.MessageZH, "自然人") || !strings.Contains(a.MessageZH, "5") || !strings.Contains(a.MessageEN, "R1") {
		t.Errorf("messages %q / %q", a.MessageZH, a.MessageEN)
	}
	// Not-assessable findings raise nothing (R2 over the text cell's row).
	for _, a := range alerts {
		if a.Rule == report.RuleR2 {
			t.Errorf("not-assessable R2 raised an alert: %+v", a)
		}
	}
	// Same record, same IDs; another version of the document, other IDs.
	again := FromRecord(rec, enabled, time.Unix(300, 0))
	if again[0].ID != a.ID {
		t.Error("alert ID not stable")
	}
	rec.Meta.ContentSHA256 = "def"
	if FromRecord(rec, enabled, time.Unix(300, 0))[0].ID == a.ID {
		t.Error("a changed document kept the old alert ID")
	}
	// Disabled rules raise nothing.
	if n := len(FromRecord(rec, map[report.Rule]bool{report.RuleR4: true}, time.Now())); n != 0 {
		t.Errorf("%d alerts with only R4 enabled", n)
	}
}

// TestFromRecordUnreadable: a report whose application table was not read at all
// raises unreadable_table; values that could not be placed raise unplaced; a
// readable table raises neither.
func TestFromRecordUnreadable(t *testing.T) {
	enabled := map[report.Rule]bool{RuleUnreadableTable: true, report.RuleUnplaced: true}
	rec := report.New()
	rec.Template = report.TemplateLegacy
	rec.Meta = report.Meta{DocID: "d", Body: "某镇人民政府", Year: 2023, ContentSHA256: "x"}
	rec.Applications.Set(report.RowNewReceived, report.ColTotal, report.Missing())
	rec.Findings = []report.Finding{{Rule: report.RuleUnplaced, Severity: report.SeverityWarning, Status: report.StatusFlagged,
		Scope: "section:3", Cells: []string{}, Message: "values not placed: 3 7 0"}}
	var got []string
	for _, a := range FromRecord(rec, enabled, time.Unix(1, 0)) {
		got = append(got, string(a.Rule)+" "+a.Scope)
		if a.MessageZH == "" || !strings.Contains(a.MessageEN, "section 3") && !strings.Contains(a.MessageEN, "section:3") {
			t.Errorf("%s messages %q / %q", a.Rule, a.MessageZH, a.MessageEN)
		}
	}
	if strings.Join(got, ",") != "unplaced section:3,unreadable_table section:3" {
		t.Errorf("alerts %v", got)
	}
	rec.Applications.Set(report.RowNewReceived, report.ColTotal, report.Number(3))
	rec.Findings = nil
	if a := FromRecord(rec, enabled, time.Unix(1, 0)); len(a) != 0 {
		t.Errorf("a read table raised %+v", a)
	}
}

// TestMarshalDropsNonFiniteEvidence: an alert whose evidence holds an infinite
// ratio still encodes, without that figure.
func TestMarshalDropsNonFiniteEvidence(t *testing.T) {
	a := Alert{ID: "x", Evidence: map[string]float64{"ratio": math.Inf(1), "z": math.NaN(), "received": 40}}
	b, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"evidence":{"received":40}`) {
		t.Errorf("encoded %s", b)
	}
	if len(a.Evidence) != 3 {
		t.Error("Marshal changed the alert's evidence")
	}
}
