package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sampleportal/hostile"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
)

// hostilePortal is a generated portal made hostile, every site on a host of its
// own (its own loopback port), as real portals are.
type hostilePortal struct {
	portal  *sampleportal.Portal
	h       *hostile.Handler
	servers []*httptest.Server
	hosts   []string
	sites   []sites.Site // sites[i] is served by servers[i]
	attach  map[int][]string
}

// siteSetup says how site i (0-based) on host misbehaves: its rules (Host is
// filled in), its robots.txt ("" for the portal's), the attachments of its reports.
type siteSetup func(i int) (rules []hostile.Rule, robots string, attachments []string)

func newHostilePortal(t testing.TB, pcfg sampleportal.Config, setup siteSetup) *hostilePortal {
	t.Helper()
	p, err := sampleportal.Generate(pcfg)
	if err != nil {
		t.Fatal(err)
	}
	hp := &hostilePortal{portal: p, attach: map[int][]string{}}
	cfg := hostile.Config{Robots: map[string]string{}}
	for i := range pcfg.Sites {
		srv := httptest.NewUnstartedServer(nil)
		host := srv.Listener.Addr().String()
		hp.servers = append(hp.servers, srv)
		hp.hosts = append(hp.hosts, host)
		if setup == nil {
			continue
		}
		rules, robots, att := setup(i)
		for _, r := range rules {
			r.Host = host
			cfg.Rules = append(cfg.Rules, r)
		}
		if robots != "" {
			cfg.Robots[host] = robots
		}
		if len(att) > 0 {
			cfg.Rules = append(cfg.Rules, hostile.Rule{Host: host, Attachments: att})
			hp.attach[i] = att
		}
	}
	if hp.h, err = hostile.Wrap(p.Handler(), cfg); err != nil {
		t.Fatal(err)
	}
	for i, srv := range hp.servers {
		srv.Config.Handler = hp.h
		srv.Start()
		t.Cleanup(srv.Close)
		hp.sites = append(hp.sites, p.Sites(srv.URL)[i])
	}
	return hp
}

// siteID is the ID of site i.
func siteID(i int) string { return fmt.Sprintf("site-%03d", i+1) }

// documents returns the URLs of every document site i publishes (reports, notices
// and the attachments of its reports), and the expected title of each page.
func (hp *hostilePortal) documents(i int) map[string]string {
	base := hp.servers[i].URL
	prefix := "/" + siteID(i) + "/"
	out := map[string]string{}
	for _, e := range hp.portal.Expected(base) {
		if strings.HasPrefix(e.Path, prefix) {
			out[e.URL] = e.Record.Meta.Title
			if !strings.HasSuffix(e.Path, ".html") {
				continue // a report served as a file gets no attachments
			}
			for _, a := range hostile.AttachmentPaths(e.Path, hp.attach[i]) {
				out[base+a] = ""
			}
		}
	}
	for _, n := range hp.portal.Notices(base) {
		if strings.HasPrefix(n.Path, prefix) {
			out[n.URL] = n.Title
		}
	}
	return out
}

// allDocuments is documents over the sites listed (all when none).
func (hp *hostilePortal) allDocuments(only ...int) map[string]string {
	out := map[string]string{}
	for i := range hp.sites {
		if len(only) > 0 && !slices.Contains(only, i) {
			continue
		}
		for u, t := range hp.documents(i) {
			out[u] = t
		}
	}
	return out
}

// openBus starts an embedded NATS for a test.
func openBus(t testing.TB) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// kvOptions returns the options that put a crawler's state and host politeness in
// b's key-value buckets.
func kvOptions(t testing.TB, b *bus.Bus) []Option {
	t.Helper()
	state, err := b.CrawlStateKV(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := b.CrawlHostsKV(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return []Option{WithStateKV(state), WithHostKV(hosts)}
}

// rawDocuments reads every document in RAW.
func rawDocuments(t testing.TB, b *bus.Bus) []*rawdoc.Document {
	t.Helper()
	ctx := context.Background()
	s, err := b.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*rawdoc.Document
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		d, err := rawdoc.Unmarshal(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.LoadBody(ctx, d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// countingPublisher publishes to next and calls after(n) after the n-th new
// document.
type countingPublisher struct {
	next  Publisher
	mu    sync.Mutex
	n     int
	after func(n int)
}

func (p *countingPublisher) PublishRaw(ctx context.Context, d *rawdoc.Document) (*jetstream.PubAck, error) {
	ack, err := p.next.PublishRaw(ctx, d)
	if err == nil && !ack.Duplicate {
		p.mu.Lock()
		p.n++
		n := p.n
		p.mu.Unlock()
		if p.after != nil {
			p.after(n)
		}
	}
	return ack, err
}

// hostileConfig is the crawler configuration of the hostile-portal tests: fast
// retries and backoff, two requests per host.
func hostileConfig() Config {
	cfg := testConfig()
	cfg.HostConcurrency = 2
	cfg.SiteWorkers = 4
	cfg.SiteConcurrency = 10
	cfg.MaxPagesPerSite = 40
	cfg.Backoff.SlowResponse = 30 * time.Millisecond
	cfg.HeaderTimeout = 5 * time.Second
	return cfg
}

// newFuncServer serves what page(path) returns (content type, body); "" bodies
// are 404s.
func newFuncServer(t testing.TB, page func(path string) (string, string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct, body := page(r.URL.Path)
		if body == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ct)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// funcSite is a site starting at /col/index.html of srv.
func funcSite(srv *httptest.Server) sites.Site {
	return sites.Site{ID: "f", Name: "f", Region: sites.Region{Province: "x"}, StartURLs: []string{srv.URL + "/col/index.html"}}
}
