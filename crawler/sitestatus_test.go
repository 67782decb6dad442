package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// recordingKV passes writes on to next (when set) and records the states written.
type recordingKV struct {
	next SiteStatusKV
	fail bool
	mu   sync.Mutex
	puts []bus.SiteStatus
}

func (k *recordingKV) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	st, err := bus.UnmarshalSiteStatus(value)
	if err != nil {
		return 0, err
	}
	k.mu.Lock()
	k.puts = append(k.puts, st)
	k.mu.Unlock()
	if k.fail {
		return 0, errors.New("nats: timeout")
	}
	if k.next == nil {
		return 1, nil
	}
	return k.next.Put(ctx, key, value)
}

func (k *recordingKV) states() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, p := range k.puts {
		out = append(out, p.State)
	}
	return out
}

func TestSiteStatusDone(t *testing.T) {
	p := newTestPortal(t)
	b := openBus(t)
	ctx := context.Background()
	kv, err := b.CrawlSitesKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingKV{next: kv}
	c, err := New(testConfig(), b, nil, nil, WithSiteStatusKV(rec, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := p.site()
	if _, err := c.CrawlRun(ctx, &s, "run-1"); err != nil {
		t.Fatal(err)
	}
	// Throttled: the start and the end, nothing per page.
	if got := strings.Join(rec.states(), ","); got != "running,done" {
		t.Errorf("writes %s, want running,done", got)
	}
	all, err := bus.SiteStatuses(ctx, b.JS)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("statuses %+v", all)
	}
	st := all[0]
	// The portal (see TestCrawlSite): 3 list pages, 6 report pages with 6
	// attachments, all 12 published; one page answers 500, one is refused by
	// robots.txt.
	if st.Site != "s1" || st.Name != "德惠市人民政府" || st.Province != "吉林省" || st.Run != "run-1" || st.State != bus.SiteDone {
		t.Errorf("status %+v", st)
	}
	if st.ListPages != 3 || st.Reports != 6 || st.Attachments != 6 || st.Published != 12 || st.Unchanged != 0 {
		t.Errorf("counts %+v", st)
	}
	if st.Errors["http_500"] != 1 || st.Errors["robots"] != 1 || st.ErrorCount() != 2 {
		t.Errorf("errors %v", st.Errors)
	}
	if !strings.HasPrefix(st.LastError, "http_500 ") && !strings.HasPrefix(st.LastError, "robots ") {
		t.Errorf("last error %q", st.LastError)
	}
	if st.Started.IsZero() || st.Finished.Before(st.Started) || !st.Finished.Equal(st.Updated) {
		t.Errorf("times %v %v %v", st.Started, st.Updated, st.Finished)
	}

	// A second run of the same site replaces the status: nothing new to publish.
	if _, err := c.CrawlRun(ctx, &s, "run-2"); err != nil {
		t.Fatal(err)
	}
	all, err = bus.SiteStatuses(ctx, b.JS)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Run != "run-2" || all[0].Published != 0 || all[0].ListPages != 3 || all[0].State != bus.SiteDone {
		t.Errorf("second run %+v", all)
	}
}

func TestSiteStatusWhileRunning(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/col/index.html" {
			w.Write([]byte(`<a href="/a.html">2020年政府信息公开工作年度报告</a>`))
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		w.Write([]byte("report"))
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	rec := &recordingKV{}
	c, err := New(cfg, newMemPublisher(), nil, nil, WithSiteStatusKV(rec, 10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	s := sites.Site{ID: "slow", Name: "slow", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.CrawlRun(context.Background(), &s, "r")
	}()
	// While the report page hangs, the status shows the list page done.
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec.mu.Lock()
		var seen bool
		for _, p := range rec.puts {
			seen = seen || (p.State == bus.SiteRunning && p.ListPages == 1)
		}
		rec.mu.Unlock()
		if seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no running status with the list page: %v", rec.states())
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	<-done
	states := rec.states()
	if states[0] != bus.SiteRunning || states[len(states)-1] != bus.SiteDone {
		t.Errorf("states %v", states)
	}
	last := rec.puts[len(rec.puts)-1]
	if last.Reports != 1 || last.Published != 1 {
		t.Errorf("final %+v", last)
	}
}

func TestSiteStatusWriteFailureDoesNotFailCrawl(t *testing.T) {
	p := newTestPortal(t)
	reg := prometheus.NewRegistry()
	rec := &recordingKV{fail: true}
	pub := newMemPublisher()
	c, err := New(testConfig(), pub, nil, reg, WithSiteStatusKV(rec, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := p.site()
	st, err := c.CrawlSite(context.Background(), &s)
	if err != nil || st.Published != 12 {
		t.Fatalf("crawl with a failing status bucket: %+v, %v", st, err)
	}
	if n := testutil.ToFloat64(c.metrics.statusErrors); n != 2 {
		t.Errorf("status write errors counted %v, want 2", n)
	}
}

func TestSiteStatusInterruptedAndFailed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = false
	rec := &recordingKV{}
	c, err := New(cfg, newMemPublisher(), nil, nil, WithSiteStatusKV(rec, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := sites.Site{ID: "hang", Name: "hang", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	c.CrawlRun(ctx, &s, "r")
	if got := strings.Join(rec.states(), ","); got != "running,interrupted" {
		t.Errorf("interrupted crawl wrote %s", got)
	}

	// A portal that refuses everything: nothing fetched, only errors.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	}))
	defer down.Close()
	rec2 := &recordingKV{}
	c2, _ := New(cfg, newMemPublisher(), nil, nil, WithSiteStatusKV(rec2, time.Hour))
	s2 := sites.Site{ID: "down", Name: "down", Region: sites.Region{Province: "x"}, StartURLs: []string{down.URL + "/col/index.html"}}
	c2.CrawlRun(context.Background(), &s2, "r")
	last := rec2.puts[len(rec2.puts)-1]
	if last.State != bus.SiteFailed || last.Errors["http_404"] != 1 || !strings.Contains(last.LastError, "/col/index.html") {
		t.Errorf("failed crawl status %+v", last)
	}

	// A site that cannot start (a bad link pattern).
	rec3 := &recordingKV{}
	c3, _ := New(cfg, newMemPublisher(), nil, nil, WithSiteStatusKV(rec3, time.Hour))
	s3 := s2
	s3.ReportLinkPattern = "("
	if _, err := c3.CrawlRun(context.Background(), &s3, "r"); err == nil {
		t.Fatal("bad pattern accepted")
	}
	if len(rec3.puts) != 1 || rec3.puts[0].State != bus.SiteFailed || !strings.Contains(rec3.puts[0].LastError, "report_link_pattern") {
		t.Errorf("site that cannot start: %+v", rec3.puts)
	}
}
