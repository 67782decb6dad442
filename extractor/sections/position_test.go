package sections

import (
	"fmt"
	"strings"
	"testing"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/pkg/report"
)

// valueRow is an unaligned row: its labels, then seven values v, v+1, … so that a
// misplaced row shows; extra adds a stray cell first (seed 002's eighth cell).
func valueRow(v int, extra bool, lbls ...string) grid.Row {
	texts := append([]string{}, lbls...)
	if extra {
		texts = append(texts, "0")
	}
	for i := 0; i < len(report.Cols); i++ {
		texts = append(texts, fmt.Sprint(v+i))
	}
	return tokens(texts...)
}

// labelled returns the row for a template row, labelled.
func labelled(row report.Row, v int) grid.Row {
	return valueRow(v, false, report.RowLabels[row])
}

// outcomeRun returns n rows without labels, the first under 三、本年度办理结果 as
// seed 002 prints it, valued 100, 200, …
func outcomeRun(n int, extra bool) []grid.Row {
	var out []grid.Row
	for i := 0; i < n; i++ {
		var lbls []string
		if i == 0 {
			lbls = []string{"三、本年度办理结果"}
		}
		out = append(out, valueRow(100*(i+1), extra, lbls...))
	}
	return out
}

func TestPositionalPlacement(t *testing.T) {
	rows2019 := report.Rows(report.Template2019)
	rows2021 := report.Rows(report.Template2021)
	outcomes2019 := rows2019[2 : len(rows2019)-1] // granted … total
	outcomes2021 := rows2021[2 : len(rows2021)-1]
	tests := []struct {
		name   string
		rows   []grid.Row
		placed []report.Row // the rows the run must land on, in order
		// unplaced is a piece of the reason every unplaced run must give ("" for
		// none); missing lists rows that must stay absent.
		unplaced string
		missing  []report.Row
	}{
		{
			name: "seed 002: 20 rows between carried_over and carried_forward, an extra cell each",
			rows: append(append([]grid.Row{labelled(report.RowNewReceived, 1), labelled(report.RowCarriedOver, 1)},
				outcomeRun(20, true)...), labelled(report.RowCarriedForward, 1)),
			placed:   outcomes2019,
			unplaced: "kept the last 7",
		},
		{
			name: "22 rows: template 2021's three other rows",
			rows: append(append([]grid.Row{labelled(report.RowCarriedOver, 1)},
				outcomeRun(22, false)...), labelled(report.RowCarriedForward, 1)),
			placed: outcomes2021,
		},
		{
			name:   "a run at the end of the table",
			rows:   append([]grid.Row{labelled(report.RowOther, 1)}, valueRow(100, false), valueRow(200, false)),
			placed: []report.Row{report.RowTotal, report.RowCarriedForward},
		},
		{
			name: "the whole table without labels",
			rows: func() []grid.Row {
				var out []grid.Row
				for i := range rows2019 {
					out = append(out, valueRow(100*(i+1), false))
				}
				return out
			}(),
			placed: rows2019,
		},
		{
			name: "one row short: nothing is guessed",
			rows: append(append([]grid.Row{labelled(report.RowCarriedOver, 1)},
				outcomeRun(19, false)...), labelled(report.RowCarriedForward, 1)),
			unplaced: "19 rows without labels between carried_over and carried_forward",
			missing:  outcomes2019,
		},
		{
			name: "a group heading that disagrees with the position",
			rows: []grid.Row{
				labelled(report.RowPartiallyGranted, 1),
				valueRow(100, false, "（四）无法提供"), // would be withheld.state_secret
				labelled(report.RowWithheldProhibitedByLaw, 1),
			},
			unplaced: "outside its heading's group unable",
			missing:  []report.Row{report.RowWithheldStateSecret},
		},
		{
			name: "a group heading that agrees",
			rows: []grid.Row{
				labelled(report.RowWithheldQueryMatters, 1),
				valueRow(100, false, "（四）无法提供"),
				labelled(report.RowUnableNeedsCreation, 1),
			},
			placed: []report.Row{report.RowUnableNotHeld},
		},
		{
			name: "an unknown label is not a lost one",
			rows: []grid.Row{
				labelled(report.RowPartiallyGranted, 1),
				valueRow(100, false, "备注说明"),
				labelled(report.RowWithheldProhibitedByLaw, 1),
			},
			unplaced: "row label not recognised",
			missing:  []report.Row{report.RowWithheldStateSecret},
		},
		{
			name: "a row with fewer values than columns is not placed",
			rows: []grid.Row{
				labelled(report.RowGranted, 1),
				tokens("5", "6"),
				labelled(report.RowWithheldStateSecret, 1),
			},
			unplaced: "fewer values than applicant columns",
			missing:  []report.Row{report.RowPartiallyGranted},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Read([]grid.Grid{{Section: 3, Rows: tt.rows}})
			for i, row := range tt.placed {
				for j, col := range report.Cols {
					c := res.Applications.Get(row, col)
					if c.State != report.StateNumber || c.Value != float64(100*(i+1)+j) || !c.ByPosition {
						t.Fatalf("%s.%s = %+v, want %d by position", row, col, c, 100*(i+1)+j)
					}
				}
			}
			for _, row := range tt.missing {
				if res.Applications.HasRow(row) {
					t.Errorf("%s placed: %+v", row, res.Applications[row])
				}
			}
			if tt.unplaced == "" && len(res.Unplaced) > 0 {
				t.Errorf("unplaced %+v", res.Unplaced)
			}
			for _, u := range res.Unplaced {
				if !strings.Contains(u.Reason, tt.unplaced) {
					t.Errorf("unplaced reason %q, want it to say %q", u.Reason, tt.unplaced)
				}
			}
			if tt.unplaced != "" && len(res.Unplaced) == 0 {
				t.Errorf("no unplaced values, want %q", tt.unplaced)
			}
		})
	}
}

func TestPositionalKeepsLabelledRowsExact(t *testing.T) {
	rows := append(append([]grid.Row{labelled(report.RowCarriedOver, 1)}, outcomeRun(20, false)...), labelled(report.RowCarriedForward, 7))
	res := Read([]grid.Grid{{Section: 3, Rows: rows}})
	for _, row := range []report.Row{report.RowCarriedOver, report.RowCarriedForward} {
		if c := res.Applications.Get(row, report.ColNaturalPerson); c.ByPosition || c.State != report.StateNumber {
			t.Errorf("%s: %+v", row, c)
		}
	}
	if res.Cells[3] != 22*len(report.Cols) {
		t.Errorf("cells %v", res.Cells)
	}
}
