package loader

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)

// render prints every row of every table, one line per row, for goldens.
func render(r *Rows) string {
	var b strings.Builder
	for _, t := range r.tables() {
		for i := 0; i < t.rows; i++ {
			fmt.Fprintf(&b, "%s[%d]", t.name, i)
			for _, c := range t.columns {
				fmt.Fprintf(&b, " %s=%s", c.name, renderValue(reflect.ValueOf(c.values).Index(i)))
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func renderValue(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "NULL"
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v.Interface())
}

// smallRecord has one cell of every state, for the golden.
func smallRecord() *report.Record {
	r := report.New()
	r.Template = report.Template2021
	r.Meta = report.Meta{
		DocID: "d1", SourceURL: "http://www.example.gov.cn/a.html", Site: "ex", Body: "某县人民政府办公室",
		Title: "2023年报告", Year: 2023, Level: report.LevelCounty,
		Region:      report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		PublishedAt: "2024-01-25", ContentSHA256: "ab", ParserVersion: "p1", ExtractedAt: t0,
	}
	pos := report.Number(3)
	pos.ByPosition, pos.Src = true, "t3:r2:c1"
	r.Applications.Set(report.RowNewReceived, report.ColNaturalPerson, pos)
	r.Applications.Set(report.RowNewReceived, report.ColTotal, report.Number(3))
	r.Applications.Set(report.RowCarriedOver, report.ColNaturalPerson, report.Blank("/"))
	r.Applications.Set(report.RowGranted, report.ColNaturalPerson, report.Text("见附件"))
	r.Applications.Set(report.RowTotal, report.ColNaturalPerson, report.Missing())
	r.Review.Set(report.GroupReview, report.OutcomeTotal, report.Number(0))
	amount := report.Number(25000000)
	amount.Raw, amount.Unit = "2500 万", report.UnitWan
	r.Disclosure.Set(report.ItemFees, report.MetricAmount, amount)
	r.Disclosure.Set(report.ItemLicensing, report.MetricDecisions, report.Blank("—"))
	r.Findings = []report.Finding{
		{Rule: report.RuleR1, Severity: report.SeverityError, Status: report.StatusViolated, Scope: "col:natural_person",
			Cells: []string{"new_received.natural_person", "carried_over.natural_person"}, LHS: 3, RHS: 0,
			BlankAsZero: []string{"carried_over.natural_person"}, Message: "R1 broken"},
		{Rule: report.RuleR3, Severity: report.SeverityInfo, Status: report.StatusNotAssessable, Scope: "table", Message: "no table"},
	}
	r.Confidence = 0.5
	return r
}

func TestConvertGolden(t *testing.T) {
	var rows Rows
	if err := rows.AddRecord(smallRecord(), nil); err != nil {
		t.Fatal(err)
	}
	if err := rows.AddRejection(testRejection("d2", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	got := render(&rows)
	// The record column holds the whole JSON: check it decodes, then keep it short.
	if rec, err := report.Unmarshal([]byte(rows.reports.record[0])); err != nil || rec.Meta.DocID != "d1" {
		t.Fatalf("reports.record does not decode: %v", err)
	}
	got = strings.Replace(got, fmt.Sprintf("%q", rows.reports.record[0]), `"<record json>"`, 1)
	p := filepath.Join("testdata", "convert.golden")
	if *update {
		os.WriteFile(p, []byte(got), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("rows differ from %s:\n%s", p, got)
	}
}

func TestConvertCounts(t *testing.T) {
	tests := []struct {
		tpl                     report.Template
		app, review, disclosure int
	}{
		{report.Template2019, len(report.Rows(report.Template2019)) * 7, 15, len(report.DisclosureLayout(report.Template2019))},
		{report.Template2021, len(report.Rows(report.Template2021)) * 7, 15, len(report.DisclosureLayout(report.Template2021))},
	}
	for _, tt := range tests {
		t.Run(string(tt.tpl), func(t *testing.T) {
			rec := testRecord("doc-"+string(tt.tpl), tt.tpl, t0, 1)
			var rows Rows
			if err := rows.AddRecord(rec, nil); err != nil {
				t.Fatal(err)
			}
			want := RowCounts{
				warehouse.TableReports: 1, warehouse.TableRawDocuments: 1, warehouse.TableApplicationCells: tt.app,
				warehouse.TableReviewCells: tt.review, warehouse.TableDisclosureCells: tt.disclosure,
				warehouse.TableFindings: len(rec.Findings),
			}
			if got := rows.Counts(); !reflect.DeepEqual(got, want) {
				t.Fatalf("counts %v, want %v", got, want)
			}
			if rows.Len() != want.Total() {
				t.Errorf("Len %d, want %d", rows.Len(), want.Total())
			}
			// Values are NULL exactly when the state is not number, and equal otherwise.
			a := &rows.application
			for i := range a.row {
				c := rec.Applications.Get(report.Row(a.row[i]), report.Col(a.col[i]))
				if (a.value[i] == nil) != (c.State != report.StateNumber) || a.state[i] != string(c.State) {
					t.Fatalf("%s.%s: value %v state %s for cell %v", a.row[i], a.col[i], a.value[i], a.state[i], c)
				}
				if a.value[i] != nil && float64(*a.value[i]) != c.Value {
					t.Fatalf("%s.%s: value %d, want %v", a.row[i], a.col[i], *a.value[i], c.Value)
				}
			}
			errorsN := 0
			for _, f := range rec.Findings {
				if f.Severity == report.SeverityError {
					errorsN++
				}
			}
			if rows.reports.findingsErrors[0] != uint16(errorsN) || rows.reports.findingsTotal[0] != uint16(len(rec.Findings)) {
				t.Errorf("findings errors/total %d/%d, want %d/%d", rows.reports.findingsErrors[0], rows.reports.findingsTotal[0], errorsN, len(rec.Findings))
			}
			// Two findings share rule and scope: seq keeps them apart.
			seen := map[string]bool{}
			f := &rows.findings
			for i := range f.rule {
				k := fmt.Sprint(f.rule[i], f.scope[i], f.seq[i])
				if seen[k] {
					t.Fatalf("duplicate finding key %s", k)
				}
				seen[k] = true
			}
		})
	}
}

func TestConvertRejects(t *testing.T) {
	tests := map[string]func(r *report.Record){
		"fractional application value": func(r *report.Record) {
			r.Applications.Set(report.RowGranted, report.ColTotal, report.Number(2.5))
		},
		"huge application value": func(r *report.Record) {
			r.Applications.Set(report.RowGranted, report.ColTotal, report.Number(1e19))
		},
		"fractional review value": func(r *report.Record) {
			r.Review.Set(report.GroupReview, report.OutcomeUpheld, report.Number(0.5))
		},
		"blank with a value": func(r *report.Record) {
			r.Applications.Set(report.RowGranted, report.ColTotal, report.Cell{State: report.StateBlank, Value: 3})
		},
		"no state": func(r *report.Record) {
			r.Applications.Set(report.RowGranted, report.ColTotal, report.Cell{})
		},
		"infinite amount": func(r *report.Record) {
			r.Disclosure.Set(report.ItemFees, report.MetricAmount, report.Number(math.Inf(1)))
		},
		"unknown row": func(r *report.Record) {
			r.Applications.Set(report.Row("granted_twice"), report.ColTotal, report.Number(1))
		},
		"unknown metric": func(r *report.Record) {
			r.Disclosure.Set(report.ItemFees, report.Metric("amount_usd"), report.Number(1))
		},
		"unknown template":   func(r *report.Record) { r.Template = "2030" },
		"no doc id":          func(r *report.Record) { r.Meta.DocID = "" },
		"no extracted_at":    func(r *report.Record) { r.Meta.ExtractedAt = time.Time{} },
		"extracted in 1960":  func(r *report.Record) { r.Meta.ExtractedAt = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC) },
		"bad published_at":   func(r *report.Record) { r.Meta.PublishedAt = "2024年1月25日" },
		"published_at 1900":  func(r *report.Record) { r.Meta.PublishedAt = "1900-01-01" },
		"negative year":      func(r *report.Record) { r.Meta.Year = -1 },
		"year too big":       func(r *report.Record) { r.Meta.Year = 70000 },
		"confidence above 1": func(r *report.Record) { r.Confidence = 1.5 },
		"NaN finding":        func(r *report.Record) { r.Findings[0].LHS = math.NaN() },
		"NaN placement":      func(r *report.Record) { r.Meta.Placement = &report.Placement{Confidence: math.NaN()} },
		"wrong schema":       func(r *report.Record) { r.Schema = 2 },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			var rows Rows
			if err := rows.AddRecord(smallRecord(), nil); err != nil {
				t.Fatal(err)
			}
			before := render(&rows)
			rec := smallRecord()
			mutate(rec)
			err := rows.AddRecord(rec, nil)
			if !errors.Is(err, ErrConvert) {
				t.Fatalf("err = %v, want ErrConvert", err)
			}
			if render(&rows) != before {
				t.Fatal("a failed record left rows behind")
			}
		})
	}
}

func TestConvertRejection(t *testing.T) {
	var rows Rows
	rej := testRejection("d9", t0)
	if err := rows.AddRejection(rej); err != nil {
		t.Fatal(err)
	}
	d := &rows.rawDocuments
	if d.status[0] != statusRejected || d.reason[0] != "not_report" || d.version[0] != uint64(t0.UnixNano()) || d.size[0] != 5120 || d.kind[0] != "page" {
		t.Fatalf("row %s", render(&rows))
	}
	for name, mutate := range map[string]func(*report.Rejection){
		"no doc id":       func(r *report.Rejection) { r.DocID = "" },
		"no extracted_at": func(r *report.Rejection) { r.ExtractedAt = time.Time{} },
		"negative size":   func(r *report.Rejection) { r.Size = -1 },
		"fetched in 2200": func(r *report.Rejection) { r.FetchedAt = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) },
	} {
		r := testRejection("d9", t0)
		mutate(r)
		if err := rows.AddRejection(r); !errors.Is(err, ErrConvert) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if rows.Len() != 1 {
		t.Fatalf("failed rejections left rows: %d", rows.Len())
	}
}

// FuzzConvert feeds arbitrary messages through the loader's decode and convert
// path: nothing may panic, and a message either adds rows to every table it should
// or leaves the batch as it was.
func FuzzConvert(f *testing.F) {
	good, _ := smallRecord().Marshal()
	full, _ := testRecord("fz", report.Template2019, t0, 3).Marshal()
	f.Add(good)
	f.Add(full)
	f.Add(bytes.Replace(good, []byte(`"value":3`), []byte(`"value":3.5`), 1))
	f.Add([]byte(`{"schema":1,"meta":{"doc_id":"x","extracted_at":"2024-01-01T00:00:00Z"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := report.Unmarshal(b)
		if err != nil {
			return
		}
		var rows Rows
		before := rows.Len()
		if err := rows.AddRecord(rec, b); err != nil {
			if rows.Len() != before {
				t.Fatal("failed conversion left rows")
			}
			return
		}
		c := rows.Counts()
		if c[warehouse.TableReports] != 1 || c[warehouse.TableRawDocuments] != 1 || c[warehouse.TableFindings] != len(rec.Findings) {
			t.Fatalf("counts %v for %d findings", c, len(rec.Findings))
		}
		for _, tb := range rows.tables() {
			for _, col := range tb.columns {
				if n := reflect.ValueOf(col.values).Len(); n != tb.rows {
					t.Fatalf("%s.%s has %d values for %d rows", tb.name, col.name, n, tb.rows)
				}
			}
		}
	})
}

func BenchmarkAddRecord(b *testing.B) {
	rec := testRecord("bench", report.Template2021, t0, 1)
	raw, _ := rec.Marshal()
	cells := countCells(rec.Applications)
	b.ReportAllocs()
	var rows Rows
	for i := 0; b.Loop(); i++ {
		if i%200 == 0 {
			rows = Rows{}
		}
		if err := rows.AddRecord(rec, raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*cells)/b.Elapsed().Seconds(), "app_cells/s")
}
