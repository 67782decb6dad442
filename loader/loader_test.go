package loader

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

func openBus(t testing.TB) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func publish(t *testing.T, js jetstream.JetStream, subject string, data []byte) {
	t.Helper()
	if _, err := js.Publish(context.Background(), subject, data); err != nil {
		t.Fatal(err)
	}
}

func publishRecord(t *testing.T, js jetstream.JetStream, rec *report.Record) {
	t.Helper()
	b, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	publish(t, js, bus.ParsedSubject(rec.Meta.Region.ProvinceCode()), b)
}

// runLoader runs a loader until the test ends (or stop is called) and returns it.
func runLoader(t testing.TB, cfg Config, js jetstream.JetStream, conn Conn, reg prometheus.Registerer) (*Loader, func()) {
	t.Helper()
	l, err := New(cfg, js, conn, slog.New(slog.NewTextHandler(t.Output(), nil)), reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Run did not return 30s after cancel")
		}
	}
	t.Cleanup(stop)
	return l, stop
}

func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func consumerInfo(t *testing.T, js jetstream.JetStream) *jetstream.ConsumerInfo {
	t.Helper()
	info, err := tryConsumerInfo(js)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func tryConsumerInfo(js jetstream.JetStream) (*jetstream.ConsumerInfo, error) {
	c, err := js.Consumer(context.Background(), bus.StreamParsed, bus.ConsumerLoader)
	if err != nil {
		return nil, err
	}
	return c.Info(context.Background())
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.BatchRows = 2000 // a few records per batch: several batches per test
	cfg.BatchAge = 100 * time.Millisecond
	cfg.FetchMaxWait = 200 * time.Millisecond
	cfg.RetryBackoff = 100 * time.Millisecond
	cfg.ShutdownTimeout = 10 * time.Second
	return cfg
}

func TestLoaderEndToEnd(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	b := openBus(t)
	const n = 25
	var recs []*report.Record
	for i := range n {
		tpl := report.Template2019
		if i%2 == 1 {
			tpl = report.Template2021
		}
		rec := testRecord(fmt.Sprintf("doc-%02d", i), tpl, t0.Add(time.Duration(i)*time.Second), i)
		recs = append(recs, rec)
		publishRecord(t, b.JS, rec)
	}
	rej := testRejection("rejected-1", t0)
	rejData, _ := json.Marshal(rej)
	publish(t, b.JS, bus.RejectedSubject("22"), rejData)
	publish(t, b.JS, bus.ParsedSubject("22"), []byte("not json at all"))
	bad := testRecord("fractional", report.Template2021, t0, 99)
	bad.Applications.Set(report.RowGranted, report.ColTotal, report.Number(2.5))
	publishRecord(t, b.JS, bad)
	publish(t, b.JS, bus.RejectedSubject("22"), []byte(`{"schema":1,"doc_id":"","reason":""}`))
	publishRecord(t, b.JS, recs[0]) // a duplicate delivery of the same record

	reg := prometheus.NewRegistry()
	l, stop := runLoader(t, testConfig(), b.JS, conn, reg)
	waitFor(t, "every message", 60*time.Second, func() bool {
		s := l.Stats()
		return s.Records == n+1 && s.Rejections == 1 && s.DeadLetters == 3
	})
	stop()

	for _, rec := range recs {
		assertRecordLoaded(t, conn, rec)
	}
	assertOneRowPerKey(t, conn)
	if got := count(t, conn, "SELECT count() FROM reports_current"); got != n {
		t.Errorf("%d current reports, want %d", got, n)
	}
	if got := count(t, conn, "SELECT count() FROM raw_documents_current WHERE status = 'rejected' AND doc_id = 'rejected-1'"); got != 1 {
		t.Errorf("rejection rows %d", got)
	}
	if got := count(t, conn, "SELECT count() FROM reports WHERE doc_id = 'fractional'"); got != 0 {
		t.Errorf("the unconvertible record was loaded")
	}
	// Everything was acknowledged.
	info := consumerInfo(t, b.JS)
	if info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("consumer: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
	// The poison went to the dead-letter subject with its error.
	dead, err := b.JS.CreateOrUpdateConsumer(context.Background(), bus.StreamDead, jetstream.ConsumerConfig{FilterSubject: bus.DeadSubject(stage)})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := dead.Fetch(10, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for m := range batch.Messages() {
		h := m.Headers()
		if h.Get(bus.HeaderStage) != stage || h.Get(bus.HeaderStream) != bus.StreamParsed {
			t.Errorf("dead letter headers %v", h)
		}
		errs = append(errs, h.Get(bus.HeaderSubject)+": "+h.Get(bus.HeaderError))
	}
	all := strings.Join(errs, "\n")
	if len(errs) != 3 || !strings.Contains(all, "reports.parsed.22: decode record") ||
		!strings.Contains(all, "application cell granted.total: value 2.5 is not an integer count") ||
		!strings.Contains(all, "reports.rejected.22: rejection without doc_id") {
		t.Errorf("dead letters:\n%s", all)
	}

	s := l.Stats()
	if s.Rows[warehouse.TableReports] != n+1 || s.Batches == 0 || s.Failures != 0 {
		t.Errorf("stats %+v", s)
	}
	// The metrics agree with the stats.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, lp := range m.GetLabel() {
				key += "{" + lp.GetValue() + "}"
			}
			switch {
			case m.Counter != nil:
				got[key] = m.Counter.GetValue()
			case m.Histogram != nil:
				got[key] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	want := map[string]float64{
		"govreport_loader_rows_total{application_cells}": float64(s.Rows[warehouse.TableApplicationCells]),
		"govreport_loader_rows_total{reports}":           n + 1,
		"govreport_loader_batches_total":                 float64(s.Batches),
		"govreport_loader_batch_seconds":                 float64(s.Batches),
		"govreport_loader_errors_total{decode}":          2,
		"govreport_loader_errors_total{convert}":         1,
		"govreport_loader_errors_total{insert}":          0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("metric %s = %v, want %v", k, got[k], v)
		}
	}
}

// TestLoaderWaitsForClickHouse stops the server before the loader starts: nothing
// may be acknowledged while it is down, and everything loads once it is back.
func TestLoaderWaitsForClickHouse(t *testing.T) {
	srv := chtest.Start(t)
	conn := openWarehouse(t, srv)
	_, tcp, _ := net.SplitHostPort(srv.TCPAddr())
	_, http, _ := net.SplitHostPort(srv.HTTPAddr())
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := openBus(t)
	const n = 5
	var recs []*report.Record
	for i := range n {
		rec := testRecord(fmt.Sprintf("late-%d", i), report.Template2021, t0, i)
		recs = append(recs, rec)
		publishRecord(t, b.JS, rec)
	}
	l, stop := runLoader(t, testConfig(), b.JS, conn, nil)
	waitFor(t, "two failed inserts or checks", 30*time.Second, func() bool { return l.Stats().Failures >= 1 })
	time.Sleep(time.Second) // a few health checks, no pulls
	info := consumerInfo(t, b.JS)
	if info.AckFloor.Stream != 0 || info.NumAckPending+int(info.NumPending) != n || l.Stats().Records != 0 {
		t.Fatalf("while ClickHouse is down: ack floor %d, ack pending %d, pending %d, stats %+v",
			info.AckFloor.Stream, info.NumAckPending, info.NumPending, l.Stats())
	}
	if info.NumRedelivered > n {
		t.Errorf("%d redeliveries while not pulling", info.NumRedelivered)
	}

	// The server comes back on the same ports with the same data.
	cfg := chserver.DefaultConfig()
	cfg.Dir = srv.Dir()
	cfg.TCPPort, _ = strconv.Atoi(tcp)
	cfg.HTTPPort, _ = strconv.Atoi(http)
	srv2, err := chserver.Start(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Stop(context.Background())
	waitFor(t, "the backlog to load", 60*time.Second, func() bool { return l.Stats().Records == n })
	stop()
	for _, rec := range recs {
		assertRecordLoaded(t, conn, rec)
	}
	info = consumerInfo(t, b.JS)
	if info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("after recovery: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
	conn.Close() // before the server stops
}

// TestLoaderFlushesOnShutdown cancels the loader while its batch is still young:
// the batch must be inserted and acknowledged, not dropped.
func TestLoaderFlushesOnShutdown(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	b := openBus(t)
	cfg := testConfig()
	cfg.BatchAge, cfg.BatchRows, cfg.AckWait = time.Minute, 1_000_000, 5*time.Minute
	const n = 3
	for i := range n {
		publishRecord(t, b.JS, testRecord(fmt.Sprintf("s-%d", i), report.Template2019, t0, i))
	}
	l, stop := runLoader(t, cfg, b.JS, conn, nil)
	waitFor(t, "the batch to hold every message", 30*time.Second, func() bool {
		info, err := tryConsumerInfo(b.JS)
		return err == nil && info.NumAckPending == n
	})
	if l.Stats().Batches != 0 {
		t.Fatal("flushed before shutdown")
	}
	stop()
	if got := count(t, conn, "SELECT count() FROM reports_current"); got != n {
		t.Errorf("%d reports after shutdown, want %d", got, n)
	}
	if info := consumerInfo(t, b.JS); info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("after shutdown: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := map[string]func(*Config){
		"batch rows":      func(c *Config) { c.BatchRows = 0 },
		"batch rows huge": func(c *Config) { c.BatchRows = 2_000_000 },
		"batch age":       func(c *Config) { c.BatchAge = time.Millisecond },
		"fetch wait":      func(c *Config) { c.FetchMaxWait = 0 },
		"max deliver":     func(c *Config) { c.MaxDeliver = 1 },
		"unbounded":       func(c *Config) { c.MaxDeliver = -1 },
		"backoff":         func(c *Config) { c.RetryBackoff = 0 },
		"shutdown":        func(c *Config) { c.ShutdownTimeout = 0 },
		"ack wait":        func(c *Config) { c.AckWait = 3 * time.Second },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			c := DefaultConfig()
			mutate(&c)
			if err := c.Validate(); err == nil {
				t.Fatalf("accepted %+v", c)
			}
		})
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, nil, nil, nil, nil); err == nil {
		t.Fatal("New accepted nil connections")
	}
}

func TestBackoff(t *testing.T) {
	l := &Loader{cfg: Config{RetryBackoff: time.Second}}
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, 32 * time.Second}
	for n, w := range want {
		if got := l.backoff(n); got != w {
			t.Errorf("backoff(%d) = %s, want %s", n, got, w)
		}
	}
}

// TestLoaderDeadLettersAfterMaxDeliver loads into a database without tables: the
// server answers but every insert fails, so after MaxDeliver deliveries the
// messages must be in the dead-letter stream with the error, not dropped.
func TestLoaderDeadLettersAfterMaxDeliver(t *testing.T) {
	srv := chtest.Shared(t)
	wcfg := warehouse.DefaultConfig()
	wcfg.DSN, wcfg.Database = srv.DSN(""), chtest.Database(t, srv) // never migrated
	conn, err := warehouse.Open(context.Background(), wcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	b := openBus(t)
	const n = 3
	for i := range n {
		publishRecord(t, b.JS, testRecord(fmt.Sprintf("nowhere-%d", i), report.Template2019, t0, i))
	}
	cfg := testConfig()
	cfg.MaxDeliver = 2
	l, stop := runLoader(t, cfg, b.JS, conn, nil)
	waitFor(t, "the messages to be dead-lettered", 30*time.Second, func() bool { return l.Stats().DeadLetters == n })
	stop()
	if s := l.Stats(); s.Failures < 2 || s.Records != 0 {
		t.Errorf("stats %+v", s)
	}
	info := consumerInfo(t, b.JS)
	if info.NumAckPending != 0 || info.NumPending != 0 {
		t.Errorf("consumer: %d ack pending, %d pending", info.NumAckPending, info.NumPending)
	}
	dead, err := b.JS.CreateOrUpdateConsumer(context.Background(), bus.StreamDead, jetstream.ConsumerConfig{FilterSubject: bus.DeadSubject(stage)})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := dead.Fetch(10, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for m := range batch.Messages() {
		got++
		if e := m.Headers().Get(bus.HeaderError); !strings.Contains(e, "not loaded after 2 deliveries") || !strings.Contains(e, "doesn't exist") {
			t.Errorf("dead letter error %q", e)
		}
		if _, err := report.Unmarshal(m.Data()); err != nil {
			t.Errorf("dead letter does not hold the record: %v", err)
		}
	}
	if got != n {
		t.Errorf("%d dead letters, want %d", got, n)
	}
}

// Short pulls (a tiny batch age) while records trickle in must not strand any: a
// pull that ends on the client before the server's expiry drops the messages the
// server sent meanwhile, and they would reappear only after AckWait (here an hour).
func TestShortPullsLoseNothing(t *testing.T) {
	conn := openWarehouse(t, chtest.Shared(t))
	b := openBus(t)
	cfg := testConfig()
	cfg.BatchAge = 10 * time.Millisecond
	cfg.FetchMaxWait = 10 * time.Millisecond
	cfg.AckWait = time.Hour
	l, _ := runLoader(t, cfg, b.JS, conn, nil)
	const n = 400
	rec := testRecord("trickle", report.Template2021, t0, 1)
	data, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		// Distinct documents; ParsedSubject spreads them over the stream.
		d := strings.Replace(string(data), `"doc_id":"trickle"`, fmt.Sprintf(`"doc_id":"trickle-%03d"`, i), 1)
		publish(t, b.JS, bus.ParsedSubject("22"), []byte(d))
		if i%4 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(t, "every record loaded", time.Minute, func() bool { return l.Stats().Records == n })
	if info := consumerInfo(t, b.JS); info.NumAckPending != 0 || info.NumRedelivered != 0 {
		t.Errorf("ack pending %d, redelivered %d", info.NumAckPending, info.NumRedelivered)
	}
}
