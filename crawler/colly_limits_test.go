package crawler

// Colly's limits, each shown on Colly itself and then on the crawler, which wraps
// or replaces what does not fit (see the issue: "Know Colly's limits").

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sampleportal/hostile"
	"github.com/govreport/govreport/pkg/sites"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// inFlight counts requests in flight across servers.
type inFlight struct{ now, peak atomic.Int32 }

func (f *inFlight) enter() {
	n := f.now.Add(1)
	for m := f.peak.Load(); n > m && !f.peak.CompareAndSwap(m, n); m = f.peak.Load() {
	}
}
func (f *inFlight) leave() { f.now.Add(-1) }

// slowServer answers every page after latency and links /col/index.html to n
// report pages.
func slowServer(t *testing.T, latency time.Duration, n int, f *inFlight) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f != nil {
			f.enter()
			defer f.leave()
		}
		time.Sleep(latency)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/col/index.html" {
			for i := range n {
				fmt.Fprintf(w, `<a href="/art/%d.html">%d年政府信息公开工作年度报告</a>`, i, 2000+i)
			}
		}
		fmt.Fprint(w, "<p>x</p>")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newColly(t *testing.T) *colly.Collector {
	c := &colly.Collector{}
	c.Init()
	c.Async = true
	return c
}

// A LimitRule's parallelism is shared by every host it matches: with one rule for
// all hosts, two hosts get one request at a time between them. The crawler limits
// each host on its own.
func TestLimitIsPerHost(t *testing.T) {
	var f inFlight
	a, b := slowServer(t, 30*time.Millisecond, 3, &f), slowServer(t, 30*time.Millisecond, 3, &f)

	coll := newColly(t)
	if err := coll.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*httptest.Server{a, b} {
		for i := range 4 {
			coll.Visit(fmt.Sprintf("%s/art/%d.html", s.URL, i))
		}
	}
	coll.Wait()
	if p := f.peak.Load(); p != 1 {
		t.Fatalf("colly: %d in flight with one rule of parallelism 1", p)
	}

	f.peak.Store(0)
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.HostConcurrency = 1
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	all := []sites.Site{funcSite(a), funcSite(b)}
	all[1].ID = "g"
	c.CrawlAll(context.Background(), all)
	if p := f.peak.Load(); p != 2 {
		t.Fatalf("crawler: %d in flight over two hosts with a limit of 1 each, want 2", p)
	}
}

// Colly sleeps a LimitRule's delay while holding the slot, so requests of latency
// L start L+D apart. The crawler spaces starts by D: max(L, D) apart.
func TestDelayIsASpacing(t *testing.T) {
	const d = 60 * time.Millisecond
	srv := slowServer(t, d, 4, nil)
	coll := newColly(t)
	coll.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1, Delay: d})
	start := time.Now()
	for i := range 5 {
		coll.Visit(fmt.Sprintf("%s/art/%d.html", srv.URL, i))
	}
	coll.Wait()
	if took := time.Since(start); took < 10*d {
		t.Fatalf("colly: 5 requests of %v with a %v delay took %v", d, d, took)
	}

	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.HostConcurrency = 1
	cfg.HostDelay = d
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := funcSite(srv)
	start = time.Now()
	if st, _ := c.CrawlSite(context.Background(), &s); st.Published != 4 {
		t.Fatalf("stats %+v", st)
	}
	if took := time.Since(start); took > 8*d {
		t.Fatalf("crawler: 5 requests of %v with a %v delay took %v", d, d, took)
	}
}

// Colly ignores robots.txt unless told, and never reads Crawl-delay. The crawler
// honours both by default (TestCrawlDelay, TestHostilePortal).
func TestCollyRobots(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	var private atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n")
			return
		}
		if strings.HasPrefix(r.URL.Path, "/private/") {
			private.Add(1)
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	def := colly.NewCollector()
	def.Visit(srv.URL + "/private/a.html")
	if private.Load() != 1 {
		t.Fatal("colly's default collector obeyed robots.txt")
	}
	withRobots := colly.NewCollector()
	withRobots.IgnoreRobotsTxt = false
	withRobots.AllowURLRevisit = true
	if err := withRobots.Visit(srv.URL + "/private/b.html"); err != colly.ErrRobotsTxtBlocked {
		t.Fatalf("colly with robots: %v", err)
	}
	start := time.Now()
	for i := range 4 {
		withRobots.Visit(fmt.Sprintf("%s/a%d.html", srv.URL, i))
	}
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Fatalf("colly took %v: it reads Crawl-delay now?", took)
	}

	cfg := testConfig()
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := sites.Site{ID: "r", Name: "r", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/private/c.html"}}
	st, _ := c.CrawlSite(context.Background(), &s)
	if st.Errors["robots"] != 1 || private.Load() != 1 {
		t.Fatalf("crawler: %+v, %d private requests", st, private.Load())
	}
}

// Colly truncates a body over MaxBodySize without a word. The crawler records it
// as too_large and publishes nothing, whether the size is announced or not.
func TestBodyLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/col/index.html":
			fmt.Fprint(w, `<a href="/announced.html">2020年政府信息公开工作年度报告</a><a href="/chunked.html">2021年政府信息公开工作年度报告</a><a href="/ok.html">2022年政府信息公开工作年度报告</a>`)
		case "/announced.html":
			w.Header().Set("Content-Length", "4096")
			w.Write(bytes.Repeat([]byte("x"), 4096))
		case "/chunked.html":
			for range 4 {
				w.Write(bytes.Repeat([]byte("y"), 1024))
				w.(http.Flusher).Flush()
			}
		default:
			w.Write(bytes.Repeat([]byte("z"), 2048))
		}
	}))
	defer srv.Close()
	coll := &colly.Collector{}
	coll.Init()
	coll.MaxBodySize = 2048
	var got int
	coll.OnResponse(func(r *colly.Response) { got = len(r.Body) })
	var collyErr error
	coll.OnError(func(_ *colly.Response, err error) { collyErr = err })
	coll.Visit(srv.URL + "/chunked.html")
	if got != 2048 || collyErr != nil {
		t.Fatalf("colly: %d bytes, error %v", got, collyErr)
	}

	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.MaxBodyBytes = 2048
	pub := newMemPublisher()
	c, _ := New(cfg, pub, nil, nil)
	s := funcSite(srv)
	st, _ := c.CrawlSite(context.Background(), &s)
	if p := pub.paths(); len(p) != 1 || p[0] != "/ok.html" || st.Errors["too_large"] != 2 {
		t.Fatalf("crawler published %v, stats %+v", p, st)
	}
	if d := pub.docs[srv.URL+"/ok.html"]; len(d.Body) != 2048 {
		t.Fatalf("a body exactly at the limit was cut: %d", len(d.Body))
	}
}

// Colly's visited set keeps every URL for the collector's life. The crawler's is
// per site crawl and bounded by the page budget, even in an endless calendar.
func TestVisitedSetBounded(t *testing.T) {
	srv := slowServer(t, 0, 0, nil)
	coll := &colly.Collector{}
	coll.Init()
	for i := range 300 {
		coll.Visit(fmt.Sprintf("%s/p%d.html", srv.URL, i))
	}
	for i := range 300 {
		if ok, _ := coll.HasVisited(fmt.Sprintf("%s/p%d.html", srv.URL, i)); !ok {
			t.Fatalf("colly forgot p%d", i)
		}
	}

	pcfg := sampleportal.DefaultConfig()
	pcfg.Sites = 1
	hp := newHostilePortal(t, pcfg, func(int) ([]hostile.Rule, string, []string) {
		return []hostile.Rule{{Calendar: true}}, "", nil
	})
	cfg := hostileConfig()
	cfg.MaxPagesPerSite = 25
	cfg.MaxDepth = 50
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	sc, err := c.newSiteCrawl(context.Background(), &hp.sites[0], "r")
	if err != nil {
		t.Fatal(err)
	}
	sc.run()
	if n := len(sc.visited); n > 2*25 {
		t.Fatalf("visited set of %d URLs, bound 50", n)
	}
	if sc.stats.Published != len(hp.documents(0)) || sc.stats.Errors["max_pages"] == 0 {
		t.Fatalf("stats %+v, want %d published", sc.stats, len(hp.documents(0)))
	}
}

// Colly believes a Content-Type that lies and, even with DetectCharset, reads an
// undeclared GBK page as windows-1252; with a declared charset it hands callbacks
// a converted body. The crawler finds links under every declaration (see
// TestHostilePortal) and publishes the bytes as served.
func TestCollyCharsets(t *testing.T) {
	const title = "德惠市2020年政府信息公开工作年度报告"
	page := "<html><head><title>" + title + "</title></head><body><a href=\"/art/1.html\">" + title + "</a></body></html>"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/undeclared.html", "/col/index.html":
			w.Header().Set("Content-Type", "text/html")
		case "/lie.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case "/declared.html", "/art/1.html":
			w.Header().Set("Content-Type", "text/html; charset=gbk")
		}
		fmt.Fprint(w, gbk)
	}))
	defer srv.Close()
	for path, wantOK := range map[string]bool{"/undeclared.html": false, "/lie.html": false} {
		coll := &colly.Collector{}
		coll.Init()
		coll.DetectCharset = true
		var text string
		coll.OnHTML("title", func(e *colly.HTMLElement) { text = e.Text })
		coll.Visit(srv.URL + path)
		if (text == title) != wantOK {
			t.Errorf("colly read %s as %q", path, text)
		}
	}
	coll := &colly.Collector{}
	coll.Init()
	var body []byte
	coll.OnResponse(func(r *colly.Response) { body = r.Body })
	coll.Visit(srv.URL + "/declared.html")
	if bytes.Equal(body, []byte(gbk)) {
		t.Error("colly kept the bytes as served")
	}

	cfg := testConfig()
	cfg.RespectRobots = false
	pub := newMemPublisher()
	c, _ := New(cfg, pub, nil, nil)
	s := funcSite(srv)
	c.CrawlSite(context.Background(), &s)
	d := pub.docs[srv.URL+"/art/1.html"]
	if d == nil || d.LinkText != title || !bytes.Equal(d.Body, []byte(gbk)) || d.ContentType != "text/html; charset=gbk" {
		t.Fatalf("crawler published %+v", d)
	}
}
