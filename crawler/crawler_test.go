package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
)

// memPublisher records what the crawler publishes, deduplicating like JetStream's
// message IDs do.
type memPublisher struct {
	mu   sync.Mutex
	docs map[string]*rawdoc.Document
	seen map[string]bool
}

func newMemPublisher() *memPublisher {
	return &memPublisher{docs: map[string]*rawdoc.Document{}, seen: map[string]bool{}}
}

func (p *memPublisher) PublishRaw(_ context.Context, d *rawdoc.Document) (*jetstream.PubAck, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := d.DocID + ":" + d.SHA256
	if p.seen[id] {
		return &jetstream.PubAck{Duplicate: true}, nil
	}
	p.seen[id] = true
	p.docs[d.URL] = d
	return &jetstream.PubAck{}, nil
}

func (p *memPublisher) paths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for u := range p.docs {
		pu, _ := url.Parse(u)
		out = append(out, pu.Path)
	}
	sort.Strings(out)
	return out
}

// testPortal is a small portal shaped like the real CMS families: a report column
// with a "下一页" link and a createPageHTML script, report pages with attachments,
// notices, news, a robots.txt rule, failing and oversized pages.
type testPortal struct {
	srv         *httptest.Server
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
	requests    sync.Map // path → count
}

func newTestPortal(t *testing.T) *testPortal {
	p := &testPortal{}
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>t</title></head><body>"+body+"</body></html>")
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /s1/private/\n")
	})
	mux.HandleFunc("/s1/col/col1/index.html", page(`
		<a href="../../art/2021/1/20/art_1_1.html">德惠市教育局2020年政府信息公开工作年度报告</a>
		<a href="/s1/art/2021/1/21/art_1_2.html" title="德惠市财政局2020年政府信息公开工作年度报告">德惠市财政局2020年…</a>
		<a href="/s1/art/2021/1/5/art_1_3.html">关于做好2020年政府信息公开工作年度报告编制工作的通知</a>
		<a href="/s1/art/2021/1/6/art_1_4.html">德惠市召开安全生产工作会议</a>
		<a href="http://www.example.com/2020年政府信息公开工作年度报告.html">外站的2020年政府信息公开工作年度报告</a>
		<a href="/s1/private/art_9.html">内部2020年政府信息公开工作年度报告</a>
		<a href="index_1.html">下一页</a>
		<script>createPageHTML(3, 0, "index", "html");</script>`))
	mux.HandleFunc("/s1/col/col1/index_1.html", page(`
		<a href="/s1/art/2020/2/1/art_1_5.html">德惠市教育局2019年政府信息公开工作年度报告</a>
		<a href="/s1/art/2020/2/2/art_1_6.html">德惠市卫健局2019年政府信息公开工作年度报告</a>
		<a href="index_2.html">下一页</a>`))
	mux.HandleFunc("/s1/col/col1/index_2.html", page(`
		<a href="/s1/art/2019/2/1/art_1_7.html">德惠市水利局2018年政府信息公开工作年度报告</a>
		<a href="/s1/art/2019/2/2/art_1_8.html">德惠市人民政府2018年政府信息公开年报</a>`))
	for i := 1; i <= 8; i++ {
		if i == 4 || i == 6 {
			continue
		}
		mux.HandleFunc(fmt.Sprintf("/s1/art/%s/art_1_%d.html", map[int]string{1: "2021/1/20", 2: "2021/1/21", 3: "2021/1/5", 5: "2020/2/1", 7: "2019/2/1", 8: "2019/2/2"}[i], i),
			page(fmt.Sprintf(`<h1>report %d</h1><a href="/s1/files/report_%d.pdf">附件：报告全文</a><a href="/s1/files/photo_%d.jpg">图</a>`, i, i, i)))
	}
	mux.HandleFunc("/s1/art/2020/2/2/art_1_6.html", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/s1/files/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprintf(w, "%%PDF-1.4 %s", r.URL.Path)
	})
	mux.HandleFunc("/s1/private/", page("secret"))
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// In flight from arrival until the response begins: an interval inside the
		// client's request, however the goroutines are scheduled.
		n := p.inFlight.Add(1)
		for {
			m := p.maxInFlight.Load()
			if n <= m || p.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		c, _ := p.requests.LoadOrStore(r.URL.Path, new(atomic.Int32))
		c.(*atomic.Int32).Add(1)
		time.Sleep(5 * time.Millisecond)
		p.inFlight.Add(-1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testPortal) site() sites.Site {
	return sites.Site{ID: "s1", Name: "德惠市人民政府", Region: sites.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		StartURLs: []string{p.srv.URL + "/s1/col/col1/index.html"}}
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.AllowPrivate = true
	cfg.HostDelay = 0
	cfg.HostConcurrency = 2
	cfg.SiteWorkers = 4
	cfg.Retry = RetryConfig{Attempts: 2, Base: 10 * time.Millisecond, Max: 40 * time.Millisecond}
	cfg.Backoff.Step = 10 * time.Millisecond
	cfg.Backoff.MaxPenalty = 100 * time.Millisecond
	cfg.Backoff.MaxRetryAfter = 2 * time.Second
	return cfg
}

func TestCrawlSite(t *testing.T) {
	p := newTestPortal(t)
	pub := newMemPublisher()
	c, err := New(testConfig(), pub, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := p.site()
	st, err := c.CrawlSite(context.Background(), &s)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/s1/art/2019/2/1/art_1_7.html", "/s1/art/2019/2/2/art_1_8.html",
		"/s1/art/2020/2/1/art_1_5.html",
		"/s1/art/2021/1/20/art_1_1.html", "/s1/art/2021/1/21/art_1_2.html", "/s1/art/2021/1/5/art_1_3.html",
		"/s1/files/report_1.pdf", "/s1/files/report_2.pdf", "/s1/files/report_3.pdf", "/s1/files/report_5.pdf",
		"/s1/files/report_7.pdf", "/s1/files/report_8.pdf",
	}
	if got := pub.paths(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("published\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.ListPages != 3 || st.Reports != 6 || st.Attachments != 6 || st.Published != 12 {
		t.Errorf("stats %+v", st)
	}
	if st.Errors["http_500"] != 1 || st.Errors["robots"] != 1 {
		t.Errorf("errors %+v", st.Errors)
	}
	// Every page once: the pagination script and the 下一页 links name the same pages.
	p.requests.Range(func(k, v any) bool {
		if n := v.(*atomic.Int32).Load(); n != 1 && k.(string) != "/s1/art/2020/2/2/art_1_6.html" {
			t.Errorf("%s fetched %d times", k, n)
		}
		return true
	})
	if _, ok := p.requests.Load("/s1/art/2021/1/6/art_1_4.html"); ok {
		t.Error("fetched a news article that is not a report")
	}
	if _, ok := p.requests.Load("/s1/private/art_9.html"); ok {
		t.Error("fetched a page robots.txt disallows")
	}
	if _, ok := p.requests.Load("/s1/files/photo_1.jpg"); ok {
		t.Error("fetched an image")
	}
	// Metadata of a published page.
	d := pub.docs[p.srv.URL+"/s1/art/2021/1/21/art_1_2.html"]
	if d == nil || d.LinkText != "德惠市财政局2020年政府信息公开工作年度报告" || d.Site.Code != "220183" || d.Kind != rawdoc.KindPage ||
		!strings.HasSuffix(d.Referer, "/s1/col/col1/index.html") || d.SHA256 != rawdoc.Hash(d.Body) {
		t.Fatalf("document metadata %+v", d)
	}
	if a := pub.docs[p.srv.URL+"/s1/files/report_1.pdf"]; a == nil || a.Kind != rawdoc.KindAttachment || a.ContentType != "application/pdf" {
		t.Fatalf("attachment %+v", a)
	}
	if m := p.maxInFlight.Load(); m > 2 {
		t.Errorf("host concurrency %d exceeded the limit 2", m)
	}
}

func TestHostDelay(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/col/index.html" {
			for i := 0; i < 5; i++ {
				fmt.Fprintf(w, `<a href="/art/%d.html">%d年政府信息公开工作年度报告</a>`, i, 2015+i)
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.HostConcurrency = 4
	cfg.HostDelay = 40 * time.Millisecond
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := sites.Site{ID: "d", Name: "d", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
	if _, err := c.CrawlSite(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	if len(starts) != 6 {
		t.Fatalf("%d requests", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 35*time.Millisecond {
			t.Errorf("requests %d and %d only %v apart", i-1, i, gap)
		}
	}
}

func TestRefusesPrivateAddresses(t *testing.T) {
	p := newTestPortal(t)
	cfg := testConfig()
	cfg.AllowPrivate = false
	pub := newMemPublisher()
	c, _ := New(cfg, pub, nil, nil)
	s := p.site()
	st, _ := c.CrawlSite(context.Background(), &s)
	if len(pub.paths()) != 0 || st.Errors["private_address"] != 1 {
		t.Fatalf("published %v, stats %+v", pub.paths(), st)
	}
}

func TestOversizedBodyNotPublished(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/col/index.html" {
			fmt.Fprint(w, `<a href="/big.html">2020年政府信息公开工作年度报告</a><a href="/ok.html">2021年政府信息公开工作年度报告</a>`)
			return
		}
		if r.URL.Path == "/big.html" {
			fmt.Fprint(w, strings.Repeat("x", 4096))
			return
		}
		fmt.Fprint(w, strings.Repeat("y", 2048))
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.MaxBodyBytes = 2048
	pub := newMemPublisher()
	c, _ := New(cfg, pub, nil, nil)
	s := sites.Site{ID: "b", Name: "b", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
	st, _ := c.CrawlSite(context.Background(), &s)
	if got := pub.paths(); len(got) != 1 || got[0] != "/ok.html" {
		t.Fatalf("published %v", got)
	}
	if st.Errors["too_large"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	if d := pub.docs[srv.URL+"/ok.html"]; len(d.Body) != 2048 {
		t.Fatalf("a body exactly at the limit was cut: %d", len(d.Body))
	}
}

func TestCrawlPublishesToRAWOnce(t *testing.T) {
	p := newTestPortal(t)
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, _ := New(testConfig(), b, nil, nil)
	s := p.site()
	first, err := c.CrawlAll(context.Background(), []sites.Site{s})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.CrawlAll(context.Background(), []sites.Site{s})
	if err != nil {
		t.Fatal(err)
	}
	// The second crawl: list pages fetched again (no validators to make them
	// conditional), every document, the failed page and the one robots.txt refused
	// resting (revisit.documents, revisit.errors), nothing published.
	if first.Published != 12 || second.Published != 0 || second.ListPages != 3 || second.Skipped != 14 || second.Fetched() != 0 {
		t.Fatalf("first %+v second %+v", first, second)
	}
	str, _ := b.JS.Stream(context.Background(), bus.StreamRaw)
	info, _ := str.Info(context.Background())
	if info.State.Msgs != 12 {
		t.Fatalf("RAW holds %d documents, want 12", info.State.Msgs)
	}
}

func TestCancelStopsCrawl(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	c, _ := New(cfg, newMemPublisher(), nil, nil)
	s := sites.Site{ID: "slow", Name: "slow", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CrawlSite(ctx, &s)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("crawl returned %v after %v", err, time.Since(start))
	}
}
