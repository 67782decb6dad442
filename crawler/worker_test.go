package crawler

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/crawler/schedule"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func queueEmpty(b *bus.Bus) func() bool {
	return func() bool {
		s, err := b.JS.Stream(context.Background(), bus.StreamCrawlJobs)
		if err != nil {
			return false
		}
		info, err := s.Info(context.Background())
		return err == nil && info.State.Msgs == 0
	}
}

func consumer(t *testing.T, b *bus.Bus, ackWait time.Duration) jetstream.Consumer {
	t.Helper()
	c, err := b.CrawlJobConsumer(context.Background(), ackWait, 5)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Two worker processes share the jobs the scheduler published: every site is
// crawled once, every document published once.
func TestWorkersShareJobs(t *testing.T) {
	hp := plainPortal(t, 6)
	ba, bb := twoProcesses(t)
	sched, err := schedule.New(schedule.DefaultConfig(), hp.sites, ba, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := sched.PublishAll(context.Background(), "r1"); err != nil || n != 6 {
		t.Fatalf("published %d jobs: %v", n, err)
	}
	cfg := hostileConfig()
	cfg.SiteConcurrency = 2
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var workers []*Crawler
	for _, b := range []*bus.Bus{ba, bb} {
		c, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
		workers = append(workers, c)
		q := consumer(t, b, 5*time.Second)
		wg.Go(func() {
			if err := c.Work(ctx, q, hp.sites); err != nil {
				t.Error(err)
			}
		})
	}
	docs := hp.allDocuments()
	waitFor(t, 20*time.Second, "every document", func() bool { return len(rawDocuments(t, ba)) == len(docs) })
	waitFor(t, 5*time.Second, "an empty queue", queueEmpty(ba))
	cancel()
	wg.Wait()
	done := 0.0
	for _, c := range workers {
		done += testutil.ToFloat64(c.metrics.jobs.WithLabelValues("done"))
	}
	if done != 6 {
		t.Fatalf("%v jobs done, want 6", done)
	}
	if workers[0].Live().Sites == 0 || workers[1].Live().Sites == 0 {
		t.Logf("one worker took every job: %d and %d sites", workers[0].Live().Sites, workers[1].Live().Sites)
	}
	for u := range docs {
		p, _ := url.Parse(u)
		if n := hp.h.Requests(p.Path); n != 1 {
			t.Errorf("%s requested %d times", p.Path, n)
		}
	}
}

// A worker dies in the middle of a job: the job comes back after its ack wait, and
// the next worker resumes the run without fetching what was completed.
func TestCrashedWorkerJobResumes(t *testing.T) {
	hp := plainPortal(t, 2)
	b := openBus(t)
	cfg := hostileConfig()
	site := hp.sites[1] // with attachments
	if _, err := b.PublishCrawlJob(context.Background(), bus.CrawlJob{Site: site.ID, Run: "r7", Scheduled: time.Now()}); err != nil {
		t.Fatal(err)
	}
	q := consumer(t, b, time.Second)
	batch, err := q.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var msg jetstream.Msg
	for m := range batch.Messages() {
		msg = m
	}
	job, err := bus.DecodeCrawlJob(msg.Data())
	if err != nil {
		t.Fatal(err)
	}
	docs := hp.documents(1)
	ctx, kill := context.WithCancel(context.Background())
	pub := &countingPublisher{next: b, after: func(n int) {
		if n == len(docs)/2 {
			kill()
		}
	}}
	dying, _ := New(cfg, pub, nil, nil, kvOptions(t, b)...)
	st1, _ := dying.CrawlRun(ctx, &site, job.Run) // and the process is gone: no ack, no nak

	c, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	wctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { c.Work(wctx, consumer(t, b, time.Second), hp.sites) })
	waitFor(t, 15*time.Second, "the job to be redone", queueEmpty(b))
	stop()
	wg.Wait()
	st2 := c.Live()
	raw := rawDocuments(t, b)
	if len(raw) != len(docs) {
		t.Fatalf("RAW holds %d documents, want %d (first %+v, resumed %+v)", len(raw), len(docs), st1, st2)
	}
	if st2.Skipped == 0 || st2.Published+st1.Published > len(docs) {
		t.Fatalf("resumed job: %+v after %+v", st2, st1)
	}
	again := 0
	for u := range docs {
		p, _ := url.Parse(u)
		if hp.h.Requests(p.Path) > 1 {
			again++
		}
	}
	if again > cfg.SiteWorkers {
		t.Fatalf("%d documents fetched twice; %d requests were in flight at most", again, cfg.SiteWorkers)
	}
}

// A worker that shuts down hands its job back at once; a job for a site the worker
// does not know is dropped.
func TestWorkerShutdownHandsJobBack(t *testing.T) {
	hp := plainPortal(t, 1)
	b := openBus(t)
	cfg := hostileConfig()
	cfg.HostDelay = 50 * time.Millisecond // slow enough to stop half-way
	for _, j := range []bus.CrawlJob{{Site: "nowhere", Run: "r1"}, {Site: hp.sites[0].ID, Run: "r1"}} {
		if _, err := b.PublishCrawlJob(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { first.Work(ctx, consumer(t, b, time.Minute), hp.sites) })
	waitFor(t, 10*time.Second, "the crawl to start", func() bool { return first.Live().Published > 2 })
	stop()
	wg.Wait()
	if n := testutil.ToFloat64(first.metrics.jobs.WithLabelValues("interrupted")); n != 1 {
		t.Fatalf("%v jobs interrupted", n)
	}
	if n := testutil.ToFloat64(first.metrics.jobs.WithLabelValues("bad")); n != 1 {
		t.Fatalf("%v bad jobs", n)
	}
	// The ack wait is a minute: the job only comes back this soon because it was
	// handed back.
	second, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	ctx, stop = context.WithCancel(context.Background())
	wg.Go(func() { second.Work(ctx, consumer(t, b, time.Minute), hp.sites) })
	waitFor(t, 20*time.Second, "the job to be finished", queueEmpty(b))
	stop()
	wg.Wait()
	if n := len(rawDocuments(t, b)); n != len(hp.allDocuments()) {
		t.Fatalf("RAW holds %d documents, want %d", n, len(hp.allDocuments()))
	}
	if second.Live().Skipped == 0 {
		t.Fatalf("resumed job skipped nothing: %+v", second.Live())
	}
}
