package crawler

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
)

// JobQueue is the work queue of crawl jobs (the jetstream.Consumer of
// bus.CrawlJobConsumer).
type JobQueue interface {
	Fetch(batch int, opts ...jetstream.FetchOpt) (jetstream.MessageBatch, error)
	Info(ctx context.Context) (*jetstream.ConsumerInfo, error)
}

// Work takes crawl jobs from q and crawls their sites, SiteConcurrency at a time,
// until ctx ends; then it waits for the running crawls to stop. Any number of
// processes can work the same queue: each job goes to one of them. A job is
// acknowledged when its crawl finished; while it runs the worker tells the queue
// it is alive, so a job of a process that died goes to another after
// Jobs.AckWait, and that one resumes the run (what the run completed is not
// fetched again). A job interrupted by shutdown is handed back at once.
func (c *Crawler) Work(ctx context.Context, q JobQueue, all []sites.Site) error {
	byID := make(map[string]*sites.Site, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	stop := c.startProgress(ctx, 0)
	defer stop()
	sem := make(chan struct{}, c.cfg.SiteConcurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		msg, err := c.nextJob(ctx, q)
		if msg != nil && ctx.Err() != nil {
			_ = msg.Nak() // taken while stopping: hand it back untouched
			<-sem
			return nil
		}
		if msg == nil {
			<-sem
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				c.log.Warn("fetch crawl job", "err", err)
				if sleep(ctx, time.Second) != nil {
					return nil
				}
			}
			continue
		}
		job, err := bus.DecodeCrawlJob(msg.Data())
		var site *sites.Site
		if err == nil {
			if site = byID[job.Site]; site == nil {
				err = errors.New("unknown site " + job.Site)
			}
		}
		if err != nil {
			c.log.Error("bad crawl job: dropped", "subject", msg.Subject(), "err", err)
			c.metrics.jobs.WithLabelValues("bad").Inc()
			_ = msg.Term()
			<-sem
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			c.runJob(ctx, msg, job, site)
		})
	}
}

// nextJob waits up to a second for a job; nil when none came.
func (c *Crawler) nextJob(ctx context.Context, q JobQueue) (jetstream.Msg, error) {
	batch, err := q.Fetch(1, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		return nil, err
	}
	var msg jetstream.Msg
	for m := range batch.Messages() {
		msg = m
	}
	if info, err := q.Info(ctx); err == nil {
		c.metrics.queueDepth.Set(float64(info.NumPending))
	}
	if msg == nil && batch.Error() != nil && !errors.Is(batch.Error(), jetstream.ErrNoMessages) {
		return nil, batch.Error()
	}
	return msg, nil
}

// runJob crawls a job's site, keeping the job alive, and acknowledges it.
func (c *Crawler) runJob(ctx context.Context, msg jetstream.Msg, job bus.CrawlJob, site *sites.Site) {
	log := c.log.With("site", job.Site, "run", job.Run)
	if md, err := msg.Metadata(); err == nil && md.NumDelivered > 1 {
		log.Info("resuming crawl job", "delivery", md.NumDelivered)
	}
	alive := make(chan struct{})
	var hb sync.WaitGroup
	hb.Go(func() {
		t := time.NewTicker(max(c.cfg.Jobs.AckWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if err := msg.InProgress(); err != nil {
					log.Warn("extend crawl job", "err", err)
				}
			case <-alive:
				return
			}
		}
	})
	st, err := c.CrawlRun(ctx, site, job.Run)
	close(alive)
	hb.Wait()
	actx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if ctx.Err() != nil {
		// Shutting down: hand the job back so another worker resumes it now.
		c.metrics.jobs.WithLabelValues("interrupted").Inc()
		if err := msg.Nak(); err != nil {
			log.Warn("hand back crawl job", "err", err)
		}
		return
	}
	if err != nil {
		log.Error("crawl job", "err", err)
	}
	if n := st.Errors[errPublish]; n > 0 {
		// Documents were fetched but could not be stored even after retries (NATS
		// trouble): hand the job back, so that it is resumed later and fetches
		// what it could not store; what it did store is skipped then. MaxDeliver
		// bounds the attempts (then the job is dead-lettered).
		c.metrics.jobs.WithLabelValues("retried").Inc()
		log.Warn("crawl job handed back: documents not stored", "unstored", n, "after", c.cfg.Retry.Max)
		if err := msg.NakWithDelay(c.cfg.Retry.Max); err != nil {
			log.Warn("hand back crawl job", "err", err)
		}
		return
	}
	c.metrics.jobs.WithLabelValues("done").Inc()
	if err := msg.DoubleAck(actx); err != nil {
		log.Warn("acknowledge crawl job", "err", err)
	}
	log.Info("crawl job done", "published", st.Published, "errors", st.ErrorCount())
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
