package crawler

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/govreport/govreport/crawler/urlstate"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sampleportal/hostile"
)

// plainPortal is a generated portal of n sites without misbehaviour (GBK on one
// site, attachments on another), for the tests of incremental crawling.
func plainPortal(t testing.TB, n int) *hostilePortal {
	pcfg := sampleportal.DefaultConfig()
	pcfg.Sites = n
	return newHostilePortal(t, pcfg, func(i int) ([]hostile.Rule, string, []string) {
		switch i {
		case 0:
			return []hostile.Rule{{Path: "/" + siteID(i) + "/", Charset: hostile.GBK, Declare: hostile.DeclareNone}}, "", nil
		case 1:
			return nil, "", []string{".pdf", ".xls"}
		}
		return nil, "", nil
	})
}

// A second crawl of an unchanged portal publishes nothing and asks with
// conditional requests; with the default revisit interval it does not even ask for
// the documents.
func TestRecrawlUnchangedPortal(t *testing.T) {
	hp := plainPortal(t, 4)
	b := openBus(t)
	cfg := hostileConfig()
	cfg.Revisit.Documents = 0 // check every document on every run
	first, err := New(cfg, b, nil, nil, kvOptions(t, b)...)
	if err != nil {
		t.Fatal(err)
	}
	st1, err := first.CrawlAll(context.Background(), hp.sites)
	if err != nil {
		t.Fatal(err)
	}
	docs := len(hp.allDocuments())
	if st1.Published != docs || hp.h.Conditional() != 0 {
		t.Fatalf("first crawl: %+v, %d conditional requests", st1, hp.h.Conditional())
	}

	// Another process, the same state.
	hp.h.Reset()
	second, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	st2, err := second.CrawlAll(context.Background(), hp.sites)
	if err != nil {
		t.Fatal(err)
	}
	fetched := st1.ListPages + st1.Reports + st1.Attachments
	if st2.Published != 0 || st2.Duplicates != 0 || st2.NotModified != fetched || st2.Fetched() != 0 || st2.ErrorCount() != 0 {
		t.Fatalf("second crawl: %+v (first fetched %d)", st2, fetched)
	}
	robots := 0
	for _, p := range hp.h.Paths() {
		if p == "/robots.txt" {
			robots = hp.h.Requests(p)
		}
	}
	if hp.h.Conditional() != fetched || hp.h.Total() != fetched+robots {
		t.Fatalf("second crawl: %d conditional of %d requests (%d robots.txt), want %d", hp.h.Conditional(), hp.h.Total(), robots, fetched)
	}
	if n := len(rawDocuments(t, b)); n != docs {
		t.Fatalf("RAW holds %d documents, want %d", n, docs)
	}

	// The default: a document checked rests for revisit.documents; then only list
	// pages are asked.
	third, _ := New(hostileConfig(), b, nil, nil, kvOptions(t, b)...)
	if st3, _ := third.CrawlAll(context.Background(), hp.sites); st3.NotModified != fetched {
		t.Fatalf("third crawl: %+v", st3)
	}
	hp.h.Reset()
	st4, err := third.CrawlAll(context.Background(), hp.sites)
	if err != nil {
		t.Fatal(err)
	}
	if st4.Published != 0 || st4.NotModified != st1.ListPages || st4.Skipped != docs {
		t.Fatalf("fourth crawl: %+v", st4)
	}
	for _, p := range hp.h.Paths() {
		if strings.Contains(p, "/art/") {
			t.Errorf("resting document requested: %s", p)
		}
	}
}

// A changed document is published again; an unchanged body without validators is
// recognised by its hash.
func TestChangedDocumentRepublished(t *testing.T) {
	var mu sync.Mutex
	version := "v1"
	srv := newFuncServer(t, func(path string) (string, string) {
		mu.Lock()
		defer mu.Unlock()
		switch path {
		case "/col/index.html":
			return "text/html", `<a href="/art/a.html">2020年政府信息公开工作年度报告</a><a href="/art/b.html">2021年政府信息公开工作年度报告</a>`
		case "/art/a.html":
			return "text/html", "<p>a " + version + "</p>"
		}
		return "text/html", "<p>b</p>"
	})
	b := openBus(t)
	cfg := testConfig()
	cfg.RespectRobots = false
	cfg.Revisit.Documents = 0
	c, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	s := funcSite(srv)
	if st, _ := c.CrawlSite(context.Background(), &s); st.Published != 2 {
		t.Fatalf("first: %+v", st)
	}
	mu.Lock()
	version = "v2"
	mu.Unlock()
	st, _ := c.CrawlSite(context.Background(), &s)
	if st.Published != 1 || st.Unchanged != 1 || st.NotModified != 0 {
		t.Fatalf("second: %+v", st)
	}
	if n := len(rawDocuments(t, b)); n != 3 {
		t.Fatalf("RAW holds %d documents", n)
	}
}

// A crawl killed half-way and restarted — resuming the same run (a redelivered
// job) or starting a new one — publishes every document once and fetches each
// completed document only once.
func TestKilledCrawlResumes(t *testing.T) {
	for _, sameRun := range []bool{true, false} {
		name := "new run"
		if sameRun {
			name = "same run"
		}
		t.Run(name, func(t *testing.T) {
			hp := plainPortal(t, 4)
			b := openBus(t)
			cfg := hostileConfig()
			cfg.SiteConcurrency = 2
			docs := hp.allDocuments()

			ctx, kill := context.WithCancel(context.Background())
			pub := &countingPublisher{next: b, after: func(n int) {
				if n == len(docs)/2 {
					kill()
				}
			}}
			a, _ := New(cfg, pub, nil, nil, kvOptions(t, b)...)
			st1, err := a.CrawlAllRun(ctx, hp.sites, "run-1")
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("killed crawl returned %v", err)
			}
			if st1.Published < len(docs)/2 || st1.Published >= len(docs) {
				t.Fatalf("killed crawl published %d of %d", st1.Published, len(docs))
			}
			run := "run-1"
			if !sameRun {
				run = "run-2"
			}
			restarted, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
			st2, err := restarted.CrawlAllRun(context.Background(), hp.sites, run)
			if err != nil {
				t.Fatal(err)
			}
			raw := rawDocuments(t, b)
			seen := map[string]bool{}
			for _, d := range raw {
				if seen[d.URL] {
					t.Errorf("published twice: %s", d.URL)
				}
				seen[d.URL] = true
			}
			for u := range docs {
				if !seen[u] {
					t.Errorf("missed: %s", u)
				}
			}
			// A document the killed crawl published but had not recorded (or whose
			// acknowledgement the kill cut off) is published again and deduplicated by
			// its message ID.
			if n := st1.Published + st2.Published; len(raw) != len(docs) || n > len(docs) || n+st2.Duplicates < len(docs) {
				t.Fatalf("RAW %d, published %d + %d (+%d duplicates), want %d", len(raw), st1.Published, st2.Published, st2.Duplicates, len(docs))
			}
			// Completed documents were not fetched again: at most the requests in
			// flight when the crawl was killed are repeated.
			again := 0
			for u := range docs {
				p, _ := url.Parse(u)
				if n := hp.h.Requests(p.Path); n > 1 {
					again++
				}
			}
			if inFlight := cfg.SiteConcurrency * cfg.SiteWorkers; again > inFlight {
				t.Errorf("%d documents fetched twice; at most %d were in flight", again, inFlight)
			}
			if st2.Skipped < st1.Published-cfg.SiteConcurrency*cfg.SiteWorkers {
				t.Errorf("restart skipped %d URLs; the killed crawl had published %d", st2.Skipped, st1.Published)
			}
			t.Logf("killed: %+v", st1)
			t.Logf("restarted: %+v; %d documents fetched twice", st2, again)
		})
	}
}

// failingState is a state store whose writes fail: a crawler that dies after
// publishing and before recording.
type failingState struct{ urlstate.Store }

func (failingState) Put(context.Context, string, string, urlstate.State) error {
	return errors.New("process died")
}

// A crawler that published but never recorded it: the next crawl publishes again,
// and JetStream's message IDs keep RAW free of duplicates.
func TestPublishedButNotRecorded(t *testing.T) {
	hp := plainPortal(t, 2)
	b := openBus(t)
	cfg := hostileConfig()
	a, _ := New(cfg, b, nil, nil, WithStateStore(failingState{urlstate.NewMemory()}))
	st1, _ := a.CrawlAll(context.Background(), hp.sites)
	c, _ := New(cfg, b, nil, nil, kvOptions(t, b)...)
	st2, _ := c.CrawlAll(context.Background(), hp.sites)
	docs := len(hp.allDocuments())
	if st1.Published != docs || st2.Published != 0 || st2.Duplicates != docs || st1.Errors["state"] == 0 {
		t.Fatalf("first %+v second %+v", st1, st2)
	}
	if n := len(rawDocuments(t, b)); n != docs {
		t.Fatalf("RAW holds %d, want %d", n, docs)
	}
}
