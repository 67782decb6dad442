package robots

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const agent = "govreport-crawler/1.0 (+https://example.org)"

func newCache(t *testing.T, mutate func(*Config)) *Cache {
	t.Helper()
	cfg := Config{Agent: agent, Size: 10, TTL: time.Hour, ErrorTTL: time.Minute}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `User-agent: *
Disallow: /private/
Disallow: /*.asp?
Crawl-delay: 9

User-agent: govreport-crawler
Disallow: /s2/
Allow: /s2/open/
Crawl-delay: 0.5
`)
	}))
	defer srv.Close()
	c := newCache(t, nil)
	tests := []struct {
		path  string
		allow bool
	}{
		{"/", true},
		{"/s1/col/col1/index.html", true},
		{"/private/x.html", true}, // our group replaces the * group
		{"/s2/col/index.html", false},
		{"/s2/open/a.html", true},
		{"", true},
	}
	for _, tt := range tests {
		v, err := c.Check(context.Background(), mustURL(t, srv.URL+tt.path))
		if err != nil {
			t.Fatal(err)
		}
		if v.Allowed != tt.allow || v.CrawlDelay != 500*time.Millisecond || v.Unavailable {
			t.Errorf("%s: %+v", tt.path, v)
		}
	}
	if c.Fetches() != 1 {
		t.Errorf("%d fetches for one host", c.Fetches())
	}
	if d := c.CrawlDelay(mustURL(t, srv.URL+"/any")); d != 500*time.Millisecond {
		t.Errorf("cached crawl delay %v", d)
	}
	if d := c.CrawlDelay(mustURL(t, "http://other.gov.cn/")); d != 0 {
		t.Errorf("crawl delay of an unknown host %v", d)
	}
	// Another agent gets the * group.
	other := newCache(t, func(c *Config) { c.Agent = "otherbot/2" })
	v, _ := other.Check(context.Background(), mustURL(t, srv.URL+"/private/x.html"))
	if v.Allowed || v.CrawlDelay != 9*time.Second {
		t.Errorf("* group: %+v", v)
	}
	v, _ = other.Check(context.Background(), mustURL(t, srv.URL+"/list.asp?page=2"))
	if v.Allowed {
		t.Errorf("wildcard rule with a query: %+v", v)
	}
}

func TestStatuses(t *testing.T) {
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(int(status.Load()))
		fmt.Fprint(w, "User-agent: *\nDisallow: /\n")
	}))
	defer srv.Close()
	now := time.Unix(1e9, 0)
	for _, tt := range []struct {
		status             int
		allow, unavailable bool
	}{
		{200, false, false},
		{404, true, false},
		{403, true, false},
		{500, false, true},
		{503, false, true},
	} {
		status.Store(int32(tt.status))
		c := newCache(t, nil)
		c.now = func() time.Time { return now }
		v, err := c.Check(context.Background(), mustURL(t, srv.URL+"/a.html"))
		if err != nil {
			t.Fatal(err)
		}
		if v.Allowed != tt.allow || v.Unavailable != tt.unavailable {
			t.Errorf("status %d: %+v", tt.status, v)
		}
	}
	// An unreachable host is disallowed, and asked again after ErrorTTL.
	c := newCache(t, func(c *Config) { c.ErrorTTL = time.Minute })
	c.now = func() time.Time { return now }
	dead := mustURL(t, "http://127.0.0.1:1/a.html")
	if v, _ := c.Check(context.Background(), dead); v.Allowed || !v.Unavailable {
		t.Errorf("unreachable: %+v", v)
	}
	c.Check(context.Background(), dead)
	if c.Fetches() != 1 {
		t.Errorf("error not cached: %d fetches", c.Fetches())
	}
	now = now.Add(2 * time.Minute)
	c.Check(context.Background(), dead)
	if c.Fetches() != 2 {
		t.Errorf("error cached past its ttl: %d fetches", c.Fetches())
	}
}

func TestBoundedAndExpiring(t *testing.T) {
	var hits atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "User-agent: *\nDisallow: /x/\n")
	})
	var hosts []*httptest.Server
	for range 5 {
		s := httptest.NewServer(h)
		defer s.Close()
		hosts = append(hosts, s)
	}
	now := time.Unix(1e9, 0)
	c := newCache(t, func(c *Config) { c.Size = 3; c.TTL = time.Hour })
	c.now = func() time.Time { return now }
	for _, s := range hosts {
		c.Check(context.Background(), mustURL(t, s.URL+"/a"))
		if c.Len() > 3 {
			t.Fatalf("cache holds %d hosts, limit 3", c.Len())
		}
	}
	if c.Len() != 3 || hits.Load() != 5 {
		t.Fatalf("len %d hits %d", c.Len(), hits.Load())
	}
	// The most recent three are cached; the first was evicted.
	c.Check(context.Background(), mustURL(t, hosts[4].URL+"/b"))
	if hits.Load() != 5 {
		t.Error("recent host fetched again")
	}
	c.Check(context.Background(), mustURL(t, hosts[0].URL+"/b"))
	if hits.Load() != 6 {
		t.Error("evicted host not fetched again")
	}
	// Expiry.
	now = now.Add(2 * time.Hour)
	c.Check(context.Background(), mustURL(t, hosts[4].URL+"/b"))
	if hits.Load() != 7 {
		t.Error("expired entry used")
	}
}

func TestOneFetchForConcurrentChecks(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(50 * time.Millisecond)
		fmt.Fprint(w, "User-agent: *\nDisallow: /x/\n")
	}))
	defer srv.Close()
	c := newCache(t, nil)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			v, err := c.Check(context.Background(), mustURL(t, fmt.Sprintf("%s/x/%d", srv.URL, i)))
			if err != nil || v.Allowed {
				t.Errorf("%+v %v", v, err)
			}
		})
	}
	wg.Wait()
	if hits.Load() != 1 {
		t.Fatalf("%d fetches", hits.Load())
	}
}

func TestCanceledCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := newCache(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Check(ctx, mustURL(t, srv.URL+"/a")); err == nil {
		t.Fatal("no error from a canceled check")
	}
	if c.Len() != 0 {
		t.Error("an abandoned fetch stayed cached")
	}
}

func TestConfig(t *testing.T) {
	if _, err := New(Config{Size: 0, TTL: time.Hour, ErrorTTL: time.Hour}, nil); err == nil {
		t.Error("size 0 accepted")
	}
	if _, err := New(Config{Size: 1, TTL: 0, ErrorTTL: time.Hour}, nil); err == nil {
		t.Error("ttl 0 accepted")
	}
}
