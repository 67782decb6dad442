package score

import (
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func record() *report.Record {
	r := report.New()
	r.Template = report.Template2021
	r.Meta.Body, r.Meta.Year = "德惠市人民政府", 2022
	r.Applications.Set(report.RowNewReceived, report.ColTotal, report.Number(12))
	r.Applications.Set(report.RowGranted, report.ColTotal, report.Blank("/"))
	r.Review.Set(report.GroupReview, report.OutcomeTotal, report.Number(1))
	r.Disclosure.Set(report.ItemFees, report.MetricAmount, report.Cell{State: report.StateNumber, Value: 50000, Raw: "5", Unit: report.UnitWanYuan})
	return r
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name          string
		mutate        func(r *report.Record)
		cells, ok     int
		extra         int
		diffs         []string
		wantAccuracy  float64
		nilExtraction bool
	}{
		{name: "identical", mutate: func(*report.Record) {}, cells: 4, ok: 4, wantAccuracy: 1},
		{name: "raw text and provenance are not compared", mutate: func(r *report.Record) {
			c := r.Applications.Get(report.RowNewReceived, report.ColTotal)
			c.Raw, c.Src, c.ByPosition = "１２", "l9", true
			r.Applications.Set(report.RowNewReceived, report.ColTotal, c)
		}, cells: 4, ok: 4, wantAccuracy: 1},
		{name: "wrong value, wrong state, wrong unit", mutate: func(r *report.Record) {
			r.Applications.Set(report.RowNewReceived, report.ColTotal, report.Number(21))
			r.Applications.Set(report.RowGranted, report.ColTotal, report.Number(0))
			r.Disclosure.Set(report.ItemFees, report.MetricAmount, report.Cell{State: report.StateNumber, Value: 50000, Raw: "5"})
		}, cells: 4, ok: 1, wantAccuracy: 0.25, diffs: []string{
			"app granted.total: got 0 want blank", "app new_received.total: got 21 want 12",
			"disclosure fees.amount: got 50000 want 50000 万元",
		}},
		{name: "missing and extra cells, metadata", mutate: func(r *report.Record) {
			delete(r.Review, report.GroupReview)
			r.Applications.Set(report.RowOther, report.ColTotal, report.Number(3))
			r.Meta.Year = 2021
		}, cells: 4, ok: 3, extra: 1, wantAccuracy: 0.75, diffs: []string{
			"app other.total: got 3 want absent", "meta year: got 2021 want 2022", "review review.total: got absent want 1",
		}},
		{name: "no extraction", nilExtraction: true, cells: 4, ok: 0, wantAccuracy: 0, diffs: []string{
			"app granted.total: got absent want blank", "app new_received.total: got absent want 12",
			"disclosure fees.amount: got absent want 50000 万元", "review review.total: got absent want 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *report.Record
			if !tt.nilExtraction {
				got = record()
				tt.mutate(got)
			}
			r := Compare(got, record())
			var diffs []string
			for _, d := range r.Diffs {
				diffs = append(diffs, d.Addr+": got "+d.Got+" want "+d.Want)
			}
			if r.Cells != tt.cells || r.Correct != tt.ok || r.Extra != tt.extra || r.Accuracy() != tt.wantAccuracy ||
				strings.Join(diffs, "\n") != strings.Join(tt.diffs, "\n") {
				t.Errorf("got cells %d correct %d extra %d accuracy %v diffs\n%s\nwant %d %d %d %v\n%s",
					r.Cells, r.Correct, r.Extra, r.Accuracy(), strings.Join(diffs, "\n"),
					tt.cells, tt.ok, tt.extra, tt.wantAccuracy, strings.Join(tt.diffs, "\n"))
			}
			if r.Exact() != (len(tt.diffs) == 0) {
				t.Errorf("Exact = %v", r.Exact())
			}
		})
	}
}

func TestTotal(t *testing.T) {
	var tot Total
	if tot.Accuracy() != 1 {
		t.Error("empty total")
	}
	tot.Add(Result{Cells: 10, Correct: 10})
	tot.Add(Result{Cells: 10, Correct: 5, Extra: 1, Diffs: []Diff{{Addr: "x"}}})
	if tot.Documents != 2 || tot.Exact != 1 || tot.Cells != 20 || tot.Correct != 15 || tot.Extra != 1 || tot.Accuracy() != 0.75 {
		t.Errorf("%+v %v", tot, tot.Accuracy())
	}
}
