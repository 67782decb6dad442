package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/net/html/charset"
)

// Publisher stores a raw document durably (the RAW stream).
type Publisher interface {
	PublishRaw(ctx context.Context, doc *rawdoc.Document) (*jetstream.PubAck, error)
}

// Crawler crawls sites and publishes what it finds. It is safe for concurrent use;
// every collector it creates shares its per-host limits.
type Crawler struct {
	cfg       Config
	pub       Publisher
	log       *slog.Logger
	metrics   *metrics
	transport http.RoundTripper
	now       func() time.Time
}

// New returns a crawler. log may be nil; reg may be nil (no metrics registered).
func New(cfg Config, pub Publisher, log *slog.Logger, reg prometheus.Registerer) (*Crawler, error) {
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
	c := &Crawler{cfg: cfg, pub: pub, log: log, metrics: m, now: time.Now}
	limiter := newHostLimiter(cfg.HostConcurrency, cfg.HostDelay)
	c.transport = newTransport(&c.cfg, limiter, func(host string, d time.Duration) {
		m.hostWait.Observe(d.Seconds())
	})
	return c, nil
}

// Stats counts what a crawl did.
type Stats struct {
	Sites       int            `json:"sites"`
	ListPages   int            `json:"list_pages"`
	Reports     int            `json:"reports"`     // report pages fetched
	Attachments int            `json:"attachments"` // attachments fetched
	Published   int            `json:"published"`   // documents newly stored in RAW
	Duplicates  int            `json:"duplicates"`  // documents RAW already held
	Bytes       int64          `json:"bytes"`
	Errors      map[string]int `json:"errors,omitempty"` // by kind
}

func (s *Stats) add(o Stats) {
	s.Sites += o.Sites
	s.ListPages += o.ListPages
	s.Reports += o.Reports
	s.Attachments += o.Attachments
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

// Fetched is the number of documents fetched (report pages and attachments).
func (s *Stats) Fetched() int { return s.Reports + s.Attachments }

// CrawlAll crawls the sites, SiteConcurrency at a time, and returns the summed
// statistics. Errors of single sites are logged and counted, not returned; the error
// is non-nil only when ctx ends the crawl early.
func (c *Crawler) CrawlAll(ctx context.Context, all []sites.Site) (Stats, error) {
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
			st, err := c.CrawlSite(ctx, s)
			if err != nil {
				c.log.Error("crawl site", "site", s.ID, "err", err)
				st.Errors = map[string]int{"site": 1}
			}
			mu.Lock()
			total.add(st)
			mu.Unlock()
		}(&all[i])
	}
	wg.Wait()
	return total, ctx.Err()
}

// siteCrawl is the state of one crawl of one site.
type siteCrawl struct {
	c      *Crawler
	ctx    context.Context
	site   *sites.Site
	policy *domainPolicy
	// pattern is the site's report link pattern (nil: titles alone decide).
	pattern *regexp.Regexp
	coll    *colly.Collector
	log     *slog.Logger

	mu    sync.Mutex
	stats Stats
}

// CrawlSite crawls one site: its list pages, the report pages they link to, and the
// attachments of those. It returns when every request finished or ctx ended.
func (c *Crawler) CrawlSite(ctx context.Context, s *sites.Site) (Stats, error) {
	policy, err := newDomainPolicy(s.StartURLs, c.cfg.OfficialDomains, s.ExtraDomains)
	if err != nil {
		return Stats{}, fmt.Errorf("site %s: %w", s.ID, err)
	}
	sc := &siteCrawl{c: c, ctx: ctx, site: s, policy: policy, log: c.log.With("site", s.ID), stats: Stats{Sites: 1}}
	if s.ReportLinkPattern != "" {
		if sc.pattern, err = regexp.Compile(s.ReportLinkPattern); err != nil {
			return Stats{}, fmt.Errorf("site %s: report_link_pattern: %w", s.ID, err)
		}
	}
	sc.coll = c.newCollector(ctx, s, policy)
	sc.coll.OnResponse(sc.onResponse)
	sc.coll.OnError(sc.onError)
	for _, start := range s.StartURLs {
		sc.visit(start, pageList, "", "", 0)
	}
	sc.coll.Wait()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.log.Info("site crawled", "list_pages", sc.stats.ListPages, "reports", sc.stats.Reports,
		"attachments", sc.stats.Attachments, "published", sc.stats.Published, "errors", sc.stats.Errors)
	return sc.stats, ctx.Err()
}

// newCollector builds a collector from our configuration only. It calls Init rather
// than colly.NewCollector, which would apply COLLY_* environment variables after
// our settings.
func (c *Crawler) newCollector(ctx context.Context, s *sites.Site, policy *domainPolicy) *colly.Collector {
	coll := &colly.Collector{}
	coll.Init()
	coll.UserAgent = c.cfg.userAgent()
	coll.Async = true
	coll.Context = ctx
	// One byte over the limit, so that a body at the limit is told apart from a
	// truncated one (Colly truncates silently).
	coll.MaxBodySize = c.maxBody(s) + 1
	coll.MaxRequests = uint32(c.maxPages(s))
	coll.IgnoreRobotsTxt = !c.cfg.RespectRobots
	coll.WithTransport(c.transport)
	coll.SetRequestTimeout(c.cfg.RequestTimeout)
	coll.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		if !policy.allowed(req.URL) {
			return fmt.Errorf("redirect to %s: not an official domain", req.URL.Host)
		}
		return nil
	})
	// Bound the goroutines Colly runs; the transport enforces the per-host limits.
	_ = coll.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 4 * c.cfg.HostConcurrency})
	return coll
}

func (c *Crawler) maxBody(_ *sites.Site) int { return c.cfg.MaxBodyBytes }

func (c *Crawler) maxPages(s *sites.Site) int {
	if s.Politeness.MaxPages > 0 {
		return s.Politeness.MaxPages
	}
	return c.cfg.MaxPagesPerSite
}

func (c *Crawler) maxDepth(s *sites.Site) int {
	if s.Politeness.MaxDepth > 0 {
		return s.Politeness.MaxDepth
	}
	return c.cfg.MaxDepth
}

// visit queues a request for u with what the crawler knows about it.
func (sc *siteCrawl) visit(u, kind, linkText, referer string, depth int) {
	if depth > sc.c.maxDepth(sc.site) {
		sc.count(func(s *Stats) { sc.errorKind(s, "max_depth") })
		return
	}
	ctx := colly.NewContext()
	ctx.Put("kind", kind)
	ctx.Put("link_text", linkText)
	ctx.Put("referer", referer)
	ctx.Put("depth", strconv.Itoa(depth))
	hdr := http.Header{"User-Agent": []string{sc.coll.UserAgent}}
	if referer != "" {
		hdr.Set("Referer", referer)
	}
	err := sc.coll.Request(http.MethodGet, u, nil, ctx, hdr)
	var visited *colly.AlreadyVisitedError
	switch {
	case err == nil, errors.As(err, &visited):
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		sc.count(func(s *Stats) { sc.errorKind(s, "robots") })
	case errors.Is(err, colly.ErrMaxRequests):
		sc.count(func(s *Stats) { sc.errorKind(s, "max_pages") })
	default:
		sc.log.Warn("request refused", "url", u, "err", err)
		sc.count(func(s *Stats) { sc.errorKind(s, errorKind(0, err, "request")) })
	}
}

func (sc *siteCrawl) count(f func(*Stats)) {
	sc.mu.Lock()
	f(&sc.stats)
	sc.mu.Unlock()
}

func (sc *siteCrawl) errorKind(s *Stats, kind string) {
	if s.Errors == nil {
		s.Errors = map[string]int{}
	}
	s.Errors[kind]++
	sc.c.metrics.errors.WithLabelValues(kind).Inc()
}

// errorKind classifies a failed request for the statistics and metrics.
func errorKind(status int, err error, fallback string) string {
	switch {
	case status >= 400:
		return "http_" + strconv.Itoa(status)
	case errors.Is(err, ErrPrivateAddress):
		return "private_address"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return fallback
}

func (sc *siteCrawl) onError(r *colly.Response, err error) {
	sc.log.Warn("fetch failed", "url", r.Request.URL.String(), "status", r.StatusCode, "err", err)
	sc.count(func(s *Stats) { sc.errorKind(s, errorKind(r.StatusCode, err, "network")) })
}

func (sc *siteCrawl) onResponse(r *colly.Response) {
	kind := r.Ctx.Get("kind")
	sc.c.metrics.pages.WithLabelValues(kind).Inc()
	sc.c.metrics.bytes.Add(float64(len(r.Body)))
	if len(r.Body) > sc.c.maxBody(sc.site) {
		sc.log.Warn("body over the size limit", "url", r.Request.URL.String(), "limit", sc.c.maxBody(sc.site))
		sc.count(func(s *Stats) { sc.errorKind(s, "too_large") })
		return
	}
	sc.count(func(s *Stats) {
		s.Bytes += int64(len(r.Body))
		switch kind {
		case pageList:
			s.ListPages++
		case pageReport:
			s.Reports++
		case pageAttachment:
			s.Attachments++
		}
	})
	depth, _ := strconv.Atoi(r.Ctx.Get("depth"))
	switch kind {
	case pageList:
		sc.discoverFromList(r, depth)
	case pageReport:
		sc.publish(r, rawdoc.KindPage)
		sc.discoverAttachments(r, depth)
	case pageAttachment:
		sc.publish(r, rawdoc.KindAttachment)
	}
}

// parse decodes an HTML body by its declared or sniffed charset.
func parse(r *colly.Response) (*goquery.Document, error) {
	rd, err := charset.NewReader(bytes.NewReader(r.Body), r.Headers.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	return goquery.NewDocumentFromReader(rd)
}

func (sc *siteCrawl) discoverFromList(r *colly.Response, depth int) {
	doc, err := parse(r)
	if err != nil {
		sc.count(func(s *Stats) { sc.errorKind(s, "parse") })
		return
	}
	base := r.Request.URL
	page := base.String()
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		u, ok := sc.resolve(base, a.AttrOr("href", ""))
		if !ok {
			return
		}
		text := strings.TrimSpace(a.AttrOr("title", ""))
		if text == "" {
			text = strings.TrimSpace(a.Text())
		}
		switch {
		case IsListPage(base, u):
			sc.visit(u.String(), pageList, text, page, depth+1)
		case IsAttachment(u) && IsReportTitle(text):
			sc.visit(u.String(), pageAttachment, text, page, depth+1)
		case IsReportTitle(text) && (sc.pattern == nil || sc.pattern.MatchString(u.String())):
			sc.visit(u.String(), pageReport, text, page, depth+1)
		}
	})
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		for _, u := range PaginationPages(base, s.Text(), sc.c.maxPages(sc.site)) {
			if sc.policy.allowed(u) {
				sc.visit(u.String(), pageList, "", page, depth+1)
			}
		}
	})
}

func (sc *siteCrawl) discoverAttachments(r *colly.Response, depth int) {
	if !strings.Contains(strings.ToLower(r.Headers.Get("Content-Type")), "html") {
		return
	}
	doc, err := parse(r)
	if err != nil {
		return
	}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		u, ok := sc.resolve(r.Request.URL, a.AttrOr("href", ""))
		if ok && IsAttachment(u) {
			sc.visit(u.String(), pageAttachment, strings.TrimSpace(a.Text()), r.Request.URL.String(), depth+1)
		}
	})
}

// resolve makes href absolute against base and says whether it may be followed.
func (sc *siteCrawl) resolve(base *url.URL, href string) (*url.URL, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return nil, false
	}
	u, err := base.Parse(href)
	if err != nil {
		return nil, false
	}
	u.Fragment = ""
	return u, sc.policy.allowed(u)
}

// publish stores a fetched document in RAW.
func (sc *siteCrawl) publish(r *colly.Response, kind string) {
	doc, err := rawdoc.New(r.Request.URL.String(), r.Body, sc.c.now().UTC())
	if err != nil {
		sc.count(func(s *Stats) { sc.errorKind(s, "url") })
		return
	}
	doc.Kind = kind
	doc.Referer = r.Ctx.Get("referer")
	doc.LinkText = r.Ctx.Get("link_text")
	doc.Site = sc.site.RawSite()
	doc.Status = r.StatusCode
	doc.ContentType = r.Headers.Get("Content-Type")
	doc.ETag = r.Headers.Get("ETag")
	doc.LastModified = r.Headers.Get("Last-Modified")
	ack, err := sc.c.pub.PublishRaw(sc.ctx, doc)
	if err != nil {
		sc.log.Error("publish raw document", "url", doc.URL, "err", err)
		sc.count(func(s *Stats) { sc.errorKind(s, "publish") })
		return
	}
	sc.count(func(s *Stats) {
		if ack.Duplicate {
			s.Duplicates++
		} else {
			s.Published++
		}
	})
	if !ack.Duplicate {
		sc.c.metrics.published.WithLabelValues(kind).Inc()
	}
}
