package alerter

import (
	"context"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
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

func TestRunPublishesOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
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
	cfg := DefaultConfig()
	cfg.FetchMaxWait = 100 * time.Millisecond
	a, err := New(cfg, b.JS, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for a.Stats().Records+a.Stats().Dead < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := a.Stats()
	if st.Records != 2 || st.Dead != 1 || st.ByRule["R1"] != 2*r1 {
		t.Fatalf("stats %+v", st)
	}
	// Each distinct alert published once, although raised twice.
	s, _ := b.JS.Stream(context.Background(), bus.StreamAlerts)
	info, _ := s.Info(context.Background())
	if info.State.Msgs != uint64(len(raised)) {
		t.Fatalf("ALERTS holds %d messages, want %d", info.State.Msgs, len(raised))
	}
	dl, _ := b.JS.Stream(context.Background(), bus.StreamDead)
	dinfo, _ := dl.Info(context.Background())
	if dinfo.State.Msgs != 1 {
		t.Fatalf("DEAD holds %d messages", dinfo.State.Msgs)
	}
	// Everything acknowledged.
	c, _ := b.JS.Consumer(context.Background(), bus.StreamParsed, bus.ConsumerAlerter)
	ci, _ := c.Info(context.Background())
	if ci.NumPending != 0 || ci.NumAckPending != 0 {
		t.Fatalf("consumer pending %d ack-pending %d", ci.NumPending, ci.NumAckPending)
	}
}
