package loader

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/govreport/govreport/pkg/warehouse/warehousetest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// openWarehouse opens a migrated database of its own on server s.
func openWarehouse(t testing.TB, s *chserver.Server) driver.Conn {
	t.Helper()
	conn, _ := warehousetest.Open(t, s)
	return conn
}

func count(t testing.TB, conn driver.Conn, q string, args ...any) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// viewKeys are the key columns of every current view: each must return one row per key.
var viewKeys = map[string]string{
	warehouse.ViewReportsCurrent:          "doc_id",
	warehouse.ViewApplicationCellsCurrent: "doc_id, row, col",
	warehouse.ViewReviewCellsCurrent:      "doc_id, review_group, outcome",
	warehouse.ViewDisclosureCellsCurrent:  "doc_id, item, metric",
	warehouse.ViewFindingsCurrent:         "doc_id, rule, scope, seq",
	warehouse.ViewRawDocumentsCurrent:     "doc_id",
}

func assertOneRowPerKey(t *testing.T, conn driver.Conn) {
	t.Helper()
	for view, key := range viewKeys {
		q := fmt.Sprintf("SELECT count() FROM (SELECT %s, count() AS c FROM %s GROUP BY %s HAVING c > 1)", key, view, key)
		if n := count(t, conn, q); n != 0 {
			t.Errorf("%s: %d keys with more than one row", view, n)
		}
	}
}

// assertRecordLoaded compares the current views with a record, cell by cell.
func assertRecordLoaded(t *testing.T, conn driver.Conn, rec *report.Record) {
	t.Helper()
	ctx := context.Background()
	id := rec.Meta.DocID
	var (
		version                            uint64
		body, template, township, siteCode string
		year, findingsTotal                uint16
		published                          *time.Time
		confidence                         float32
	)
	err := conn.QueryRow(ctx, `SELECT version, body, template, township, site_id_code, year, findings_total, published_date, confidence
		FROM reports_current WHERE doc_id = ?`, id).Scan(&version, &body, &template, &township, &siteCode, &year, &findingsTotal, &published, &confidence)
	if err != nil {
		t.Fatalf("reports_current %s: %v", id, err)
	}
	md := rec.Meta
	if version != rec.Version() || body != md.Body || template != string(rec.Template) || township != md.Region.Township ||
		siteCode != md.SiteIDCode || int(year) != md.Year || int(findingsTotal) != len(rec.Findings) ||
		published == nil || published.Format(time.DateOnly) != md.PublishedAt || float64(confidence) != rec.Confidence {
		t.Errorf("reports_current %s: version %d body %s template %s year %d findings %d published %v confidence %v",
			id, version, body, template, year, findingsTotal, published, confidence)
	}

	// The placement, and the region on every fact row of the document.
	var divisionLevel, department, reason string
	var regionConfidence float32
	if err := conn.QueryRow(ctx, "SELECT division_level, department, region_confidence, region_reason FROM reports_current WHERE doc_id = ?", id).
		Scan(&divisionLevel, &department, &regionConfidence, &reason); err != nil {
		t.Fatalf("reports_current %s placement: %v", id, err)
	}
	if p := md.Placement; p != nil && (divisionLevel != string(p.DivisionLevel) || department != p.Department ||
		regionConfidence != float32(p.Confidence) || reason != p.Reason) {
		t.Errorf("reports_current %s placement: %s %s %v %q, want %+v", id, divisionLevel, department, regionConfidence, reason, *p)
	}
	for _, view := range []string{"application_cells_current", "review_cells_current", "disclosure_cells_current", "findings_current"} {
		var wrong uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM "+view+" WHERE doc_id = ? AND (township != ? OR township_code != ? OR region_code != ?)",
			id, md.Region.Township, md.Region.TownshipCode, md.Region.Code).Scan(&wrong); err != nil {
			t.Fatalf("%s region: %v", view, err)
		}
		if wrong != 0 {
			t.Errorf("%s: %d rows of %s with another region than %+v", view, wrong, id, md.Region)
		}
	}

	type cellRow struct {
		a, b, state, raw, src string
		value                 *float64
		byPos                 uint8
	}
	read := func(q string) map[string]cellRow {
		rows, err := conn.Query(ctx, q, id)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		out := map[string]cellRow{}
		for rows.Next() {
			var c cellRow
			if err := rows.Scan(&c.a, &c.b, &c.state, &c.value, &c.raw, &c.byPos, &c.src); err != nil {
				t.Fatal(err)
			}
			out[c.a+"."+c.b] = c
		}
		return out
	}
	compare := func(what, addr string, got cellRow, ok bool, want report.Cell) {
		if !ok {
			t.Errorf("%s %s %s: missing", id, what, addr)
			return
		}
		var wantV *float64
		if want.State == report.StateNumber {
			wantV = &want.Value
		}
		if got.state != string(want.State) || got.raw != want.Raw || got.src != want.Src || (got.byPos == 1) != want.ByPosition ||
			(got.value == nil) != (wantV == nil) || got.value != nil && *got.value != *wantV {
			t.Errorf("%s %s %s: got %+v (value %v), want %+v", id, what, addr, got, deref(got.value), want)
		}
	}
	app := read("SELECT row, col, toString(state), toFloat64(value), raw, by_position, src FROM application_cells_current WHERE doc_id = ?")
	n := 0
	for row, cols := range rec.Applications {
		for col, c := range cols {
			got, ok := app[report.CellAddr(row, col)]
			compare("application", report.CellAddr(row, col), got, ok, c)
			n++
		}
	}
	if len(app) != n {
		t.Errorf("%s: %d application cells in the view, %d in the record", id, len(app), n)
	}
	rv := read("SELECT review_group, outcome, toString(state), toFloat64(value), raw, by_position, src FROM review_cells_current WHERE doc_id = ?")
	n = 0
	for g, outs := range rec.Review {
		for o, c := range outs {
			got, ok := rv[report.ReviewAddr(g, o)]
			compare("review", report.ReviewAddr(g, o), got, ok, c)
			n++
		}
	}
	if len(rv) != n {
		t.Errorf("%s: %d review cells in the view, %d in the record", id, len(rv), n)
	}
	ds := read("SELECT item, metric, toString(state), value, concat(raw, '|', unit), by_position, src FROM disclosure_cells_current WHERE doc_id = ?")
	n = 0
	for it, ms := range rec.Disclosure {
		for m, c := range ms {
			addr := report.DisclosureAddr(it, m)
			got, ok := ds[addr]
			c.Raw += "|" + string(c.Unit)
			compare("disclosure", addr, got, ok, c)
			n++
		}
	}
	if len(ds) != n {
		t.Errorf("%s: %d disclosure cells in the view, %d in the record", id, len(ds), n)
	}
	rows, err := conn.Query(ctx, "SELECT seq, rule, scope, message, lhs, cells FROM findings_current WHERE doc_id = ? ORDER BY seq", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var seq uint16
		var rule, scope, msg string
		var lhs float64
		var cells []string
		if err := rows.Scan(&seq, &rule, &scope, &msg, &lhs, &cells); err != nil {
			t.Fatal(err)
		}
		if int(seq) >= len(rec.Findings) {
			t.Errorf("%s: finding %d not in the record", id, seq)
			continue
		}
		f := rec.Findings[seq]
		if rule != string(f.Rule) || scope != f.Scope || msg != f.Message || lhs != f.LHS || strings.Join(cells, ",") != strings.Join(f.Cells, ",") {
			t.Errorf("%s finding %d: %s %s %q %v %v; want %+v", id, seq, rule, scope, msg, lhs, cells, f)
		}
		seen++
	}
	if seen != len(rec.Findings) {
		t.Errorf("%s: %d findings in the view, %d in the record", id, seen, len(rec.Findings))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestInsertBatchCellByCell(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	ctx := context.Background()
	recs := []*report.Record{
		testRecord("a", report.Template2019, t0, 1),
		testRecord("b", report.Template2021, t0, 2),
		smallRecord(),
	}
	rejs := []*report.Rejection{testRejection("r", t0)}
	counts, err := InsertBatch(ctx, conn, recs, rejs)
	if err != nil {
		t.Fatal(err)
	}
	if counts[warehouse.TableReports] != 3 || counts[warehouse.TableRawDocuments] != 4 {
		t.Fatalf("counts %v", counts)
	}
	for _, rec := range recs {
		assertRecordLoaded(t, conn, rec)
	}
	var status, reason string
	var size uint64
	if err := conn.QueryRow(ctx, "SELECT toString(status), reason, size FROM raw_documents_current WHERE doc_id = 'r'").Scan(&status, &reason, &size); err != nil ||
		status != "rejected" || reason != "not_report" || size != 5120 {
		t.Fatalf("rejection row: %s %s %d %v", status, reason, size, err)
	}
	if n := count(t, conn, "SELECT count() FROM raw_documents_current WHERE status = 'parsed'"); n != 3 {
		t.Errorf("%d parsed raw documents, want 3", n)
	}
	// The money amount is stored in yuan.
	var amount float64
	if err := conn.QueryRow(ctx, "SELECT value FROM disclosure_cells_current WHERE doc_id = 'd1' AND item = 'fees'").Scan(&amount); err != nil || amount != 25e6 {
		t.Errorf("amount %v, %v", amount, err)
	}
	assertOneRowPerKey(t, conn)
}

func TestInsertBatchTwiceIsIdempotent(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	ctx := context.Background()
	recs := []*report.Record{testRecord("a", report.Template2019, t0, 1), testRecord("b", report.Template2021, t0, 2)}
	rejs := []*report.Rejection{testRejection("r", t0)}
	want, err := InsertBatch(ctx, conn, recs, rejs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := InsertBatch(ctx, conn, recs, rejs); err != nil {
		t.Fatal(err)
	}
	views := map[string]string{
		warehouse.TableReports: warehouse.ViewReportsCurrent, warehouse.TableApplicationCells: warehouse.ViewApplicationCellsCurrent,
		warehouse.TableReviewCells: warehouse.ViewReviewCellsCurrent, warehouse.TableDisclosureCells: warehouse.ViewDisclosureCellsCurrent,
		warehouse.TableFindings: warehouse.ViewFindingsCurrent, warehouse.TableRawDocuments: warehouse.ViewRawDocumentsCurrent,
	}
	for table, view := range views {
		if n := count(t, conn, "SELECT count() FROM "+view); n != uint64(want[table]) {
			t.Errorf("%s: %d rows after loading twice, want %d", view, n, want[table])
		}
		if n := count(t, conn, "SELECT count() FROM "+table+" FINAL"); n != uint64(want[table]) {
			t.Errorf("%s FINAL: %d rows after loading twice, want %d", table, n, want[table])
		}
		if n := count(t, conn, "SELECT count() FROM "+table); n < uint64(want[table]) {
			t.Errorf("%s: %d rows stored, fewer than %d", table, n, want[table])
		}
	}
	assertOneRowPerKey(t, conn)
	for _, rec := range recs {
		assertRecordLoaded(t, conn, rec)
	}
}

func TestReExtractionReplaces(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	ctx := context.Background()
	v1 := testRecord("d", report.Template2019, t0, 1)
	v2 := testRecord("d", report.Template2019, t0.Add(time.Hour), 1)
	// The better parser reads a value differently, finds no carried_forward row, and
	// its findings drop the doubts about text cells.
	v2.Applications.Set(report.RowGranted, report.ColTotal, report.Number(1234))
	delete(v2.Applications, report.RowCarriedForward)
	v2.Disclosure.Set(report.ItemProcurement, report.MetricAmount, report.Blank("/"))
	v2.Findings = v2.Findings[:len(v2.Findings)-2]
	if len(v2.Findings) == len(v1.Findings) || !v1.Applications.HasRow(report.RowCarriedForward) {
		t.Fatal("test records do not differ")
	}
	if _, err := InsertBatch(ctx, conn, []*report.Record{v1}, nil); err != nil {
		t.Fatal(err)
	}
	assertRecordLoaded(t, conn, v1)
	if _, err := InsertBatch(ctx, conn, []*report.Record{v2}, nil); err != nil {
		t.Fatal(err)
	}
	assertRecordLoaded(t, conn, v2)
	if n := count(t, conn, "SELECT count() FROM findings_current WHERE rule = 'text_cell'"); n != 0 {
		t.Errorf("%d dropped findings still current", n)
	}
	if n := count(t, conn, "SELECT count() FROM application_cells_current WHERE row = 'carried_forward'"); n != 0 {
		t.Errorf("%d cells of a dropped row still current", n)
	}
	// A late replay of the older version changes nothing.
	if _, err := InsertBatch(ctx, conn, []*report.Record{v1}, nil); err != nil {
		t.Fatal(err)
	}
	assertRecordLoaded(t, conn, v2)
	// Nor do merges.
	for _, tbl := range []string{warehouse.TableReports, warehouse.TableApplicationCells, warehouse.TableReviewCells,
		warehouse.TableDisclosureCells, warehouse.TableFindings, warehouse.TableRawDocuments} {
		if err := conn.Exec(ctx, "OPTIMIZE TABLE "+tbl+" FINAL"); err != nil {
			t.Fatal(err)
		}
	}
	assertRecordLoaded(t, conn, v2)
	assertOneRowPerKey(t, conn)
}

func TestInsertBatchConvertErrorInsertsNothing(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	bad := testRecord("bad", report.Template2021, t0, 1)
	bad.Applications.Set(report.RowGranted, report.ColTotal, report.Number(math.Pi))
	_, err := InsertBatch(context.Background(), conn, []*report.Record{testRecord("ok", report.Template2021, t0, 2), bad}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	if n := count(t, conn, "SELECT count() FROM reports"); n != 0 {
		t.Fatalf("%d reports inserted by a failed batch", n)
	}
}

// BenchmarkInsertBatch measures converting and inserting application cells (and
// every other table of the same records) into the real server.
func BenchmarkInsertBatch(b *testing.B) {
	conn := openWarehouse(b, chtest.Shared(b))
	const perBatch = 200
	recs := make([]*report.Record, perBatch)
	for i := range recs {
		recs[i] = testRecord(fmt.Sprintf("bench-%d", i), report.Template2021, t0, i)
	}
	cells, rows := 0, 0
	ctx := context.Background()
	for b.Loop() {
		counts, err := InsertBatch(ctx, conn, recs, nil)
		if err != nil {
			b.Fatal(err)
		}
		cells += counts[warehouse.TableApplicationCells]
		rows += counts.Total()
	}
	b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "app_cells/s")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
