package crawler

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sites"
)

// SiteStatusKV is where site crawl progress is written: the jetstream.KeyValue of
// bus.CrawlSitesKV.
type SiteStatusKV interface {
	Put(ctx context.Context, key string, value []byte) (uint64, error)
}

// defaultStatusEvery is how often a running site crawl's status is written.
const defaultStatusEvery = 5 * time.Second

// statusWriteTimeout bounds one status write: a slow NATS must not hold a crawl.
const statusWriteTimeout = 5 * time.Second

// WithSiteStatusKV writes each site crawl's progress to kv (bus.CrawlSitesKV), a
// bus.SiteStatus keyed by site: when the crawl starts, every interval while it
// runs (every <= 0: 5 seconds) and when it ends. A failed write is logged and
// counted; it never fails the crawl.
func WithSiteStatusKV(kv SiteStatusKV, every time.Duration) Option {
	return func(c *Crawler) error {
		if kv == nil {
			return errors.New("crawler: nil site status bucket")
		}
		if every <= 0 {
			every = defaultStatusEvery
		}
		c.siteKV, c.siteEvery = kv, every
		return nil
	}
}

// siteReporter writes one site crawl's status while it runs.
type siteReporter struct {
	c       *Crawler
	sc      *siteCrawl
	started time.Time
	stop    chan struct{}
	wg      sync.WaitGroup
}

// reportSite writes the running status of a site crawl and keeps it current until
// finish is called. Without a status bucket it does nothing.
func (c *Crawler) reportSite(ctx context.Context, sc *siteCrawl) *siteReporter {
	r := &siteReporter{c: c, sc: sc, started: c.now(), stop: make(chan struct{})}
	if c.siteKV == nil {
		return r
	}
	c.putSiteStatus(ctx, r.status(bus.SiteRunning))
	r.wg.Go(func() {
		t := time.NewTicker(c.siteEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.putSiteStatus(ctx, r.status(bus.SiteRunning))
			case <-r.stop:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	return r
}

// finish stops the periodic writes and writes the final status: interrupted when
// ctx ended, failed when nothing could be fetched, done otherwise.
func (r *siteReporter) finish(ctx context.Context) {
	close(r.stop)
	r.wg.Wait()
	if r.c.siteKV == nil {
		return
	}
	st := r.status(bus.SiteDone)
	switch {
	case ctx.Err() != nil:
		st.State = bus.SiteInterrupted
	case st.Pages() == 0 && st.ErrorCount() > 0:
		st.State = bus.SiteFailed
	}
	st.Finished = st.Updated
	// The crawl's context may be over (shutdown): the last word is still written.
	r.c.putSiteStatus(context.WithoutCancel(ctx), st)
}

// status is the site crawl's status now.
func (r *siteReporter) status(state string) bus.SiteStatus {
	sc := r.sc
	st := siteStatusBase(sc.site, sc.runName, state, r.started, r.c.now())
	sc.mu.Lock()
	s := sc.stats
	st.LastError = sc.lastError
	st.Errors = make(map[string]int, len(s.Errors))
	for k, v := range s.Errors {
		st.Errors[k] = v
	}
	sc.mu.Unlock()
	st.ListPages, st.Reports, st.Attachments = s.ListPages, s.Reports, s.Attachments
	st.Published, st.Duplicates, st.NotModified, st.Unchanged = s.Published, s.Duplicates, s.NotModified, s.Unchanged
	st.Skipped, st.Retries, st.Bytes = s.Skipped, s.Retries, s.Bytes
	return st
}

func siteStatusBase(s *sites.Site, run, state string, started, now time.Time) bus.SiteStatus {
	return bus.SiteStatus{
		Site: s.ID, Name: s.Name, Province: s.Region.Province, Run: run, State: state,
		Started: started.UTC(), Updated: now.UTC(),
	}
}

// siteFailedToStart records a site crawl that could not start.
func (c *Crawler) siteFailedToStart(ctx context.Context, s *sites.Site, run string, cause error) {
	if c.siteKV == nil {
		return
	}
	now := c.now()
	st := siteStatusBase(s, run, bus.SiteFailed, now, now)
	st.Finished, st.LastError = st.Updated, cause.Error()
	c.putSiteStatus(context.WithoutCancel(ctx), st)
}

// putSiteStatus writes a status; a failure is logged and counted, never returned.
func (c *Crawler) putSiteStatus(ctx context.Context, st bus.SiteStatus) {
	data, err := st.Marshal()
	if err == nil {
		wctx, cancel := context.WithTimeout(ctx, statusWriteTimeout)
		_, err = c.siteKV.Put(wctx, bus.SiteStatusKey(st.Site), data)
		cancel()
	}
	if err != nil {
		c.metrics.statusErrors.Inc()
		if ctx.Err() == nil {
			c.log.Warn("write site status", "site", st.Site, "state", st.State, "err", err)
		}
	}
}

// noteError remembers a site crawl's latest final error for its status.
func (sc *siteCrawl) noteError(msg string) {
	sc.mu.Lock()
	sc.lastError = msg
	sc.mu.Unlock()
}
