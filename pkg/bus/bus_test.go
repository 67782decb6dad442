package bus

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go/jetstream"
)

func openTest(t *testing.T, mutate func(*Config)) *Bus {
	t.Helper()
	cfg := DefaultConfig()
	if mutate != nil {
		mutate(&cfg)
	}
	b, err := Open(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestOpenCreatesStreams(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	for _, sc := range StreamConfigs(1) {
		s, err := b.JS.Stream(ctx, sc.Name)
		if err != nil {
			t.Fatalf("stream %s: %v", sc.Name, err)
		}
		if got := s.CachedInfo().Config.Subjects; strings.Join(got, ",") != strings.Join(sc.Subjects, ",") {
			t.Errorf("stream %s subjects %v", sc.Name, got)
		}
	}
	if !b.Embedded() || b.ClientURL() != "" {
		t.Errorf("in-process embedded server should not listen: %q", b.ClientURL())
	}
	// Idempotent.
	if err := EnsureStreams(ctx, b.JS, 1); err != nil {
		t.Fatal(err)
	}
}

func TestSubjects(t *testing.T) {
	tests := map[string]string{
		RawSubject("22", "site-001"): "reports.raw.22.site-001",
		RawSubject("", "德惠"):         "reports.raw.unknown.__",
		ParsedSubject("32"):          "reports.parsed.32",
		RejectedSubject(""):          "reports.rejected.unknown",
		DeadSubject("loader"):        "reports.dead.loader",
		AlertSubject("R1"):           "alerts.r1",
		CrawlJobSubject("A.b c>"):    "crawl.jobs.a_b_c_",
		Token("x*y"):                 "x_y",
	}
	for got, want := range tests {
		if got != want {
			t.Errorf("got %q want %q", got, want)
		}
	}
}

func TestEmbeddedListensWhenAsked(t *testing.T) {
	b := openTest(t, func(c *Config) { c.Embedded.Listen = "127.0.0.1:0" })
	url := b.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("client url %q", url)
	}
	// A second process-like client reaches the same streams over TCP.
	cfg := DefaultConfig()
	cfg.URL = url
	other, err := Open(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if other.Embedded() {
		t.Fatal("external connection reports embedded")
	}
	if _, err := other.JS.Stream(context.Background(), StreamRaw); err != nil {
		t.Fatal(err)
	}
}

func fetchOne(t *testing.T, b *Bus, stream, filter string) jetstream.Msg {
	t.Helper()
	ctx := context.Background()
	c, err := b.JS.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{FilterSubject: filter, AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := c.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		return m
	}
	t.Fatalf("no message on %s", filter)
	return nil
}

func TestPublishRawInlineAndObjectStore(t *testing.T) {
	b := openTest(t, func(c *Config) { c.MaxInlineBody = 100 << 10 })
	ctx := context.Background()
	small, _ := rawdoc.New("http://a.gov.cn/small.html", []byte("<html>small</html>"), time.Now().UTC())
	small.Site = rawdoc.Site{ID: "site-a", Code: "220183"}
	big, _ := rawdoc.New("http://a.gov.cn/big.pdf", bytes.Repeat([]byte("x"), 300<<10), time.Now().UTC())
	big.Site = small.Site
	for _, d := range []*rawdoc.Document{small, big} {
		if _, err := b.PublishRaw(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// Publishing the same fetch again is deduplicated by message ID.
	ack, err := b.PublishRaw(ctx, small)
	if err != nil || !ack.Duplicate {
		t.Fatalf("second publish: ack %+v err %v", ack, err)
	}
	s, _ := b.JS.Stream(ctx, StreamRaw)
	info, _ := s.Info(ctx)
	if info.State.Msgs != 2 {
		t.Fatalf("RAW holds %d messages, want 2", info.State.Msgs)
	}
	m := fetchOne(t, b, StreamRaw, "reports.raw.22.site-a")
	got, err := rawdoc.Unmarshal(m.Data())
	if err != nil {
		t.Fatal(err)
	}
	if got.DocID != small.DocID || string(got.Body) != "<html>small</html>" {
		t.Fatalf("first message %+v", got)
	}
	// The big body went to the object store; the message carries the reference.
	raw, _ := s.GetMsg(ctx, 2)
	ref, err := rawdoc.Unmarshal(raw.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Body) != 0 || ref.BodyRef != big.SHA256 || len(raw.Data) > 10<<10 {
		t.Fatalf("big body inline: ref=%q len(data)=%d", ref.BodyRef, len(raw.Data))
	}
	if err := b.LoadBody(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ref.Body, big.Body) {
		t.Fatal("object-store body differs")
	}
}

func TestDeadLetter(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	if _, err := b.JS.Publish(ctx, ParsedSubject("22"), []byte("not json")); err != nil {
		t.Fatal(err)
	}
	m := fetchOne(t, b, StreamParsed, ParsedSubject("22"))
	if err := DeadLetter(ctx, b.JS, "loader", m, errors.New("decode record: invalid character")); err != nil {
		t.Fatal(err)
	}
	dl := fetchOne(t, b, StreamDead, DeadSubject("loader"))
	h := dl.Headers()
	if string(dl.Data()) != "not json" || h.Get(HeaderStage) != "loader" || !strings.Contains(h.Get(HeaderError), "invalid character") ||
		h.Get(HeaderStream) != StreamParsed || h.Get(HeaderSubject) != "reports.parsed.22" || h.Get(HeaderSequence) != "1" {
		t.Fatalf("dead letter %q headers %v", dl.Data(), h)
	}
}

func TestWatchMaxDeliveries(t *testing.T) {
	b := openTest(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, StreamRaw, jetstream.ConsumerConfig{
		Durable: "flaky", AckPolicy: jetstream.AckExplicitPolicy, MaxDeliver: 2, AckWait: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.WatchMaxDeliveries(ctx, StreamRaw, "flaky", "extractor", nil) }()
	time.Sleep(50 * time.Millisecond) // let the watcher subscribe
	if _, err := b.JS.Publish(ctx, RawSubject("22", "s"), []byte("crashes the worker")); err != nil {
		t.Fatal(err)
	}
	// A worker that never acks: two deliveries, then the advisory.
	for i := 0; i < 2; i++ {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(3*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for range batch.Messages() {
			n++
		}
		if n != 1 {
			t.Fatalf("delivery %d: got %d messages", i+1, n)
		}
	}
	// The server gives up when the next pull finds the message over its limit.
	batch, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		t.Fatalf("delivered a third time: %s", m.Data())
	}
	dl := fetchOne(t, b, StreamDead, DeadSubject("extractor"))
	if string(dl.Data()) != "crashes the worker" || dl.Headers().Get(HeaderDeliveries) != "2" {
		t.Fatalf("dead letter %q %v", dl.Data(), dl.Headers())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Replicas = 0 },
		func(c *Config) { c.Replicas = 7 },
		func(c *Config) { c.MaxInlineBody = 1 << 20 },
		func(c *Config) { c.Embedded.Listen = "nonsense" },
		func(c *Config) { c.Embedded.MaxPayload = 1000 },
		func(c *Config) { c.ConnectTimeout = 0 },
	}
	for i, m := range bad {
		c := DefaultConfig()
		m(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("case %d accepted %+v", i, c)
		}
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
