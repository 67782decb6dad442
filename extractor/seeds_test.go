package extractor

import (
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// seedDir holds the real reports shared with the project (copies of
// ../shared/seeds, under their own names).
const seedDir = "testdata/seeds"

func parseSeed(t *testing.T, prefix string) *report.Record {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if len(files) != 1 {
		t.Fatalf("seed %s not found in %s", prefix, seedDir)
	}
	u, err := FileURL(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, Input{URL: u, Body: readFile(t, files[0]), ContentType: "text/plain"})
}

func statesOf(r *report.Record) map[string]map[report.State]int {
	out := map[string]map[report.State]int{"applications": {}, "review": {}, "disclosure": {}}
	for _, cols := range r.Applications {
		for _, c := range cols {
			out["applications"][c.State]++
		}
	}
	for _, os := range r.Review {
		for _, c := range os {
			out["review"][c.State]++
		}
	}
	for _, ms := range r.Disclosure {
		for _, c := range ms {
			out["disclosure"][c.State]++
		}
	}
	return out
}

func findings(r *report.Record, rule report.Rule) []report.Finding {
	var out []report.Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestSeeds asserts what each real seed certainly says, read by hand.
func TestSeeds(t *testing.T) {
	t.Run("000 one cell per line, breaks R1 and R3", func(t *testing.T) {
		r := parseSeed(t, "000")
		if r.Meta.Body != "德惠市岔路口镇人民政府" || r.Meta.Year != 2020 || r.Meta.Level != report.LevelTownship || r.Template != report.Template2019 {
			t.Errorf("meta %+v template %s", r.Meta, r.Template)
		}
		for addr, want := range map[[2]string]float64{
			{"new_received", "natural_person"}: 5, {"new_received", "total"}: 5,
			{"granted", "natural_person"}: 5, {"granted", "total"}: 5,
			{"total", "total"}: 0, {"carried_forward", "total"}: 0, {"other", "natural_person"}: 0,
		} {
			if c := r.Applications.Get(report.Row(addr[0]), report.Col(addr[1])); c.State != report.StateNumber || c.Value != want {
				t.Errorf("%s.%s = %v, want %v", addr[0], addr[1], c, want)
			}
		}
		if c := r.Applications.Get(report.RowNewReceived, report.ColNaturalPerson); c.Src != "l103" {
			t.Errorf("new_received.natural_person from %s, want l103", c.Src)
		}
		st := statesOf(r)
		if st["applications"][report.StateNumber] != 161 || st["review"][report.StateNumber] != 15 || st["disclosure"][report.StateNumber] != 22 {
			t.Errorf("states %v", st)
		}
		var got []string
		for _, f := range r.Findings {
			got = append(got, string(f.Rule)+" "+f.Scope+" "+string(f.Status))
		}
		want := []string{
			"R1 col:natural_person violated", "R1 col:total violated",
			"R3 col:natural_person violated", "R3 col:total violated",
		}
		if len(got) != len(want) {
			t.Fatalf("findings %q", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("finding %d: %q, want %q", i, got[i], want[i])
			}
		}
	})
	t.Run("001 traditional characters, | separators, empty carried_forward", func(t *testing.T) {
		r := parseSeed(t, "001")
		if r.Meta.Year != 2020 || r.Meta.PublishedAt != "2021-01-25" || r.Meta.Level != report.LevelTownship || r.Template != report.Template2019 {
			t.Errorf("meta %+v template %s", r.Meta, r.Template)
		}
		st := statesOf(r)
		// 22 rows of zeros read; 四、結轉下年度繼續辦理 has seven empty cells: blanks.
		if st["applications"][report.StateNumber] != 154 || st["applications"][report.StateBlank] != 7 ||
			st["review"][report.StateNumber] != 15 || st["disclosure"][report.StateNumber] != 22 {
			t.Errorf("states %v", st)
		}
		if c := r.Applications.Get(report.RowNotProcessedConfirmReissue, report.ColTotal); c.State != report.StateNumber || c.Src != "l504" {
			t.Errorf("not_processed.confirm_reissue.total %+v", c)
		}
		if c := r.Applications.Get(report.RowCarriedForward, report.ColTotal); c.State != report.StateBlank || c.Src != "l544" {
			t.Errorf("carried_forward.total %+v", c)
		}
		// R1 holds with the blanks counted as 0: no finding at all.
		if len(r.Findings) != 0 {
			t.Errorf("findings %+v", r.Findings)
		}
	})
	t.Run("002 lost labels placed by position", func(t *testing.T) {
		r := parseSeed(t, "002")
		if r.Meta.Body != "东双河镇" || r.Meta.Year != 2019 {
			t.Errorf("meta %+v", r.Meta)
		}
		st := statesOf(r)
		if st["applications"][report.StateNumber] != 161 || st["review"][report.StateNumber] != 15 || st["disclosure"][report.StateNumber] != 22 {
			t.Errorf("states %v", st)
		}
		// new_received, carried_over and carried_forward keep their labels; the 20
		// outcome rows between them lost theirs and are placed by position.
		positional := 0
		for _, row := range report.Rows(report.Template2019) {
			for _, col := range report.Cols {
				c := r.Applications.Get(row, col)
				if c.ByPosition {
					positional++
				}
				labelled := row == report.RowNewReceived || row == report.RowCarriedOver || row == report.RowCarriedForward
				if c.ByPosition == labelled {
					t.Errorf("%s.%s by_position %v", row, col, c.ByPosition)
				}
			}
		}
		if c := r.Applications.Get(report.RowGranted, report.ColNaturalPerson); c.Src != "l129" {
			t.Errorf("granted.natural_person from %s, want l129 (l128 is the stray cell)", c.Src)
		}
		if positional != 140 || len(findings(r, report.RuleUnplaced)) != 1 || r.Confidence >= 0.7 {
			t.Errorf("%d by position, %d unplaced findings, confidence %v", positional, len(findings(r, report.RuleUnplaced)), r.Confidence)
		}
	})
	t.Run("003 tab rows, mixed template, amount in 万", func(t *testing.T) {
		r := parseSeed(t, "003")
		if r.Template != report.TemplateMixed || r.Meta.Body != "高新区(近海镇)" || r.Meta.Year != 2020 {
			t.Errorf("template %s meta %+v", r.Template, r.Meta)
		}
		for _, tc := range []struct {
			it   report.Item
			m    report.Metric
			v    float64
			unit report.Unit
		}{
			{report.ItemNormativeDocs, report.MetricIssued, 4, ""},
			{report.ItemNormativeDocs, report.MetricInForce, 12, ""},
			{report.ItemLicensing, report.MetricChange, 8, ""},
			{report.ItemProcurement, report.MetricItems, 20, ""},
			{report.ItemProcurement, report.MetricAmount, 25000000, report.UnitWan},
		} {
			if c := r.Disclosure.Get(tc.it, tc.m); c.State != report.StateNumber || c.Value != tc.v || c.Unit != tc.unit {
				t.Errorf("%s.%s = %+v", tc.it, tc.m, c)
			}
		}
		// The 2021 block lists 规章 too; this document has no 规章 row.
		if c := r.Disclosure.Get(report.ItemRegulations, report.MetricIssued); c.State != report.StateMissing {
			t.Errorf("regulations.issued %+v", c)
		}
		st := statesOf(r)
		if st["applications"][report.StateNumber] != 161 || st["review"][report.StateNumber] != 15 {
			t.Errorf("states %v", st)
		}
	})
	t.Run("004 prose then tables, amount without unit", func(t *testing.T) {
		r := parseSeed(t, "004")
		if r.Meta.Body != "金瑞镇" || r.Meta.Year != 2019 || r.Template != report.Template2019 {
			t.Errorf("meta %+v template %s", r.Meta, r.Template)
		}
		c := r.Disclosure.Get(report.ItemProcurement, report.MetricAmount)
		if c.State != report.StateNumber || c.Value != 41521.5 || c.Unit != report.UnitUnknown {
			t.Errorf("procurement.amount %+v", c)
		}
		if c := r.Disclosure.Get(report.ItemProcurement, report.MetricItems); c.Value != 5 {
			t.Errorf("procurement.items %+v", c)
		}
		st := statesOf(r)
		if st["applications"][report.StateNumber] != 161 || st["review"][report.StateNumber] != 15 || st["disclosure"][report.StateNumber] != 22 {
			t.Errorf("states %v", st)
		}
		if len(r.Findings) != 0 {
			t.Errorf("findings %+v", r.Findings)
		}
	})
}
