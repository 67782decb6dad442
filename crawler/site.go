package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/govreport/govreport/crawler/hostgate"
	"github.com/govreport/govreport/crawler/urlstate"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
)

// siteCrawl is one crawl of one site in a run.
type siteCrawl struct {
	c       *Crawler
	ctx     context.Context
	site    *sites.Site
	runName string
	policy  *domainPolicy
	// pattern is the site's report link pattern (nil: titles alone decide).
	pattern  *regexp.Regexp
	coll     *colly.Collector
	front    *frontier
	log      *slog.Logger
	maxPages int
	maxDepth int

	mu       sync.Mutex
	visited  map[string]bool // canonical URLs admitted: at most maxPages lists and maxPages documents
	lists    int             // list pages admitted
	docs     int             // documents admitted
	stats    Stats
	warnedMP bool
	// lastError is the latest final error, for the site's status.
	lastError string
}

func (c *Crawler) newSiteCrawl(ctx context.Context, s *sites.Site, run string) (*siteCrawl, error) {
	policy, err := newDomainPolicy(s.StartURLs, c.cfg.OfficialDomains, s.ExtraDomains)
	if err != nil {
		return nil, err
	}
	sc := &siteCrawl{
		c: c, ctx: ctx, site: s, runName: run, policy: policy,
		front: newFrontier(c.now), log: c.log.With("site", s.ID),
		maxPages: c.cfg.MaxPagesPerSite, maxDepth: c.cfg.MaxDepth,
		visited: map[string]bool{}, stats: Stats{Sites: 1},
	}
	if s.Politeness.MaxPages > 0 {
		sc.maxPages = s.Politeness.MaxPages
	}
	if s.Politeness.MaxDepth > 0 {
		sc.maxDepth = s.Politeness.MaxDepth
	}
	if s.ReportLinkPattern != "" {
		if sc.pattern, err = regexp.Compile(s.ReportLinkPattern); err != nil {
			return nil, fmt.Errorf("report_link_pattern: %w", err)
		}
	}
	lim := hostgate.Limits{Concurrency: c.cfg.HostConcurrency, Delay: c.cfg.HostDelay}
	if s.Politeness.Concurrency > 0 {
		lim.Concurrency = s.Politeness.Concurrency
	}
	if s.Politeness.Delay > 0 {
		lim.Delay = s.Politeness.Delay
	}
	sc.coll = c.newCollector(withLimits(ctx, lim), policy)
	sc.coll.OnResponseHeaders(sc.onResponseHeaders)
	sc.coll.OnResponse(func(r *colly.Response) { result(r).resp = r })
	sc.coll.OnError(func(r *colly.Response, err error) {
		res := result(r)
		res.resp, res.err = r, err
	})
	return sc, nil
}

// Errors the redirect policy returns.
var (
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
	errNotOfficial      = errors.New("not an official domain")
)

// newCollector builds a collector from our configuration only. It calls Init rather
// than colly.NewCollector, which would apply COLLY_* environment variables after
// our settings. What Colly does not do right is done around it: politeness in the
// transport, robots.txt and the visited set in the site crawl (Colly's grow without
// bound and never read Crawl-delay), charsets by chardecode (Colly mis-detects GBK
// and converts bodies, so the transport hides the charset from it).
func (c *Crawler) newCollector(ctx context.Context, policy *domainPolicy) *colly.Collector {
	coll := &colly.Collector{}
	coll.Init()
	coll.UserAgent = c.cfg.userAgent()
	coll.Context = ctx
	coll.Async = false // the site crawl's workers call it; the frontier bounds the work
	coll.AllowURLRevisit = true
	coll.IgnoreRobotsTxt = true
	coll.ParseHTTPErrorResponse = true
	// One byte over the limit, so that a body at the limit is told apart from a
	// truncated one (Colly truncates silently).
	coll.MaxBodySize = c.cfg.MaxBodyBytes + 1
	coll.WithTransport(c.transport)
	coll.SetRequestTimeout(c.cfg.RequestTimeout)
	coll.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return fmt.Errorf("%w at %s", errRedirectLoop, req.URL)
			}
		}
		if len(via) > c.cfg.MaxRedirects {
			return fmt.Errorf("%w (%d)", errTooManyRedirects, len(via))
		}
		if !policy.allowed(req.URL) {
			return fmt.Errorf("redirect to %s: %w", req.URL.Host, errNotOfficial)
		}
		return nil
	})
	return coll
}

// fetchResult is what one request gave.
type fetchResult struct {
	resp     *colly.Response
	err      error
	tooLarge bool
}

func result(r *colly.Response) *fetchResult {
	res, _ := r.Ctx.GetAny("result").(*fetchResult)
	if res == nil {
		return &fetchResult{}
	}
	return res
}

// onResponseHeaders stops a download whose declared length is over the limit.
func (sc *siteCrawl) onResponseHeaders(r *colly.Response) {
	if r.Headers == nil {
		return
	}
	if n := r.Headers.Get("Content-Length"); n != "" {
		var size int64
		if _, err := fmt.Sscan(n, &size); err == nil && size > int64(sc.c.cfg.MaxBodyBytes) {
			result(r).tooLarge = true
			r.Request.Abort()
		}
	}
}

// run crawls until the frontier is empty or ctx ends.
func (sc *siteCrawl) run() {
	for _, start := range sc.site.StartURLs {
		sc.enqueue(start, pageList, "", "", 0)
	}
	var wg sync.WaitGroup
	for range sc.c.cfg.SiteWorkers {
		wg.Go(func() {
			for {
				it, ok := sc.front.next(sc.ctx)
				if !ok {
					return
				}
				sc.c.metrics.frontier.Inc()
				sc.c.inFrontier.Add(1)
				sc.process(it)
				sc.c.inFrontier.Add(-1)
				sc.c.metrics.frontier.Dec()
				sc.front.done()
			}
		})
	}
	wg.Wait()
}

// enqueue admits a URL to the crawl: official, new, within the depth limit and the
// page budget — maxPages list pages and maxPages documents, so that a crawl trap
// (an endless calendar of list pages) cannot starve the documents. The budget also
// bounds the visited set.
func (sc *siteCrawl) enqueue(raw, kind, text, referer string, depth int) {
	u, err := url.Parse(raw)
	if err != nil || !sc.policy.allowed(u) {
		return
	}
	key, err := rawdoc.CanonicalURL(raw)
	if err != nil {
		return
	}
	sc.mu.Lock()
	if sc.visited[key] {
		sc.mu.Unlock()
		return
	}
	if depth > sc.maxDepth {
		sc.mu.Unlock()
		sc.countError("max_depth")
		return
	}
	admitted := &sc.docs
	if kind == pageList {
		admitted = &sc.lists
	}
	if *admitted >= sc.maxPages {
		warn := !sc.warnedMP
		sc.warnedMP = true
		sc.mu.Unlock()
		if warn {
			sc.log.Warn("page budget reached: further URLs are dropped", "max_pages", sc.maxPages, "url", raw)
		}
		sc.countError("max_pages")
		return
	}
	sc.visited[key] = true
	*admitted++
	sc.mu.Unlock()
	sc.front.push(&item{url: raw, kind: kind, text: text, referer: referer, depth: depth})
}

// replay follows the links a page yielded when it was last fetched.
func (sc *siteCrawl) replay(it *item, links []urlstate.Link) {
	for _, l := range links {
		sc.enqueue(l.URL, l.Kind, l.Text, it.url, it.depth+1)
	}
}

// process fetches one URL (or not, when the state says it need not be) and follows
// what it finds.
func (sc *siteCrawl) process(it *item) {
	u, err := url.Parse(it.url)
	if err != nil {
		return
	}
	st, found, err := sc.c.state.Get(sc.ctx, sc.site.ID, it.url)
	if err != nil {
		if sc.ctx.Err() != nil {
			return
		}
		sc.log.Warn("read crawl state", "url", it.url, "err", err)
		sc.countError("state")
		found = false
	}
	now := sc.c.now()
	if found && it.attempt == 0 {
		switch {
		case st.Run == sc.runName:
			// Completed earlier in this run (a resumed job): follow its links only.
			sc.skip(it, st, "done_this_run")
			return
		case it.kind != pageList && st.OK() && now.Before(st.NextDue):
			sc.skip(it, st, "not_due")
			return
		case !st.OK() && now.Before(st.NextDue):
			sc.skip(it, st, "not_due")
			return
		}
	}
	if sc.c.cfg.RespectRobots {
		v, err := sc.c.robots.Check(sc.ctx, u)
		if err != nil {
			return // ctx ended
		}
		if !v.Allowed {
			kind := "robots"
			switch {
			case errors.Is(v.Err, ErrPrivateAddress):
				kind = "private_address"
			case v.Unavailable:
				kind = "robots_unavailable"
			}
			sc.finalError(it, &st, kind, 0, 0)
			return
		}
	}

	hdr := http.Header{"User-Agent": []string{sc.coll.UserAgent}}
	if it.referer != "" {
		hdr.Set("Referer", it.referer)
	}
	conditional := found && st.SHA256 != "" && (st.ETag != "" || st.LastModified != "")
	if conditional {
		if st.ETag != "" {
			hdr.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			hdr.Set("If-Modified-Since", st.LastModified)
		}
	}
	start := time.Now()
	res := &fetchResult{}
	cctx := colly.NewContext()
	cctx.Put("result", res)
	if err := sc.coll.Request(http.MethodGet, it.url, nil, cctx, hdr); err != nil && res.err == nil && res.resp == nil {
		res.err = err
	}
	sc.c.metrics.fetchTime.Observe(time.Since(start).Seconds())
	if sc.ctx.Err() != nil {
		return // interrupted: nothing is recorded, the URL is done again next time
	}

	status := 0
	if res.resp != nil {
		status = res.resp.StatusCode
	}
	switch {
	case res.tooLarge || (res.err == nil && res.resp != nil && len(res.resp.Body) > sc.c.cfg.MaxBodyBytes):
		sc.log.Warn("body over the size limit", "url", it.url, "limit", sc.c.cfg.MaxBodyBytes)
		sc.finalError(it, &st, "too_large", status, 0)
	case res.err != nil:
		kind, transient := classifyError(res.err)
		sc.failed(it, &st, kind, status, transient, 0)
	case status == http.StatusNotModified && conditional:
		sc.notModified(it, st)
	case status >= 200 && status < 300:
		sc.fetched(it, st, found, res.resp)
	default:
		transient := status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status == http.StatusInternalServerError ||
			status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
		var retryAfter time.Duration
		if res.resp.Headers != nil {
			retryAfter = parseRetryAfter(res.resp.Headers.Get("Retry-After"), sc.c.now())
		}
		sc.failed(it, &st, fmt.Sprintf("http_%d", status), status, transient, retryAfter)
	}
}

// classifyError names a failed request's error and says whether it is worth
// retrying.
func classifyError(err error) (kind string, transient bool) {
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return "private_address", false
	case errors.Is(err, errRedirectLoop):
		return "redirect_loop", false
	case errors.Is(err, errTooManyRedirects):
		return "too_many_redirects", false
	case errors.Is(err, errNotOfficial):
		return "not_official", false
	case isTimeout(err):
		return "timeout", true
	}
	return "network", true
}

// skip leaves a URL alone this time and follows the links it had.
func (sc *siteCrawl) skip(it *item, st urlstate.State, why string) {
	sc.c.metrics.skipped.WithLabelValues(why).Inc()
	sc.count(func(s *Stats) { s.Skipped++ })
	sc.replay(it, st.Links)
}

// failed retries a transient failure after a backoff, or records a final error.
func (sc *siteCrawl) failed(it *item, st *urlstate.State, kind string, status int, transient bool, retryAfter time.Duration) {
	rc := sc.c.cfg.Retry
	if transient && it.attempt < rc.Attempts && retryAfter <= sc.c.cfg.Backoff.MaxRetryAfter {
		// Exponential backoff with jitter: half fixed, half random.
		ceil := min(rc.Max, rc.Base<<it.attempt)
		wait := ceil/2 + rand.N(ceil/2+1)
		wait = max(wait, retryAfter)
		sc.log.Debug("retrying", "url", it.url, "kind", kind, "attempt", it.attempt+1, "after", wait)
		sc.c.metrics.retries.WithLabelValues(kind).Inc()
		sc.count(func(s *Stats) { s.Retries++ })
		next := *it
		next.attempt++
		next.after = sc.c.now().Add(wait)
		sc.front.push(&next)
		return
	}
	sc.finalError(it, st, kind, status, retryAfter)
}

// finalError records a URL's final error for this run in its state and the
// statistics. The URL rests before it is tried again (longer after every failure,
// at least as long as a Retry-After asked).
func (sc *siteCrawl) finalError(it *item, prev *urlstate.State, kind string, status int, retryAfter time.Duration) {
	sc.log.Warn("fetch failed", "url", it.url, "kind", kind, "status", status, "attempts", it.attempt+1)
	sc.countError(kind)
	sc.noteError(kind + " " + it.url)
	var st urlstate.State
	if prev != nil {
		st = *prev
	}
	now := sc.c.now()
	st.URL, st.Kind = it.url, it.kind
	st.Status, st.Error = status, kind
	st.Failures++
	st.CheckedAt = now
	st.Run = sc.runName
	rv := sc.c.cfg.Revisit
	rest := rv.Errors
	for i := 1; i < st.Failures && rest < rv.MaxErrors; i++ {
		rest *= 2
	}
	rest = max(min(rest, rv.MaxErrors), retryAfter)
	if kind == "robots_unavailable" {
		rest = sc.c.cfg.Robots.ErrorTTL
	}
	st.NextDue = now.Add(rest)
	sc.putState(st)
}

// notModified handles a 304: the page is as it was; its links are followed from the
// state.
func (sc *siteCrawl) notModified(it *item, st urlstate.State) {
	sc.c.metrics.unchanged.WithLabelValues("not_modified").Inc()
	sc.count(func(s *Stats) { s.NotModified++ })
	now := sc.c.now()
	st.Status, st.Error, st.Failures = http.StatusNotModified, "", 0
	st.FetchedAt, st.CheckedAt = now, now
	st.NextDue = now.Add(sc.revisit(it.kind))
	st.Run = sc.runName
	sc.putState(st)
	sc.replay(it, st.Links)
}

func (sc *siteCrawl) revisit(kind string) time.Duration {
	if kind == pageList {
		return 0
	}
	return sc.c.cfg.Revisit.Documents
}

// fetched handles a body: discovers links on list and report pages, publishes a
// new or changed document, records the state and follows the links.
func (sc *siteCrawl) fetched(it *item, prev urlstate.State, found bool, r *colly.Response) {
	body := r.Body
	ctype := r.Headers.Get(servedContentType)
	sc.c.metrics.pages.WithLabelValues(it.kind).Inc()
	sc.c.metrics.bytes.Add(float64(len(body)))
	sc.count(func(s *Stats) {
		s.Bytes += int64(len(body))
		switch it.kind {
		case pageList:
			s.ListPages++
		case pageReport:
			s.Reports++
		case pageAttachment:
			s.Attachments++
		}
	})
	final := r.Request.URL
	if final.String() != it.url {
		// Redirected: the target is visited too, so a direct link to it is not
		// fetched again.
		if key, err := rawdoc.CanonicalURL(final.String()); err == nil {
			sc.mu.Lock()
			sc.visited[key] = true
			sc.mu.Unlock()
		}
	}
	var links []urlstate.Link
	switch {
	case it.kind == pageList && isHTML(ctype, body):
		links = sc.discoverList(scanHTML(body, ctype), final)
	case it.kind == pageReport && isHTML(ctype, body) && mayLinkAttachments(body):
		links = sc.discoverAttachments(scanHTML(body, ctype), final)
	}
	hash := rawdoc.Hash(body)
	if it.kind != pageList {
		if found && prev.SHA256 == hash {
			sc.c.metrics.unchanged.WithLabelValues("same_hash").Inc()
			sc.count(func(s *Stats) { s.Unchanged++ })
		} else if !sc.publish(it, r, ctype) {
			// Not stored: no state, so the next run fetches it again.
			return
		}
	}
	now := sc.c.now()
	sc.putState(urlstate.State{
		URL: it.url, Kind: it.kind,
		ETag: r.Headers.Get("ETag"), LastModified: r.Headers.Get("Last-Modified"),
		SHA256: hash, Status: r.StatusCode,
		FetchedAt: now, CheckedAt: now, NextDue: now.Add(sc.revisit(it.kind)),
		Run: sc.runName, Links: links,
	})
	for _, l := range links {
		sc.enqueue(l.URL, l.Kind, l.Text, final.String(), it.depth+1)
	}
}

// publish stores a fetched document in RAW and reports whether it is stored.
func (sc *siteCrawl) publish(it *item, r *colly.Response, ctype string) bool {
	kind := rawdoc.KindPage
	if it.kind == pageAttachment {
		kind = rawdoc.KindAttachment
	}
	doc, err := rawdoc.New(r.Request.URL.String(), r.Body, sc.c.now().UTC())
	if err != nil {
		sc.countError("url")
		return false
	}
	doc.Kind = kind
	doc.Referer = it.referer
	doc.LinkText = it.text
	doc.Site = sc.site.RawSite()
	doc.Status = r.StatusCode
	doc.ContentType = ctype
	doc.ETag = r.Headers.Get("ETag")
	doc.LastModified = r.Headers.Get("Last-Modified")
	ack, err := sc.publishRetrying(doc)
	if err != nil {
		if sc.ctx.Err() == nil {
			sc.log.Error("publish raw document", "url", doc.URL, "err", err)
			sc.countError(errPublish)
			sc.noteError("publish " + doc.URL + ": " + err.Error())
		}
		return false
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
	return true
}

// errPublish is the error kind of a document that could not be stored in RAW.
const errPublish = "publish"

// publishRetrying publishes doc, retrying a failure (a NATS node lost, a stream
// leader moving, a reconnect) with the crawl's retry backoff while the crawl goes
// on. A retry is safe: the message ID (document and body hash) makes RAW keep one.
func (sc *siteCrawl) publishRetrying(doc *rawdoc.Document) (*jetstream.PubAck, error) {
	rc := sc.c.cfg.Retry
	for attempt := 0; ; attempt++ {
		ack, err := sc.c.pub.PublishRaw(sc.ctx, doc)
		if err == nil || attempt >= rc.Attempts || sc.ctx.Err() != nil {
			return ack, err
		}
		ceil := min(rc.Max, rc.Base<<attempt)
		wait := ceil/2 + rand.N(ceil/2+1)
		sc.log.Warn("publish raw document failed; retrying", "url", doc.URL, "attempt", attempt+1, "after", wait, "err", err)
		sc.c.metrics.retries.WithLabelValues("publish").Inc()
		sc.count(func(s *Stats) { s.Retries++ })
		if sleep(sc.ctx, wait) != nil {
			return nil, err
		}
	}
}

func (sc *siteCrawl) putState(st urlstate.State) {
	if err := sc.c.state.Put(sc.ctx, sc.site.ID, st.URL, st); err != nil && sc.ctx.Err() == nil {
		sc.log.Warn("write crawl state", "url", st.URL, "err", err)
		sc.countError("state")
	}
}

func (sc *siteCrawl) count(f func(*Stats)) {
	sc.mu.Lock()
	f(&sc.stats)
	sc.mu.Unlock()
	sc.c.liveMu.Lock()
	f(&sc.c.live)
	sc.c.liveMu.Unlock()
}

func (sc *siteCrawl) countError(kind string) {
	sc.c.metrics.errors.WithLabelValues(kind).Inc()
	sc.count(func(s *Stats) {
		if s.Errors == nil {
			s.Errors = map[string]int{}
		}
		s.Errors[kind]++
	})
}

// isHTML reports whether a body is an HTML page, by its Content-Type or, when that
// says nothing useful, by its first bytes.
func isHTML(ctype string, body []byte) bool {
	ct := strings.ToLower(ctype)
	switch {
	case strings.Contains(ct, "html"):
		return true
	case ct != "" && !strings.Contains(ct, "octet-stream") && !strings.HasPrefix(ct, "text/plain"):
		return false
	}
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<head")
}
