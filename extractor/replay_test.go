package extractor

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
)

// TestReplay reads archived raw documents again through a consumer of its own:
// filtered by subject, from a start time, idempotent when the parser has not
// changed, and without touching the extractor's consumer.
func TestReplay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	page := readFile(t, "testdata/html/trs_2019_per_section.html")
	other := rawdoc.Site{ID: "beijing", Name: "北京市人民政府", Province: "北京市", Code: "110000"}
	var firstAt time.Time
	for i, d := range []struct {
		url  string
		site rawdoc.Site
	}{
		{"http://www.dehui.gov.cn/zwgk/1.html", dehui},
		{"http://www.dehui.gov.cn/zwgk/2.html", dehui},
		{"http://www.beijing.gov.cn/zwgk/1.html", other},
	} {
		doc, _ := rawdoc.New(d.url, page, testTime)
		doc.Site, doc.ContentType = d.site, "text/html; charset=utf-8"
		if _, err := b.PublishRaw(ctx, doc); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			time.Sleep(20 * time.Millisecond)
			firstAt = time.Now()
		}
	}
	cfg := DefaultConfig()
	cfg.FetchMaxWait = 100 * time.Millisecond
	parsed := func() int { return len(fetchAll(t, b, bus.StreamParsed, bus.SubjectParsed+".>")) }

	// Province 22 (德惠) only.
	x, err := New(cfg, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Replay(ctx, Replay{Name: "reparse-jl", Subject: bus.SubjectRaw + ".22.>"}); err != nil {
		t.Fatal(err)
	}
	if st := x.Stats(); st.Documents != 2 || st.Parsed != 2 {
		t.Errorf("province replay: %+v, want 2 parsed", st)
	}
	if n := parsed(); n != 2 {
		t.Errorf("PARSED holds %d records, want 2", n)
	}
	if _, err := b.JS.Consumer(ctx, bus.StreamRaw, "reparse-jl"); !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Errorf("finished replay left its consumer: %v", err)
	}

	// Everything since after the first document: the second and the third. The
	// second was just published by the same parser, so PARSED keeps one copy.
	x, _ = New(cfg, b, nil, nil)
	if err := x.Replay(ctx, Replay{Since: firstAt}); err != nil {
		t.Fatal(err)
	}
	if st := x.Stats(); st.Documents != 2 {
		t.Errorf("replay since %s took %d documents, want 2", firstAt, st.Documents)
	}
	if n := parsed(); n != 3 {
		t.Errorf("PARSED holds %d records, want 3 (one new, one duplicate dropped)", n)
	}

	// The extractor's own consumer is untouched (never created here), and a replay
	// may not take its name.
	if _, err := b.JS.Consumer(ctx, bus.StreamRaw, bus.ConsumerExtractor); !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Errorf("extractor consumer: %v", err)
	}
	if err := x.Replay(ctx, Replay{Name: bus.ConsumerExtractor}); err == nil {
		t.Error("a replay took the extractor's consumer name")
	}
}
