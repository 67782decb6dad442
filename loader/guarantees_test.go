package loader

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// analystSnapshot is everything an analyst can see, as sorted text: every analyst
// view in full, and every current view's row count and checksum.
func analystSnapshot(t *testing.T, conn driver.Conn) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	dump := func(q string) {
		res, err := warehouse.Query(ctx, conn, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		lines := make([]string, len(res.Rows))
		for i, r := range res.Rows {
			lines[i] = strings.Join(r, "\t")
		}
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s\n%s\n", q, strings.Join(lines, "\n"))
	}
	for _, v := range warehouse.AnalystViews {
		dump("SELECT * FROM " + v)
	}
	views := make([]string, 0, len(viewKeys))
	for v := range viewKeys {
		views = append(views, v)
	}
	sort.Strings(views)
	for _, view := range views {
		dump(fmt.Sprintf("SELECT count(), sum(cityHash64(%s, version)) FROM %s", viewKeys[view], view))
	}
	dump("SELECT doc_id, version, parser_version, cityHash64(record) FROM reports_current")
	dump("SELECT doc_id, row, col, toString(state), value FROM application_cells_current")
	return b.String()
}

func publishAll(t *testing.T, js jetstream.JetStream, recs []*report.Record) {
	t.Helper()
	ctx := context.Background()
	var futures []jetstream.PubAckFuture
	for _, rec := range recs {
		b, err := rec.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		f, err := js.PublishAsync(bus.ParsedSubject(rec.Meta.Region.ProvinceCode()), b)
		if err != nil {
			t.Fatal(err)
		}
		futures = append(futures, f)
		if len(futures) == 200 {
			waitAcks(t, ctx, futures)
			futures = futures[:0]
		}
	}
	waitAcks(t, ctx, futures)
}

func waitAcks(t *testing.T, ctx context.Context, fs []jetstream.PubAckFuture) {
	t.Helper()
	for _, f := range fs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			t.Fatalf("publish: %v", err)
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
}

// TestReplayAndReExtraction delivers the same 1,000 records three times: the analyst
// results after the replays are those after the first delivery. Then 50 records
// come again from a newer parser that reads one cell differently: exactly those
// values change.
func TestReplayAndReExtraction(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	b := openBus(t)
	recs := thousandRecords(t)
	cfg := testConfig()
	cfg.BatchRows = 20_000
	l, stop := runLoader(t, cfg, b.JS, conn, nil)

	publishAll(t, b.JS, recs)
	waitFor(t, "the first delivery", 2*time.Minute, func() bool { return l.Stats().Records == 1000 })
	first := analystSnapshot(t, conn)
	if n := count(t, conn, "SELECT count() FROM reports_primary"); n != 1000 {
		t.Fatalf("%d primary reports, want 1000", n)
	}
	publishAll(t, b.JS, recs)
	publishAll(t, b.JS, recs)
	waitFor(t, "the replays", 2*time.Minute, func() bool { return l.Stats().Records == 3000 })
	if got := analystSnapshot(t, conn); got != first {
		t.Fatalf("analyst results changed by replays:\n%s", firstDiff(got, first))
	}
	assertOneRowPerKey(t, conn)

	// Re-extraction: a newer parser reads granted.total one higher in 50 reports.
	var newer []*report.Record
	var wantGranted int64
	for i, rec := range recs {
		if i%20 != 0 {
			continue
		}
		c := rec.Applications.Get(report.RowGranted, report.ColTotal)
		if c.State != report.StateNumber {
			continue
		}
		c.Value++
		rec.Applications.Set(report.RowGranted, report.ColTotal, c)
		rec.Meta.ParserVersion = "test-2"
		rec.Meta.ExtractedAt = t0.Add(time.Hour)
		newer = append(newer, rec)
		wantGranted++
	}
	before := count(t, conn, "SELECT toUInt64(sum(granted)) FROM applications_by_report")
	publishAll(t, b.JS, newer)
	waitFor(t, "the re-extractions", time.Minute, func() bool { return l.Stats().Records == 3000+uint64(len(newer)) })
	stop()
	if got := count(t, conn, "SELECT toUInt64(sum(granted)) FROM applications_by_report"); got != before+uint64(wantGranted) {
		t.Errorf("granted %d after re-extraction, want %d + %d", got, before, wantGranted)
	}
	if got := count(t, conn, "SELECT count() FROM reports_current WHERE parser_version = 'test-2'"); got != uint64(len(newer)) {
		t.Errorf("%d reports of the newer parser, want %d", got, len(newer))
	}
	for _, rec := range newer[:3] {
		assertRecordLoaded(t, conn, rec)
	}
	assertOneRowPerKey(t, conn)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(al), len(bl))
}

// TestPoisonRecord makes ClickHouse itself reject two records of a batch (a
// materialized view throws on them, as a server-side check would): the rest of the
// batch loads and the two go to the dead-letter subject with the server's error.
func TestPoisonRecord(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	ctx := context.Background()
	if err := conn.Exec(ctx, "CREATE MATERIALIZED VIEW reject_poison ENGINE = Null AS SELECT throwIf(startsWith(doc_id, 'poison')) AS rejected FROM application_cells"); err != nil {
		t.Fatal(err)
	}
	b := openBus(t)
	const n = 30
	var good []*report.Record
	for i := range n {
		if i == 5 || i == 21 {
			publishRecord(t, b.JS, testRecord(fmt.Sprintf("poison-%d", i), report.Template2021, t0, i))
		}
		rec := testRecord(fmt.Sprintf("good-%02d", i), report.Template2021, t0, i)
		good = append(good, rec)
		publishRecord(t, b.JS, rec)
	}
	cfg := testConfig()
	cfg.BatchRows, cfg.BatchAge = 1_000_000, time.Second // one batch
	reg := prometheus.NewRegistry()
	l, stop := runLoader(t, cfg, b.JS, conn, reg)
	waitFor(t, "the batch", time.Minute, func() bool { s := l.Stats(); return s.Records == n && s.DeadLetters == 2 })
	stop()
	for _, rec := range good {
		assertRecordLoaded(t, conn, rec)
	}
	if got := count(t, conn, "SELECT count() FROM reports_current WHERE startsWith(doc_id, 'poison')"); got != 0 {
		t.Errorf("%d poison reports visible", got)
	}
	if info := consumerInfo(t, b.JS); info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("consumer: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
	dead, err := b.JS.CreateOrUpdateConsumer(ctx, bus.StreamDead, jetstream.ConsumerConfig{FilterSubject: bus.DeadSubject(stage)})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := dead.Fetch(10, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for m := range batch.Messages() {
		rec, err := report.Unmarshal(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.Meta.DocID)
		if e := m.Headers().Get(bus.HeaderError); !strings.Contains(e, "clickhouse rejected the record") || !strings.Contains(e, "throwIf") {
			t.Errorf("dead letter error %q", e)
		}
	}
	sort.Strings(ids)
	if strings.Join(ids, ",") != "poison-21,poison-5" {
		t.Errorf("dead letters %v", ids)
	}
	if s := l.Stats(); s.Failures != 1 {
		t.Errorf("stats %+v: want one failed insert (the whole batch)", s)
	}
	if got := testutilCounter(t, reg, "govreport_loader_errors_total", "rejected"); got != 2 {
		t.Errorf("rejected errors metric %v", got)
	}
}

func testutilCounter(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetValue() == label {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return -1
}

// TestClickHouseRestartMidRun stops the server while the loader works through a
// backlog and starts it again: every record is then present exactly once and every
// message acknowledged.
func TestClickHouseRestartMidRun(t *testing.T) {
	srv := chtest.Start(t)
	conn := openWarehouse(t, srv)
	b := openBus(t)
	recs := thousandRecords(t)[:400]
	publishAll(t, b.JS, recs)
	cfg := testConfig()
	cfg.BatchRows = 1500 // a handful of records per batch
	cfg.BatchAge = 50 * time.Millisecond
	l, stop := runLoader(t, cfg, b.JS, conn, nil)
	waitFor(t, "the first batches", time.Minute, func() bool { return l.Stats().Records >= 60 })
	_, tcp, _ := net.SplitHostPort(srv.TCPAddr())
	_, http, _ := net.SplitHostPort(srv.HTTPAddr())
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stoppedAt := l.Stats().Records
	time.Sleep(1500 * time.Millisecond) // failed inserts, back-off, health checks
	if s := l.Stats(); s.Records >= uint64(len(recs)) || s.Failures == 0 {
		t.Fatalf("the loader finished before the server stopped (stats %+v); the test proves nothing", s)
	}
	scfg := chserver.DefaultConfig()
	scfg.Dir = srv.Dir()
	scfg.TCPPort, _ = strconv.Atoi(tcp)
	scfg.HTTPPort, _ = strconv.Atoi(http)
	srv2, err := chserver.Start(context.Background(), scfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Stop(context.Background())
	waitFor(t, "the rest of the backlog", 2*time.Minute, func() bool { return l.Stats().Records == uint64(len(recs)) })
	stop()
	t.Logf("stopped after %d records; %+v", stoppedAt, l.Stats())
	if s := l.Stats(); s.DeadLetters != 0 {
		t.Errorf("%d dead letters", s.DeadLetters)
	}
	var wantCells uint64
	for _, r := range recs {
		for _, cols := range r.Applications {
			wantCells += uint64(len(cols))
		}
	}
	if got := count(t, conn, "SELECT count() FROM reports_current"); got != uint64(len(recs)) {
		t.Errorf("%d current reports, want %d", got, len(recs))
	}
	if got := count(t, conn, "SELECT count() FROM application_cells_current"); got != wantCells {
		t.Errorf("%d current application cells, want %d", got, wantCells)
	}
	assertOneRowPerKey(t, conn)
	if info := consumerInfo(t, b.JS); info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("consumer: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
	conn.Close() // before the server stops
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want errorClass
	}{
		{fmt.Errorf("send: %w", &chException{Code: 395}), classValue},
		{&chException{Code: 60}, classUnavailable},
		{&chException{Code: 241}, classUnavailable},
		{&chException{Code: 1000}, classUnknown},
		{&ValueError{Table: "t", Column: "c", Err: fmt.Errorf("converting")}, classValue},
		{fmt.Errorf("dial: %w", &net.OpError{Op: "dial"}), classUnavailable},
		{context.DeadlineExceeded, classUnavailable},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

type chException = clickhouse.Exception
