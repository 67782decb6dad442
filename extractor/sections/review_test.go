package sections

import (
	"testing"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/pkg/report"
)

func TestReviewHeaderCellsAreNotValues(t *testing.T) {
	empty := func(n int) []string { return make([]string, n) }
	row := func(texts ...string) grid.Row { return tokens(texts...) }
	g := grid.Grid{Section: 4, Rows: []grid.Row{
		row(append([]string{"行政复议", "行政诉讼"}, empty(13)...)...),
		row(append([]string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"}, empty(8)...)...),
		row("0", "1", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"),
	}}
	res := Read([]grid.Grid{g})
	if c := res.Review.Get(report.GroupReview, report.OutcomeCorrected); c.State != report.StateNumber || c.Value != 1 {
		t.Errorf("review.corrected %+v", c)
	}
	if len(res.Unplaced) != 0 {
		t.Errorf("unplaced %+v", res.Unplaced)
	}
	// A data row that names its group keeps its empty cells as blanks.
	g = grid.Grid{Section: 4, Rows: []grid.Row{row(append([]string{"行政诉讼", "未经复议直接起诉"}, empty(5)...)...)}}
	res = Read([]grid.Grid{g})
	if c := res.Review.Get(report.GroupLitigationDirect, report.OutcomeTotal); c.State != report.StateBlank {
		t.Errorf("litigation_direct.total %+v", c)
	}
}
