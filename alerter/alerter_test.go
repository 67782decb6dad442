package alerter

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/alerter/webhook"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/report"
)

// brokenRecord is a 2021-template report whose natural persons' 5 applications
// were received and granted while (七)总计 stayed 0: R1 and R3 break.
func brokenRecord() *report.Record {
	r := report.New()
	r.Template = report.Template2021
	r.Meta = report.Meta{DocID: "doc1", Body: "某县人民政府", Year: 2022, SourceURL: "http://example.gov.cn/a.html",
		ContentSHA256: "abc", ExtractedAt: time.Unix(100, 0)}
	for _, row := range report.Rows(report.Template2021) {
		for _, c := range report.Cols {
			r.Applications.Set(row, c, report.Number(0))
		}
	}
	for _, row := range []report.Row{report.RowNewReceived, report.RowGranted} {
		r.Applications.Set(row, report.ColNaturalPerson, report.Number(5))
		r.Applications.Set(row, report.ColTotal, report.Number(5))
	}
	r.Findings = report.Check(r)
	return r
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []func(*Config){
		func(c *Config) { c.Rules = []report.Rule{"R9"} },
		func(c *Config) { c.Batch = 0 },
		func(c *Config) { c.MaxDeliver = 1 },
		func(c *Config) { c.AckWait = 0 },
	} {
		c := DefaultConfig()
		m(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}

// runUntil runs an alerter until cond holds (or 10 s pass) and stops it.
func runUntil(t testing.TB, a *Alerter, cond func(Stats) bool) Stats {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond(a.Stats()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return a.Stats()
}

func testBus(t testing.TB) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newTestAlerter(t testing.TB, b *bus.Bus) *Alerter {
	t.Helper()
	kv, err := b.AlertStateKV(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.FetchMaxWait = 100 * time.Millisecond
	cfg.RetryDelay = 50 * time.Millisecond
	a, err := New(cfg, Deps{JS: b.JS, State: kv}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// streamMsgs counts the messages of a stream.
func streamMsgs(t *testing.T, b *bus.Bus, name string) uint64 {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// TestRunPublishesOnce: a replayed record raises its alerts once; a poison message
// goes to the dead letters; a restarted alerter (another process, the same state)
// raises nothing for records it sees again; a fixed filing resolves the alerts.
func TestRunPublishesOnce(t *testing.T) {
	ctx := context.Background()
	b := testBus(t)
	rec := brokenRecord()
	data, _ := rec.Marshal()
	cfg0 := DefaultConfig()
	raised := alert.FromRecord(rec, cfg0.enabled(), time.Now())
	r1 := 0
	for _, a := range raised {
		if a.Rule == report.RuleR1 {
			r1++
		}
	}
	if len(raised) == 0 || r1 == 0 {
		t.Fatalf("the test record raises %d alerts, %d of them R1", len(raised), r1)
	}
	// The same record twice (a replay) and one poison message.
	for _, d := range [][]byte{data, data, []byte(`{"schema":1,"template":"nope"}`)} {
		if _, err := b.JS.Publish(ctx, bus.ParsedSubject("22"), d); err != nil {
			t.Fatal(err)
		}
	}
	a := newTestAlerter(t, b)
	st := runUntil(t, a, func(s Stats) bool { return s.Records+s.Dead >= 3 })
	if st.Records != 2 || st.Dead != 1 || st.Alerts != len(raised) || st.ByRule["R1"] != r1 {
		t.Fatalf("stats %+v, want 2 records, 1 dead, %d alerts (%d R1)", st, len(raised), r1)
	}
	if n := streamMsgs(t, b, bus.StreamAlerts); n != uint64(len(raised)) {
		t.Fatalf("ALERTS holds %d messages, want %d", n, len(raised))
	}
	if n := streamMsgs(t, b, bus.StreamDead); n != 1 {
		t.Fatalf("DEAD holds %d messages", n)
	}
	c, _ := b.JS.Consumer(ctx, bus.StreamParsed, bus.ConsumerAlerter)
	ci, _ := c.Info(ctx)
	if ci.NumPending != 0 || ci.NumAckPending != 0 {
		t.Fatalf("consumer pending %d ack-pending %d", ci.NumPending, ci.NumAckPending)
	}

	// A restart: another alerter sees the record again (a re-extraction of the
	// same content, hours later — past NATS's duplicate window). Nothing is raised.
	rec.Meta.ExtractedAt = rec.Meta.ExtractedAt.Add(time.Hour)
	data, _ = rec.Marshal()
	if _, err := b.JS.Publish(ctx, bus.ParsedSubject("22"), data); err != nil {
		t.Fatal(err)
	}
	a2 := newTestAlerter(t, b)
	st = runUntil(t, a2, func(s Stats) bool { return s.Records >= 1 })
	if st.Records != 1 || st.Alerts != 0 || st.Resolved != 0 {
		t.Fatalf("after a restart: stats %+v, want 1 record and nothing raised", st)
	}

	// The body fixes its filing: the same document with other content and no
	// broken rule. Every alert of the document is resolved, once.
	fixed := brokenRecord()
	fixed.Applications.Set(report.RowTotal, report.ColNaturalPerson, report.Number(5))
	fixed.Applications.Set(report.RowTotal, report.ColTotal, report.Number(5))
	fixed.Meta.ContentSHA256 = "fixed"
	fixed.Findings = report.Check(fixed)
	if n := len(alert.FromRecord(fixed, cfg0.enabled(), time.Now())); n != 0 {
		t.Fatalf("the fixed record still raises %d alerts", n)
	}
	data, _ = fixed.Marshal()
	for range 2 {
		if _, err := b.JS.Publish(ctx, bus.ParsedSubject("22"), data); err != nil {
			t.Fatal(err)
		}
	}
	a3 := newTestAlerter(t, b)
	st = runUntil(t, a3, func(s Stats) bool { return s.Records >= 2 })
	if st.Resolved != len(raised) || st.Alerts != 0 {
		t.Fatalf("fixed filing: stats %+v, want %d resolved", st, len(raised))
	}
	if n := streamMsgs(t, b, bus.StreamAlerts); n != 2*uint64(len(raised)) {
		t.Fatalf("ALERTS holds %d messages, want %d raised + %d resolved", n, len(raised), len(raised))
	}
}

// TestWebhookSink: the alerts a record raises reach a configured JSON webhook,
// once each, as the alert JSON.
func TestWebhookSink(t *testing.T) {
	var (
		mu  sync.Mutex
		got []alert.Alert
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a alert.Alert
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		got = append(got, a)
		mu.Unlock()
	}))
	defer recv.Close()
	b := testBus(t)
	kv, err := b.AlertStateKV(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.FetchMaxWait = 100 * time.Millisecond
	ep := webhook.DefaultEndpoint(webhook.FormatJSON)
	ep.Name, ep.URL = "receiver", recv.URL
	cfg.Webhooks.Endpoints = []webhook.Endpoint{ep}
	a, err := New(cfg, Deps{JS: b.JS, State: kv}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := brokenRecord()
	data, _ := rec.Marshal()
	for range 2 {
		if _, err := b.JS.Publish(context.Background(), bus.ParsedSubject("22"), data); err != nil {
			t.Fatal(err)
		}
	}
	want := alert.FromRecord(rec, cfg.enabled(), time.Now())
	runUntil(t, a, func(Stats) bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) >= len(want)
	})
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("webhook received %d alerts, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Key != want[i].Key || got[i].DocID != rec.Meta.DocID || got[i].MessageEN == "" {
			t.Errorf("alert %d: %+v, want key %s", i, got[i], want[i].Key)
		}
	}
}
