package extractor

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/govreport/govreport/extractor/internal/attachfixtures"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/score"
)

func TestConfigValidate(t *testing.T) {
	good := DefaultConfig()
	if err := good.Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	tests := map[string]func(*Config){
		"workers":        func(c *Config) { c.Workers = 0 },
		"max_body_bytes": func(c *Config) { c.MaxBodyBytes = 10 },
		"ack_wait":       func(c *Config) { c.AckWait = time.Millisecond },
		"fetch_max_wait": func(c *Config) { c.FetchMaxWait = 2 * c.AckWait },
		"max_deliver":    func(c *Config) { c.MaxDeliver = 1 },
		"batch":          func(c *Config) { c.Batch = 0 },
		"nak_delay":      func(c *Config) { c.NakDelay = -time.Second },
	}
	for field, mutate := range tests {
		c := DefaultConfig()
		mutate(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), "extractor."+field) {
			t.Errorf("%s: error %v", field, err)
		}
	}
}

// TestStage runs the stage on an embedded NATS: a report, a notice and a poison
// message go in; one record, one rejection and one dead letter come out, and RAW is
// fully acknowledged.
func TestStage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	report1, _ := rawdoc.New("http://www.dehui.gov.cn/zwgk/1.html", readFile(t, "testdata/html/trs_2019_per_section.html"), testTime)
	report1.Site, report1.ContentType = dehui, "text/html; charset=utf-8"
	notice, _ := rawdoc.New("http://www.dehui.gov.cn/zwgk/2.html",
		[]byte(`<html><head><title>关于报送2019年政府信息公开工作年度报告的通知</title></head><body><p>请各单位按时报送年度报告。</p></body></html>`), testTime)
	notice.Site = dehui
	for _, d := range []*rawdoc.Document{report1, notice} {
		if _, err := b.PublishRaw(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	poison := nats.NewMsg(bus.RawSubject("22", "dehui"))
	poison.Data = []byte(`{"doc_id": 42, "not": "a raw document"`)
	if _, err := b.JS.PublishMsg(ctx, poison); err != nil {
		t.Fatal(err)
	}

	cfg := DefaultConfig()
	cfg.FetchMaxWait = 200 * time.Millisecond
	reg := prometheus.NewRegistry()
	ex, err := New(cfg, b, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ex.Run(runCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for ex.Stats().Documents < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}

	st := ex.Stats()
	if st.Documents != 3 || st.Parsed != 1 || st.Rejected[report.ReasonNotReport] != 1 || st.Dead != 1 || st.Retried != 0 {
		t.Fatalf("stats %+v", st)
	}
	if n := testutil.ToFloat64(ex.m.documents.WithLabelValues(OutcomeParsed)); n != 1 {
		t.Errorf("parsed counter %v", n)
	}
	if n := testutil.CollectAndCount(reg, "govreport_extractor_parse_seconds"); n != 1 {
		t.Errorf("parse histogram count %d", n)
	}

	parsed := fetchAll(t, b, bus.StreamParsed, bus.SubjectParsed+".>")
	if len(parsed) != 1 || parsed[0].Subject() != "reports.parsed.22" {
		t.Fatalf("PARSED records: %d", len(parsed))
	}
	rec, err := report.Unmarshal(parsed[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Meta.DocID != report1.DocID || rec.Template != report.Template2019 ||
		rec.Applications.Get(report.RowNewReceived, report.ColTotal).Value != 16 {
		t.Errorf("record %+v", rec.Meta)
	}
	// The record says where its raw document is archived: report1 was published first.
	if a := rec.Meta.Archive; a == nil || a.Stream != bus.StreamRaw || a.Seq != 1 {
		t.Errorf("archive %+v, want RAW seq 1", a)
	}
	if id := parsed[0].Headers().Get(jetstream.MsgIDHeader); id != report1.DocID+":"+report1.SHA256+":"+Version {
		t.Errorf("message id %q", id)
	}
	rejected := fetchAll(t, b, bus.StreamParsed, bus.SubjectRejected+".>")
	if len(rejected) != 1 || rejected[0].Subject() != "reports.rejected.22" {
		t.Fatalf("rejections: %d", len(rejected))
	}
	rej, err := report.UnmarshalRejection(rejected[0].Data())
	if err != nil || rej.Reason != report.ReasonNotReport || rej.DocID != notice.DocID {
		t.Fatalf("rejection %+v %v", rej, err)
	}
	dead := fetchAll(t, b, bus.StreamDead, bus.DeadSubject("extractor"))
	if len(dead) != 1 || !strings.Contains(dead[0].Headers().Get(bus.HeaderError), "decode raw document") {
		t.Fatalf("dead letters: %d", len(dead))
	}

	cons, err := b.JS.Consumer(ctx, bus.StreamRaw, bus.ConsumerExtractor)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 0 || info.NumAckPending != 0 || info.AckFloor.Stream != 3 {
		t.Fatalf("RAW not fully acked: pending %d, ack pending %d, ack floor %d", info.NumPending, info.NumAckPending, info.AckFloor.Stream)
	}
}

// TestStageRetriesThenDeadLetters: a raw document whose body is in the object store
// but missing fails transiently, is retried, and is dead-lettered after
// MaxDeliver-1 deliveries.
func TestStageRetriesThenDeadLetters(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d, _ := rawdoc.New("http://www.dehui.gov.cn/big.html", []byte("<html>gone</html>"), testTime)
	d.Site = dehui
	d.Body, d.BodyRef = nil, d.SHA256 // the reference points at nothing
	data, _ := json.Marshal(d)
	msg := nats.NewMsg(bus.RawSubject("22", "dehui"))
	msg.Data = data
	if _, err := b.JS.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.FetchMaxWait, cfg.NakDelay, cfg.MaxDeliver = 100*time.Millisecond, 10*time.Millisecond, 3
	ex, err := New(cfg, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ex.Run(runCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for ex.Stats().Dead < 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := ex.Stats()
	if st.Retried != int64(cfg.MaxDeliver-2) || st.Dead != 1 || st.Parsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	dead := fetchAll(t, b, bus.StreamDead, bus.DeadSubject("extractor"))
	if len(dead) != 1 || dead[0].Headers().Get(bus.HeaderDeliveries) != "2" {
		t.Fatalf("dead letters %d", len(dead))
	}
}

func fetchAll(t *testing.T, b *bus.Bus, stream, filter string) []jetstream.Msg {
	t.Helper()
	ctx := context.Background()
	c, err := b.JS.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := c.Fetch(100, jetstream.FetchMaxWait(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for m := range batch.Messages() {
		out = append(out, m)
	}
	return out
}

// TestStageAttachments sends attachments through the stage as the crawler
// publishes them (kind attachment, their content type, a .docx/.xlsx/.pdf URL)
// and checks each record on PARSED against the record it was rendered from.
func TestStageAttachments(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var e attachfixtures.Expected
	if err := json.Unmarshal(readFile(t, filepath.Join(attachDir, "portal-tables-1.expected.json")), &e); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"pdf":  "application/pdf",
	}
	want := map[string]string{} // doc ID → format
	for format, ct := range types {
		u := strings.TrimSuffix(e.URL, ".html") + "." + format
		d, err := rawdoc.New(u, readFile(t, filepath.Join(attachDir, "portal-tables-1."+format)), testTime)
		if err != nil {
			t.Fatal(err)
		}
		d.Site, d.ContentType, d.Kind = e.Site, ct, rawdoc.KindAttachment
		if _, err := b.PublishRaw(ctx, d); err != nil {
			t.Fatal(err)
		}
		want[d.DocID] = format
	}
	cfg := DefaultConfig()
	cfg.FetchMaxWait = 200 * time.Millisecond
	ex, err := New(cfg, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ex.Run(runCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for ex.Stats().Documents < int64(len(types)) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if st := ex.Stats(); st.Parsed != int64(len(types)) {
		t.Fatalf("stats %+v, want %d parsed", st, len(types))
	}
	for _, m := range fetchAll(t, b, bus.StreamParsed, bus.SubjectParsed+".>") {
		rec, err := report.Unmarshal(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		format, ok := want[rec.Meta.DocID]
		if !ok {
			t.Fatalf("unexpected record %s", rec.Meta.DocID)
		}
		delete(want, rec.Meta.DocID)
		if r := score.Compare(rec, e.Record); r.Correct != r.Cells || r.Cells == 0 {
			t.Errorf("%s through the stage: %d of %d cells right", format, r.Correct, r.Cells)
		}
	}
	if len(want) != 0 {
		t.Errorf("no record for %v", want)
	}
}
