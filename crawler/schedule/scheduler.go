package schedule

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"
)

// Publisher stores crawl jobs in the work queue (a *bus.Bus).
type Publisher interface {
	PublishCrawlJob(ctx context.Context, job bus.CrawlJob) (*jetstream.PubAck, error)
}

// Scheduler publishes a crawl job for every site when its schedule fires.
type Scheduler struct {
	pub  Publisher
	log  *slog.Logger
	loc  *time.Location
	site map[string][]cron.Schedule
	ids  []string

	scheduled  prometheus.Counter
	duplicates prometheus.Counter
	nextRun    prometheus.Gauge

	// now and after are the clock (tests replace them).
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

// New returns a scheduler for the sites. log may be nil; reg may be nil.
func New(cfg Config, all []sites.Site, pub Publisher, log *slog.Logger, reg prometheus.Registerer) (*Scheduler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if pub == nil {
		return nil, fmt.Errorf("schedule: no publisher")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	loc, _ := cfg.location()
	s := &Scheduler{pub: pub, log: log, loc: loc, site: map[string][]cron.Schedule{}, now: time.Now, after: time.After}
	for _, st := range all {
		if _, dup := s.site[st.ID]; dup {
			return nil, fmt.Errorf("schedule: site %s listed twice", st.ID)
		}
		for _, spec := range cfg.Specs {
			p, err := Parse(spec, st.ID)
			if err != nil {
				return nil, err
			}
			s.site[st.ID] = append(s.site[st.ID], p)
		}
		s.ids = append(s.ids, st.ID)
	}
	s.scheduled = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "govreport_crawler_jobs_scheduled_total", Help: "Crawl jobs the scheduler published.",
	})
	s.duplicates = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "govreport_crawler_jobs_duplicate_total", Help: "Crawl jobs another scheduler had already published.",
	})
	s.nextRun = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "govreport_crawler_next_job_timestamp_seconds", Help: "When the scheduler publishes its next job (Unix time).",
	})
	if reg != nil {
		for _, c := range []prometheus.Collector{s.scheduled, s.duplicates, s.nextRun} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register scheduler metrics: %w", err)
			}
		}
	}
	return s, nil
}

// Next returns a site's first scheduled time after t (zero for an unknown site).
func (s *Scheduler) Next(site string, t time.Time) time.Time {
	var next time.Time
	for _, sc := range s.site[site] {
		if n := sc.Next(t.In(s.loc)); next.IsZero() || n.Before(next) {
			next = n
		}
	}
	return next
}

// RunName is the run name of a job scheduled at t.
func RunName(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Run publishes jobs as the sites fall due, until ctx ends. A job that cannot be
// published is logged and retried a minute later.
func (s *Scheduler) Run(ctx context.Context) error {
	h := &dueHeap{}
	now := s.now()
	for _, id := range s.ids {
		heap.Push(h, due{site: id, at: s.Next(id, now)})
	}
	s.log.Info("scheduler started", "sites", len(s.ids))
	for h.Len() > 0 && ctx.Err() == nil {
		next := (*h)[0]
		s.nextRun.Set(float64(next.at.Unix()))
		if wait := next.at.Sub(s.now()); wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-s.after(wait):
			}
			continue
		}
		heap.Pop(h)
		at := next.at
		if !next.retry.IsZero() {
			at = next.retry
		}
		job := bus.CrawlJob{Site: next.site, Run: RunName(at), Scheduled: at}
		if err := s.publish(ctx, job); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Error("publish crawl job", "site", job.Site, "run", job.Run, "err", err)
			heap.Push(h, due{site: next.site, at: s.now().Add(time.Minute), retry: at})
			continue
		}
		heap.Push(h, due{site: next.site, at: s.Next(next.site, at)})
	}
	<-ctx.Done()
	return nil
}

// PublishAll publishes a job for every site now, named run (once-mode through the
// work queue).
func (s *Scheduler) PublishAll(ctx context.Context, run string) (int, error) {
	at := s.now()
	n := 0
	for _, id := range s.ids {
		if err := s.publish(ctx, bus.CrawlJob{Site: id, Run: run, Scheduled: at}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Scheduler) publish(ctx context.Context, job bus.CrawlJob) error {
	ack, err := s.pub.PublishCrawlJob(ctx, job)
	if err != nil {
		return err
	}
	if ack.Duplicate {
		s.duplicates.Inc()
		return nil
	}
	s.scheduled.Inc()
	s.log.Info("crawl job published", "site", job.Site, "run", job.Run)
	return nil
}

// due is a site's next job.
type due struct {
	site  string
	at    time.Time
	retry time.Time // the original time of a job being retried
}

type dueHeap []due

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(due)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
