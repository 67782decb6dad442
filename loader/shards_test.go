package loader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/regions"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
)

// Names of the two-shard test: the cluster both servers know, the database of the
// cluster schema (on both) and of the single-node schema (on the first).
const (
	shardCluster = "gr"
	shardedDB    = "sharded"
	singleNodeDB = "single"
	// shardTestTime bounds the whole test (it takes 10–20 s on 2 idle cores) and
	// shardQueryTime one query (the driver's read timeout is 30 s more), so that a
	// hang fails instead of blocking CI.
	shardTestTime  = 2 * time.Minute
	shardQueryTime = 20 * time.Second
)

// shardLoad is one InsertBatch call, made the same on both layouts.
type shardLoad struct {
	what string
	recs []*report.Record
	rejs []*report.Rejection
}

func cloneRecord(t *testing.T, r *report.Record) *report.Record {
	t.Helper()
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	c, err := report.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// shardLoads is the data of the two-shard test, in the order it is loaded: the
// analytics sample (with copies of reports on a mirror portal) in batches of 40
// with some rejections; then re-extractions by a newer parser (figures changed, a
// row dropped, copies that now win over their originals); then late replays of
// first versions, which must change nothing.
func shardLoads(t *testing.T) []shardLoad {
	t.Helper()
	base := analyticsRecords(t)
	var loads []shardLoad
	for i := 0; i < len(base); i += 40 {
		loads = append(loads, shardLoad{what: fmt.Sprintf("records %d–%d", i+1, min(i+40, len(base))), recs: base[i:min(i+40, len(base))]})
	}
	// Rejections: pages that are not reports, and a document rejected by an older
	// parser before it was parsed (its raw_documents row has two versions).
	var rejs []*report.Rejection
	for i := range 4 {
		rejs = append(rejs, testRejection(fmt.Sprintf("rejected-%d", i), t0))
	}
	early := testRejection(base[3].Meta.DocID, t0.Add(-time.Hour))
	rejs = append(rejs, early)
	loads[0].rejs = rejs

	var newer, replays []*report.Record
	for i, r := range base {
		isCopy := strings.HasPrefix(r.Meta.DocID, "copy-")
		if i%6 != 1 && !isCopy {
			continue
		}
		v2 := cloneRecord(t, r)
		v2.Meta.ExtractedAt, v2.Meta.ParserVersion = t0.Add(time.Hour), "test-2"
		if isCopy {
			v2.Confidence = 1 // the copy, on whichever shard, now wins over its original
		} else {
			if c := v2.Applications.Get(report.RowGranted, report.ColTotal); c.State == report.StateNumber {
				c.Value++
				v2.Applications.Set(report.RowGranted, report.ColTotal, c)
			}
			if i%12 == 1 {
				delete(v2.Applications, report.RowCarriedForward)
			}
		}
		newer = append(newer, v2)
		if len(replays) < 10 {
			replays = append(replays, r)
		}
	}
	return append(loads,
		shardLoad{what: "re-extractions", recs: newer},
		shardLoad{what: "late replays of first versions", recs: replays})
}

// insertAlerts writes alerts as the alerter does (a batch with a column list):
// some opened and later resolved, so that alerts_current must replace across shards.
func insertAlerts(ctx context.Context, conn driver.Conn) error {
	b, err := conn.PrepareBatch(ctx, "INSERT INTO alerts (alert_id, version, rule, severity, status, doc_id, body, year, raised_at, resolved_at)")
	if err != nil {
		return err
	}
	defer b.Close()
	raised := time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC)
	for i := range 12 {
		id := fmt.Sprintf("alert-%02d", i)
		if err := b.Append(id, uint64(1), "R1", "error", "open", fmt.Sprintf("doc-%d", i), "body", uint16(2023), raised, nil); err != nil {
			return err
		}
		if i%3 == 0 {
			resolved := raised.Add(time.Hour)
			if err := b.Append(id, uint64(2), "R1", "error", "resolved", fmt.Sprintf("doc-%d", i), "body", uint16(2023), raised, &resolved); err != nil {
				return err
			}
		}
	}
	return b.Send()
}

// openDB opens database db on server s (creating it when missing).
func openDB(t *testing.T, ctx context.Context, s *chserver.Server, db string) driver.Conn {
	t.Helper()
	cfg := warehouse.DefaultConfig()
	cfg.DSN, cfg.Database, cfg.QueryTimeout = s.DSN(""), db, shardQueryTime
	conn, err := warehouse.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// rowsText runs a query and returns its rows as tab-separated lines, in the order
// the query returns them.
func rowsText(ctx context.Context, conn driver.Conn, q string) ([]string, error) {
	res, err := warehouse.Query(ctx, conn, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	out := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = strings.Join(r, "\t")
	}
	return out, nil
}

// firstDifference describes where two answers first differ (the rows, long values
// clipped, and the first column that differs), or returns "" when they are
// identical.
func firstDifference(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] == want[i] {
			continue
		}
		g, w := strings.Split(got[i], "\t"), strings.Split(want[i], "\t")
		col := ""
		for j := range min(len(g), len(w)) {
			if g[j] != w[j] {
				col = fmt.Sprintf("; column %d is %s, want %s", j+1, clip(g[j]), clip(w[j]))
				break
			}
		}
		return fmt.Sprintf("row %d of %d differs%s:\n got  %s\n want %s", i+1, len(want), col, clip(got[i]), clip(want[i]))
	}
	if len(got) != len(want) {
		n := min(len(got), len(want))
		extra, side := got, "got"
		if len(want) > len(got) {
			extra, side = want, "want"
		}
		return fmt.Sprintf("%d rows, want %d; first row only in %s (row %d): %s", len(got), len(want), side, n+1, clip(extra[n]))
	}
	return ""
}

// clip shortens a value for a failure message.
func clip(s string) string {
	const max = 300
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// orderByAll returns the view's query ordered by every column, so that two servers'
// answers compare line by line.
func orderByAll(t *testing.T, ctx context.Context, conn driver.Conn, db, view string) string {
	t.Helper()
	cols, err := rowsText(ctx, conn, fmt.Sprintf("SELECT name FROM system.columns WHERE database = '%s' AND table = '%s'", db, view))
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) == 0 {
		t.Fatalf("view %s.%s has no columns", db, view)
	}
	for i, c := range cols {
		cols[i] = "`" + c + "`"
	}
	return "SELECT * FROM " + view + " ORDER BY " + strings.Join(cols, ", ")
}

// TestTwoShardsAnswerAsOneServer runs the cluster schema (without Keeper) on two
// local servers that are the two shards of cluster gr, loads through the loader's
// insert path the same records into it and into the single-node schema, checks
// that every table's rows are spread over both shards, and then that every view
// and every question of docs/analytics.md, asked of either server, gives exactly
// the single node's answer.
func TestTwoShardsAnswerAsOneServer(t *testing.T) {
	began := time.Now()
	srvs := chtest.StartShards(t, shardCluster, 2)
	ctx, cancel := context.WithTimeout(context.Background(), shardTestTime)
	defer cancel()
	t.Logf("two shards started in %s", time.Since(began).Round(time.Millisecond))

	single := openDB(t, ctx, srvs[0], singleNodeDB)
	if _, err := warehouse.Migrate(ctx, single, singleNodeDB); err != nil {
		t.Fatal(err)
	}
	shards := make([]driver.Conn, len(srvs))
	for i, s := range srvs {
		shards[i] = openDB(t, ctx, s, shardedDB)
	}
	migrateShards(t, ctx, shards)
	// An acknowledged insert is on its shards (the loader profile's setting); 18.16
	// hangs on INSERT … VALUES through Distributed with it, so only batches go there.
	syncCtx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_distributed_sync": 1}))

	// Load the same batches into both layouts, through either server of the cluster.
	loads := shardLoads(t)
	for i, l := range loads {
		if _, err := InsertBatch(ctx, single, l.recs, l.rejs); err != nil {
			t.Fatalf("single node, %s: %v", l.what, err)
		}
		if _, err := InsertBatch(syncCtx, shards[i%2], l.recs, l.rejs); err != nil {
			t.Fatalf("cluster through shard %d, %s: %v", i%2+1, l.what, err)
		}
	}
	tbl, err := regions.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.LoadDivisions(ctx, single, singleNodeDB, tbl, regions.Edition); err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.LoadDivisions(syncCtx, shards[1], shardedDB, tbl, regions.Edition); err != nil {
		t.Fatal(err)
	}
	if err := insertAlerts(ctx, single); err != nil {
		t.Fatal(err)
	}
	if err := insertAlerts(syncCtx, shards[0]); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d batches into both layouts in %s", len(loads)+2, time.Since(began).Round(time.Millisecond))

	t.Run("rows on both shards", func(t *testing.T) {
		checkSpread(t, ctx, single, shards)
	})
	t.Run("views", func(t *testing.T) {
		for _, v := range append(append([]string{}, warehouse.Views...), warehouse.AnalystViews...) {
			q := orderByAll(t, ctx, single, singleNodeDB, v)
			want, err := rowsText(ctx, single, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("%s is empty on one server: comparing it proves nothing", v)
			}
			for i, conn := range shards {
				got, err := rowsText(ctx, conn, q)
				if err != nil {
					t.Fatalf("cluster through shard %d: %v", i+1, err)
				}
				if d := firstDifference(got, want); d != "" {
					t.Errorf("%s asked of shard %d differs from one server: %s", v, i+1, d)
				}
			}
		}
	})
	t.Run("docs/analytics.md", func(t *testing.T) {
		qs := docQuestions(t)
		if len(qs) == 0 {
			t.Fatal("no questions in docs/analytics.md")
		}
		for _, q := range qs {
			want, err := rowsText(ctx, single, q.sql)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("question %d has no answer on one server: comparing it proves nothing", q.n)
			}
			for i, conn := range shards {
				got, err := rowsText(ctx, conn, q.sql)
				if err != nil {
					t.Fatalf("question %d through shard %d: %v", q.n, i+1, err)
				}
				if d := firstDifference(got, want); d != "" {
					t.Errorf("question %d (%s) asked of shard %d differs from one server: %s", q.n, q.title, i+1, d)
				}
			}
		}
	})
	t.Logf("two-shard test took %s", time.Since(began).Round(time.Millisecond))
}

// migrateShards applies the cluster schema without Keeper on every shard. 18.16
// runs a view's scalar subqueries when it creates the view (missing_reports reads
// max(year) of reports_primary, on every shard), so that fails until the other
// shards have the tables: the schema is applied in passes over all shards until
// none fails (the statements are idempotent and a failed migration is applied
// again).
func migrateShards(t *testing.T, ctx context.Context, shards []driver.Conn) {
	t.Helper()
	opts := warehouse.ClusterOptions{Cluster: shardCluster, NoKeeper: true}
	const passes = 3
	for pass := 1; ; pass++ {
		var errs []error
		for i, conn := range shards {
			if _, err := warehouse.MigrateCluster(ctx, conn, shardedDB, opts); err != nil {
				errs = append(errs, fmt.Errorf("shard %d: %w", i+1, err))
			}
		}
		if len(errs) == 0 {
			t.Logf("cluster schema applied on %d shards in %d passes", len(shards), pass)
			return
		}
		if pass == passes {
			t.Fatalf("cluster schema after %d passes: %v", passes, errors.Join(errs...))
		}
	}
}

// checkSpread checks where the cluster's rows are: every table that has rows on one
// server has some on each shard, and all of them between the two; every version of
// a document is on one shard; at least one report and its copy on the mirror portal
// are on different shards, and each shard holds a re-extracted document, so that
// reports_primary and FINAL work across shards in the comparisons.
func checkSpread(t *testing.T, ctx context.Context, single driver.Conn, shards []driver.Conn) {
	count := func(conn driver.Conn, q string) uint64 {
		t.Helper()
		var n uint64
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, tbl := range warehouse.Tables {
		want := count(single, "SELECT count() FROM "+tbl)
		if want == 0 {
			t.Errorf("%s is empty on one server: the test loads nothing into it", tbl)
			continue
		}
		var sum uint64
		per := make([]uint64, len(shards))
		for i, conn := range shards {
			per[i] = count(conn, "SELECT count() FROM "+tbl+warehouse.LocalSuffix)
			sum += per[i]
		}
		t.Logf("%s: %d rows on one server, %v on the shards", tbl, want, per)
		for i, n := range per {
			if n == 0 {
				t.Errorf("%s%s on shard %d is empty: the Distributed table did not spread the rows", tbl, warehouse.LocalSuffix, i+1)
			}
		}
		if sum != want {
			t.Errorf("%s: %d rows over the shards, %d on one server", tbl, sum, want)
		}
	}
	docs := make([]map[string]bool, len(shards))
	for i, conn := range shards {
		ids, err := rowsText(ctx, conn, "SELECT DISTINCT doc_id FROM reports"+warehouse.LocalSuffix)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = map[string]bool{}
		for _, id := range ids {
			docs[i][id] = true
		}
		if n := count(conn, "SELECT count() FROM (SELECT doc_id FROM reports"+warehouse.LocalSuffix+" GROUP BY doc_id HAVING uniqExact(version) > 1)"); n == 0 {
			t.Errorf("shard %d holds no document with two versions", i+1)
		}
	}
	var split []string // copies whose original is on the other shard
	for id := range docs[0] {
		if docs[1][id] {
			t.Errorf("versions of %s are on both shards", id)
		}
		if orig, ok := strings.CutPrefix(id, "copy-"); ok && docs[1][orig] {
			split = append(split, id)
		}
		if docs[1]["copy-"+id] {
			split = append(split, "copy-"+id)
		}
	}
	primary, err := rowsText(ctx, single, "SELECT doc_id FROM reports_primary")
	if err != nil {
		t.Fatal(err)
	}
	wins := 0
	for _, id := range primary {
		if slices.Contains(split, id) {
			wins++
		}
	}
	t.Logf("%d and %d documents on the shards; %d report/copy pairs split between them, %d won by the copy", len(docs[0]), len(docs[1]), len(split), wins)
	if wins == 0 || wins == len(split) {
		t.Error("the split report/copy pairs are not won by both sides: reports_primary is not compared across shards in both directions")
	}
}
