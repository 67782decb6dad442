package crawler

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
)

// failingPublisher fails its first n publishes the way a lost NATS node does (the
// PubAck never comes), then publishes.
type failingPublisher struct {
	next  Publisher
	n     atomic.Int64
	calls atomic.Int64
}

func (p *failingPublisher) PublishRaw(ctx context.Context, d *rawdoc.Document) (*jetstream.PubAck, error) {
	if p.calls.Add(1) <= p.n.Load() {
		return nil, fmt.Errorf("publish raw document %s: %w", d.URL, context.DeadlineExceeded)
	}
	return p.next.PublishRaw(ctx, d)
}

// TestPublishRetried: publishes that fail while NATS fails over are retried, and
// every document ends up in RAW once.
func TestPublishRetried(t *testing.T) {
	hp := plainPortal(t, 3)
	b := openBus(t)
	cfg := hostileConfig()
	site := hp.sites[2]
	docs := hp.documents(2)
	pub := &failingPublisher{next: b}
	pub.n.Store(3)
	c, _ := New(cfg, pub, nil, nil, kvOptions(t, b)...)
	st, err := c.CrawlRun(context.Background(), &site, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rawDocuments(t, b)); got != len(docs) {
		t.Fatalf("RAW holds %d documents, want %d (%+v)", got, len(docs), st)
	}
	if st.Errors[errPublish] != 0 || st.Retries < 3 {
		t.Errorf("stats %+v: want 3 retries and no publish error", st)
	}
}

// TestJobHandedBackWhenPublishFails: a job whose documents could not be stored even
// after retries is handed back, not acknowledged, and its next delivery stores them.
func TestJobHandedBackWhenPublishFails(t *testing.T) {
	hp := plainPortal(t, 3)
	b := openBus(t)
	cfg := hostileConfig()
	cfg.Retry = RetryConfig{Attempts: 1, Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}
	site := hp.sites[2]
	docs := hp.documents(2)
	// Every document fails both its tries in the first delivery.
	pub := &failingPublisher{next: b}
	pub.n.Store(int64(2 * len(docs)))
	if _, err := b.PublishCrawlJob(context.Background(), bus.CrawlJob{Site: site.ID, Run: "r9", Scheduled: time.Now()}); err != nil {
		t.Fatal(err)
	}
	c, _ := New(cfg, pub, nil, nil, kvOptions(t, b)...)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { c.Work(ctx, consumer(t, b, 5*time.Second), hp.sites) })
	waitFor(t, 20*time.Second, "the handed-back job to be done", func() bool {
		return queueEmpty(b)() && len(rawDocuments(t, b)) == len(docs)
	})
	stop()
	wg.Wait()
	if n := pub.calls.Load(); n < int64(3*len(docs)) {
		t.Errorf("%d publishes: the job was not run again after its failures", n)
	}
}
