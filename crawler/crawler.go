package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govreport/govreport/crawler/hostgate"
	"github.com/govreport/govreport/crawler/robots"
	"github.com/govreport/govreport/crawler/urlstate"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Publisher stores a raw document durably (the RAW stream).
type Publisher interface {
	PublishRaw(ctx context.Context, doc *rawdoc.Document) (*jetstream.PubAck, error)
}

// Crawler crawls sites and publishes what it finds. It is safe for concurrent use;
// every crawl shares its per-host limits, robots.txt cache and URL state.
type Crawler struct {
	cfg       Config
	pub       Publisher
	log       *slog.Logger
	metrics   *metrics
	state     urlstate.Store
	hosts     hostgate.Store
	gate      *hostgate.Gate
	robots    *robots.Cache
	transport http.RoundTripper
	now       func() time.Time

	progressOut   io.Writer
	progressEvery time.Duration

	siteKV    SiteStatusKV // nil: site progress is not written
	siteEvery time.Duration

	liveMu     sync.Mutex
	live       Stats        // everything counted since New, for the progress line
	active     atomic.Int64 // site crawls running
	inFrontier atomic.Int64 // URLs being processed
}

// Option configures a Crawler.
type Option func(*Crawler) error

// WithStateStore keeps URL state in s (default: memory, lost when the process
// ends).
func WithStateStore(s urlstate.Store) Option {
	return func(c *Crawler) error {
		if s == nil {
			return errors.New("crawler: nil state store")
		}
		c.state = s
		return nil
	}
}

// WithStateKV keeps URL state in a JetStream key-value bucket (bus.CrawlStateKV),
// shared by every crawler process: recrawls use conditional requests, unchanged
// documents are not published again, and a crawl killed half-way resumes.
func WithStateKV(kv urlstate.KeyValue) Option {
	return func(c *Crawler) error {
		if kv == nil {
			return errors.New("crawler: nil state bucket")
		}
		c.state = urlstate.NewKV(kv)
		return nil
	}
}

// WithHostStore keeps per-host politeness in s (default: memory, this process
// only).
func WithHostStore(s hostgate.Store) Option {
	return func(c *Crawler) error {
		if s == nil {
			return errors.New("crawler: nil host store")
		}
		c.hosts = s
		return nil
	}
}

// WithHostKV keeps per-host politeness in a JetStream key-value bucket
// (bus.CrawlHostsKV), so that host limits hold across every crawler process.
func WithHostKV(kv hostgate.KeyValue) Option {
	return func(c *Crawler) error {
		if kv == nil {
			return errors.New("crawler: nil hosts bucket")
		}
		c.hosts = hostgate.NewKV(kv)
		return nil
	}
}

// WithProgress writes a progress line to w every interval while crawling (a
// terminal: the line is rewritten in place).
func WithProgress(w io.Writer, every time.Duration) Option {
	return func(c *Crawler) error {
		if w == nil || every <= 0 {
			return errors.New("crawler: progress needs a writer and a positive interval")
		}
		c.progressOut, c.progressEvery = w, every
		return nil
	}
}

// New returns a crawler. log may be nil; reg may be nil (no metrics registered).
func New(cfg Config, pub Publisher, log *slog.Logger, reg prometheus.Registerer, opts ...Option) (*Crawler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if pub == nil {
		return nil, errors.New("crawler: no publisher")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	c := &Crawler{cfg: cfg, pub: pub, log: log, metrics: m, now: time.Now, state: urlstate.NewMemory(), hosts: hostgate.NewMemory()}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	gcfg := hostgate.DefaultConfig()
	gcfg.LeaseTTL = cfg.RequestTimeout + time.Minute
	gcfg.SlowThreshold = cfg.Backoff.SlowResponse
	gcfg.PenaltyStep = cfg.Backoff.Step
	gcfg.MaxPenalty = cfg.Backoff.MaxPenalty
	gcfg.MaxRetryAfter = cfg.Backoff.MaxRetryAfter
	if c.gate, err = hostgate.New(c.hosts, gcfg); err != nil {
		return nil, err
	}
	pt := &politeTransport{
		inner:    newInnerTransport(&c.cfg),
		gate:     c.gate,
		defaults: hostgate.Limits{Concurrency: cfg.HostConcurrency, Delay: cfg.HostDelay},
		onWait:   func(_ string, d time.Duration) { m.hostWait.Observe(d.Seconds()) },
		now:      time.Now,
	}
	c.transport = pt
	robotsClient := &http.Client{
		Transport: pt,
		Timeout:   cfg.RequestTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("robots.txt: too many redirects")
			}
			return nil
		},
	}
	if c.robots, err = robots.New(robots.Config{
		Agent: cfg.userAgent(), Size: cfg.Robots.CacheSize, TTL: cfg.Robots.TTL, ErrorTTL: cfg.Robots.ErrorTTL,
	}, robotsClient); err != nil {
		return nil, err
	}
	if cfg.RespectRobots {
		pt.crawlDelay = func(u *url.URL) time.Duration {
			return min(c.robots.CrawlDelay(u), cfg.Robots.MaxCrawlDelay)
		}
	}
	return c, nil
}

// Stats counts what a crawl did.
type Stats struct {
	Sites       int `json:"sites"`
	ListPages   int `json:"list_pages"`  // list pages fetched with a body
	Reports     int `json:"reports"`     // report pages fetched with a body
	Attachments int `json:"attachments"` // attachments fetched with a body
	// NotModified counts 304 answers to conditional requests.
	NotModified int `json:"not_modified"`
	// Unchanged counts documents fetched whose body was already published.
	Unchanged int `json:"unchanged"`
	// Skipped counts URLs not requested: done earlier in the same run (a resumed
	// job), or fetched recently enough (revisit.documents).
	Skipped int `json:"skipped"`
	// Retries counts requests retried after a transient failure.
	Retries    int            `json:"retries"`
	Published  int            `json:"published"`  // documents newly stored in RAW
	Duplicates int            `json:"duplicates"` // documents RAW already held
	Bytes      int64          `json:"bytes"`
	Errors     map[string]int `json:"errors,omitempty"` // final errors by kind
}

func (s *Stats) add(o Stats) {
	s.Sites += o.Sites
	s.ListPages += o.ListPages
	s.Reports += o.Reports
	s.Attachments += o.Attachments
	s.NotModified += o.NotModified
	s.Unchanged += o.Unchanged
	s.Skipped += o.Skipped
	s.Retries += o.Retries
	s.Published += o.Published
	s.Duplicates += o.Duplicates
	s.Bytes += o.Bytes
	for k, v := range o.Errors {
		if s.Errors == nil {
			s.Errors = map[string]int{}
		}
		s.Errors[k] += v
	}
}

// Fetched is the number of documents fetched with a body (report pages and
// attachments).
func (s *Stats) Fetched() int { return s.Reports + s.Attachments }

// ErrorCount is the number of final errors.
func (s *Stats) ErrorCount() int {
	n := 0
	for _, v := range s.Errors {
		n += v
	}
	return n
}

// NewRunName returns a fresh run name for a crawl outside the work queue.
func NewRunName(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "once-" + now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// CrawlAll crawls every site once (one run), SiteConcurrency at a time, and returns
// the summed statistics. Errors of single sites are logged and counted, not
// returned; the error is non-nil only when ctx ends the crawl early.
func (c *Crawler) CrawlAll(ctx context.Context, all []sites.Site) (Stats, error) {
	return c.CrawlAllRun(ctx, all, NewRunName(c.now()))
}

// CrawlAllRun is CrawlAll under a given run name: crawling again under the same
// name resumes the run (what it completed is not fetched again).
func (c *Crawler) CrawlAllRun(ctx context.Context, all []sites.Site, run string) (Stats, error) {
	stop := c.startProgress(ctx, len(all))
	defer stop()
	var (
		total Stats
		mu    sync.Mutex
		wg    sync.WaitGroup
		sem   = make(chan struct{}, c.cfg.SiteConcurrency)
	)
	for i := range all {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return total, ctx.Err()
		}
		wg.Add(1)
		go func(s *sites.Site) {
			defer wg.Done()
			defer func() { <-sem }()
			st, err := c.CrawlRun(ctx, s, run)
			if err != nil && ctx.Err() == nil {
				c.log.Error("crawl site", "site", s.ID, "err", err)
				if st.Errors == nil {
					st.Errors = map[string]int{}
				}
				st.Errors["site"]++
			}
			mu.Lock()
			total.add(st)
			mu.Unlock()
		}(&all[i])
	}
	wg.Wait()
	return total, ctx.Err()
}

// CrawlSite crawls one site under a fresh run name.
func (c *Crawler) CrawlSite(ctx context.Context, s *sites.Site) (Stats, error) {
	return c.CrawlRun(ctx, s, NewRunName(c.now()))
}

// CrawlRun crawls one site as part of run: its list pages, the report pages they
// link to, and the attachments of those. It returns when nothing is left to fetch
// or ctx ended.
func (c *Crawler) CrawlRun(ctx context.Context, s *sites.Site, run string) (Stats, error) {
	sc, err := c.newSiteCrawl(ctx, s, run)
	if err != nil {
		c.siteFailedToStart(ctx, s, run, err)
		return Stats{Sites: 1}, fmt.Errorf("site %s: %w", s.ID, err)
	}
	c.metrics.sitesActive.Inc()
	c.active.Add(1)
	rep := c.reportSite(ctx, sc)
	sc.run()
	rep.finish(ctx)
	c.active.Add(-1)
	c.metrics.sitesActive.Dec()
	c.liveMu.Lock()
	c.live.Sites++
	c.liveMu.Unlock()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.log.Info("site crawled", "run", run, "list_pages", sc.stats.ListPages, "reports", sc.stats.Reports,
		"attachments", sc.stats.Attachments, "published", sc.stats.Published, "not_modified", sc.stats.NotModified,
		"unchanged", sc.stats.Unchanged, "skipped", sc.stats.Skipped, "retries", sc.stats.Retries, "errors", sc.stats.Errors)
	return sc.stats, ctx.Err()
}

// Live returns everything counted since the crawler was made.
func (c *Crawler) Live() Stats {
	c.liveMu.Lock()
	defer c.liveMu.Unlock()
	s := c.live
	s.Errors = nil
	for k, v := range c.live.Errors {
		if s.Errors == nil {
			s.Errors = map[string]int{}
		}
		s.Errors[k] = v
	}
	return s
}
