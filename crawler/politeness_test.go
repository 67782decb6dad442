package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govreport/govreport/crawler/urlstate"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sampleportal/hostile"
	"github.com/govreport/govreport/pkg/sites"
)

// twoProcesses opens two NATS connections to one server, as two crawler processes
// would have.
func twoProcesses(t *testing.T) (*bus.Bus, *bus.Bus) {
	t.Helper()
	cfg := bus.DefaultConfig()
	cfg.Embedded.Listen = "127.0.0.1:0"
	a, err := bus.Open(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	cfg = bus.DefaultConfig()
	cfg.URL = a.ClientURL()
	b, err := bus.Open(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// onePortalHost serves a generated portal of n sites on one host, every answer
// slowed by delay.
func onePortalHost(t *testing.T, n int, delay time.Duration) (*hostile.Handler, *httptest.Server, []sites.Site) {
	t.Helper()
	pcfg := sampleportal.DefaultConfig()
	pcfg.Sites = n
	p, err := sampleportal.Generate(pcfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hostile.Wrap(p.Handler(), hostile.Config{Rules: []hostile.Rule{{Delay: delay}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv, p.Sites(srv.URL)
}

// Two crawler processes crawl different sites on the same host at once: the
// host's concurrency limit holds across both.
func TestHostConcurrencyAcrossProcesses(t *testing.T) {
	h, srv, all := onePortalHost(t, 4, 15*time.Millisecond)
	ba, bb := twoProcesses(t)
	cfg := hostileConfig()
	cfg.HostConcurrency = 2
	cfg.SiteWorkers = 4
	a, _ := New(cfg, ba, nil, nil, kvOptions(t, ba)...)
	b, _ := New(cfg, bb, nil, nil, kvOptions(t, bb)...)
	var wg sync.WaitGroup
	var published atomic.Int64
	for i, c := range []*Crawler{a, b} {
		wg.Go(func() {
			st, err := c.CrawlAll(context.Background(), all[2*i:2*i+2])
			if err != nil {
				t.Error(err)
			}
			published.Add(int64(st.Published))
		})
	}
	wg.Wait()
	host := srv.Listener.Addr().String()
	if n := h.MaxInFlight(host); n != 2 {
		t.Fatalf("%d requests in flight at most, want exactly the limit 2", n)
	}
	if published.Load() != 28 {
		t.Fatalf("published %d", published.Load())
	}
	// Control: without the shared bucket each process keeps its own count, and the
	// host sees more than its limit.
	h.Reset()
	ca, _ := New(cfg, ba, nil, nil)
	cb, _ := New(cfg, bb, nil, nil)
	for i, c := range []*Crawler{ca, cb} {
		wg.Go(func() { c.CrawlAll(context.Background(), all[2*i:2*i+2]) })
	}
	wg.Wait()
	if n := h.MaxInFlight(host); n <= 2 {
		t.Errorf("control run without the shared bucket stayed at %d in flight", n)
	}
}

// Two processes share the host's delay: request starts are spaced by it.
func TestHostDelayAcrossProcesses(t *testing.T) {
	h, srv, all := onePortalHost(t, 2, 0)
	ba, bb := twoProcesses(t)
	cfg := hostileConfig()
	cfg.HostConcurrency = 4
	cfg.HostDelay = 30 * time.Millisecond
	cfg.RespectRobots = false
	a, _ := New(cfg, ba, nil, nil, kvOptions(t, ba)...)
	b, _ := New(cfg, bb, nil, nil, kvOptions(t, bb)...)
	var wg sync.WaitGroup
	for i, c := range []*Crawler{a, b} {
		wg.Go(func() { c.CrawlAll(context.Background(), all[i:i+1]) })
	}
	wg.Wait()
	starts := h.Starts(srv.Listener.Addr().String())
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	if len(starts) < 10 {
		t.Fatalf("%d requests", len(starts))
	}
	// Starts are reserved 30 ms apart; what the server sees may be closer by the
	// difference of two round trips to NATS and of scheduling delays.
	var short int
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 15*time.Millisecond {
			short++
			t.Logf("requests %d and %d %v apart", i-1, i, gap)
		}
	}
	if total := starts[len(starts)-1].Sub(starts[0]); total < time.Duration(len(starts)-1)*30*time.Millisecond*9/10 || short > 1 {
		t.Fatalf("%d requests in %v, %d gaps under 15ms (delay 30ms)", len(starts), total, short)
	}
}

// robots.txt: Crawl-delay spaces the requests even with no configured delay.
func TestCrawlDelay(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.1\nDisallow: /art/9.html\n")
			return
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/col/index.html" {
			for i := range 10 {
				fmt.Fprintf(w, `<a href="/art/%d.html">%d年政府信息公开工作年度报告</a>`, i, 2010+i)
			}
		}
		fmt.Fprint(w, "<p>x</p>")
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.HostConcurrency = 4
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := funcSite(srv)
	st, _ := c.CrawlSite(context.Background(), &s)
	if st.Published != 9 || st.Errors["robots"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	mu.Lock()
	seen := slices.Clone(starts)
	mu.Unlock()
	for i := 1; i < len(seen); i++ {
		if gap := seen[i].Sub(seen[i-1]); gap < 80*time.Millisecond {
			t.Errorf("requests %d and %d %v apart, Crawl-delay 100ms", i-1, i, gap)
		}
	}
	// Capped by robots.max_crawl_delay.
	cfg.Robots.MaxCrawlDelay = 10 * time.Millisecond
	c, _ = New(cfg, newMemPublisher(), nil, nil)
	start := time.Now()
	c.CrawlSite(context.Background(), &s)
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Fatalf("capped crawl delay: took %v", took)
	}
}

// 429 with Retry-After: the host is left alone as long as asked, then the page is
// fetched; a Retry-After beyond backoff.max_retry_after ends the URL's run with the
// error recorded until then.
func TestRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var refusedAt, nextAt time.Time
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		n := hits[r.URL.Path]
		if !refusedAt.IsZero() && nextAt.IsZero() {
			nextAt = time.Now()
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		switch {
		case r.URL.Path == "/col/index.html":
			fmt.Fprint(w, `<a href="/art/1.html">2020年政府信息公开工作年度报告</a><a href="/art/2.html">2021年政府信息公开工作年度报告</a>`)
		case r.URL.Path == "/art/1.html" && n == 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			mu.Lock()
			refusedAt = time.Now()
			mu.Unlock()
		case r.URL.Path == "/art/2.html":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, "<p>ok</p>")
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.HostConcurrency = 1
	state := urlstate.NewMemory()
	c, _ := New(cfg, newMemPublisher(), nil, nil, WithStateStore(state))
	s := funcSite(srv)
	st, _ := c.CrawlSite(context.Background(), &s)
	if st.Published != 1 || st.Retries != 1 || st.Errors["http_503"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	mu.Lock()
	gap, n2 := nextAt.Sub(refusedAt), hits["/art/2.html"]
	mu.Unlock()
	if gap < 950*time.Millisecond {
		t.Fatalf("next request %v after a 429 with Retry-After: 1", gap)
	}
	if n2 != 1 {
		t.Fatalf("a Retry-After of an hour was retried: %d requests", n2)
	}
	rec, _, _ := state.Get(context.Background(), "f", srv.URL+"/art/2.html")
	if rec.Error != "http_503" || rec.Status != 503 || time.Until(rec.NextDue) < 59*time.Minute {
		t.Fatalf("state %+v", rec)
	}
}

// A slow host is spaced out: its answers take longer than backoff.slow_response,
// and the crawler waits between its requests though no delay is configured.
func TestSlowHostBackoff(t *testing.T) {
	h, srv, all := onePortalHost(t, 1, 40*time.Millisecond)
	cfg := hostileConfig()
	cfg.HostConcurrency = 4
	cfg.Backoff.SlowResponse = 20 * time.Millisecond
	cfg.Backoff.Step = 30 * time.Millisecond
	cfg.Backoff.MaxPenalty = 200 * time.Millisecond
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	if _, err := c.CrawlAll(context.Background(), all); err != nil {
		t.Fatal(err)
	}
	host := srv.Listener.Addr().String()
	starts := h.Starts(host)
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	// Once the first answers came back slow, requests are spaced at least by the
	// penalty; without it four would start together.
	late := starts[4:]
	for i := 1; i < len(late); i++ {
		if gap := late[i].Sub(late[i-1]); gap < 25*time.Millisecond {
			t.Errorf("requests %v apart on a slow host", gap)
		}
	}
	if h.MaxInFlight(host) > 2 {
		t.Errorf("slow host had %d requests in flight", h.MaxInFlight(host))
	}
}

// Final errors: a page failing on every try is given up after retry.attempts
// retries and recorded; a 404 is not retried.
func TestFinalErrors(t *testing.T) {
	hits := map[string]int{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/col/index.html":
			fmt.Fprint(w, `<a href="/art/1.html">2020年政府信息公开工作年度报告</a><a href="/art/2.html">2021年政府信息公开工作年度报告</a><a href="/art/3.html">2022年政府信息公开工作年度报告</a>`)
		case "/art/1.html":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/art/2.html":
			http.NotFound(w, r)
		case "/art/3.html":
			if h, ok := w.(http.Hijacker); ok {
				conn, _, _ := h.Hijack()
				conn.Close()
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.Retry.Attempts = 3
	state := urlstate.NewMemory()
	c, _ := New(cfg, newMemPublisher(), nil, nil, WithStateStore(state))
	s := funcSite(srv)
	st, _ := c.CrawlSite(context.Background(), &s)
	count := func(p string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[p]
	}
	if count("/art/1.html") != 4 || count("/art/2.html") != 1 || count("/art/3.html") < 4 {
		t.Fatalf("requests %d %d %d", count("/art/1.html"), count("/art/2.html"), count("/art/3.html"))
	}
	if st.Errors["http_500"] != 1 || st.Errors["http_404"] != 1 || st.Errors["network"] != 1 || st.Retries != 6 {
		t.Fatalf("stats %+v", st)
	}
	ctx := context.Background()
	for p, kind := range map[string]string{"/art/1.html": "http_500", "/art/2.html": "http_404", "/art/3.html": "network"} {
		rec, ok, _ := state.Get(ctx, "f", srv.URL+p)
		if !ok || rec.Error != kind || rec.Failures != 1 || time.Until(rec.NextDue) < 5*time.Hour {
			t.Errorf("%s: state %+v", p, rec)
		}
	}
	// The failed pages rest: a second crawl does not ask for them; after their
	// rest they are tried again, and a second failure rests twice as long.
	mu.Lock()
	clear(hits)
	mu.Unlock()
	c.CrawlSite(ctx, &s)
	if count("/art/1.html") != 0 || count("/art/2.html") != 0 {
		t.Fatal("resting pages requested")
	}
	c.now = func() time.Time { return time.Now().Add(7 * time.Hour) }
	c.CrawlSite(ctx, &s)
	rec, _, _ := state.Get(ctx, "f", srv.URL+"/art/2.html")
	if rec.Failures != 2 || rec.NextDue.Sub(c.now()) < 11*time.Hour {
		t.Fatalf("after a second failure: %+v", rec)
	}
}

// Timeouts: a host that does not answer within header_timeout, or does not finish
// its body within request_timeout, fails with "timeout" after the retries.
func TestTimeouts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/col/index.html":
			fmt.Fprint(w, `<a href="/art/1.html">2020年政府信息公开工作年度报告</a><a href="/art/2.html">2021年政府信息公开工作年度报告</a>`)
		case "/art/1.html": // no headers in time
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		case "/art/2.html": // headers at once, the body never ends
			w.(http.Flusher).Flush()
			for range 40 {
				if _, err := fmt.Fprint(w, "<p>"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.HeaderTimeout = 100 * time.Millisecond
	cfg.RequestTimeout = 300 * time.Millisecond
	cfg.Retry.Attempts = 1
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := funcSite(srv)
	start := time.Now()
	st, _ := c.CrawlSite(context.Background(), &s)
	if st.Errors["timeout"] != 2 || st.Retries != 2 || st.Published != 0 {
		t.Fatalf("stats %+v", st)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("timeouts took %v", took)
	}
}

// Redirects: followed within the official domains and recorded under the URL
// they end at; a target also linked directly is fetched once; a redirect leaving
// the official domains is refused.
func TestRedirects(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/col/index.html":
			fmt.Fprint(w, `<a href="/old/1.html">2020年政府信息公开工作年度报告</a><a href="/art/9.html">2021年政府信息公开工作年度报告</a><a href="/away.html">2022年政府信息公开工作年度报告</a><a href="index_1.html">下一页</a>`)
		case "/col/index_1.html":
			fmt.Fprint(w, `<a href="/art/1.html">2020年政府信息公开工作年度报告</a>`)
		case "/old/1.html":
			http.Redirect(w, r, "/art/1.html", http.StatusMovedPermanently)
		case "/art/9.html":
			fmt.Fprint(w, `<p>9</p>`)
		case "/away.html":
			http.Redirect(w, r, "http://www.example.com/x.html", http.StatusFound)
		default:
			fmt.Fprint(w, "<p>1</p>")
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.SiteWorkers = 1 // the redirect is followed before the second list page
	pub := newMemPublisher()
	c, _ := New(cfg, pub, nil, nil)
	s := funcSite(srv)
	st, _ := c.CrawlSite(context.Background(), &s)
	if p := pub.paths(); len(p) != 2 || p[0] != "/art/1.html" || p[1] != "/art/9.html" || st.Errors["not_official"] != 1 {
		t.Fatalf("published %v, stats %+v", p, st)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/art/1.html"] != 1 {
		t.Fatalf("redirect target fetched %d times", hits["/art/1.html"])
	}
}
