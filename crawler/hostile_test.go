package crawler

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/crawler/urlstate"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sampleportal/hostile"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// The sites of the hostile portal, one misbehaviour each.
const (
	siteGBKHeader   = 0 // GBK, charset in the header
	siteGB2312Meta  = 1 // GB2312, charset in a <meta> only
	siteGBKNone     = 2 // GBK, declared nowhere
	siteGBKLie      = 3 // GBK under a header saying utf-8
	siteFlaky       = 4 // drops connections, answers 500
	siteRetryAfter  = 5 // 429 with Retry-After; attachments
	siteCalendar    = 6 // an endless calendar behind the list pages
	siteRobots      = 7 // robots.txt disallows the site
	siteSlow        = 8 // slow answers; attachments
	siteRedirecting = 9 // the notice redirects in a loop
)

var hostileSetup siteSetup = func(i int) ([]hostile.Rule, string, []string) {
	p := "/" + siteID(i) + "/"
	switch i {
	case siteGBKHeader:
		return []hostile.Rule{{Path: p, Charset: hostile.GBK, Declare: hostile.DeclareHeader}}, "", nil
	case siteGB2312Meta:
		return []hostile.Rule{{Path: p, Charset: hostile.GB2312, Declare: hostile.DeclareMeta}}, "", nil
	case siteGBKNone:
		return []hostile.Rule{{Path: p, Charset: hostile.GBK, Declare: hostile.DeclareNone}}, "", nil
	case siteGBKLie:
		return []hostile.Rule{{Path: p, Charset: hostile.GBK, Declare: hostile.DeclareLie}}, "", nil
	case siteFlaky:
		return []hostile.Rule{
			{Path: p + "col/*/index*.html", Drop: true, Times: 1},
			{Path: p + "art/", Status: 500, Times: 2},
		}, "", nil
	case siteRetryAfter:
		return []hostile.Rule{{Path: p + "col/*/index.html", Status: 429, RetryAfter: "1", Times: 1}}, "", []string{".pdf", ".docx"}
	case siteCalendar:
		return []hostile.Rule{{Path: p, Calendar: true}}, "", nil
	case siteRobots:
		return nil, "User-agent: *\nDisallow: " + p + "\n", nil
	case siteSlow:
		return []hostile.Rule{{Path: p, Delay: 40 * time.Millisecond}}, "", []string{".wps", ".xls", ".xlsx", ".doc"}
	}
	return nil, "", nil
}

// redirectLoopPortal is the hostile portal with the notice of siteRedirecting made
// a redirect loop (a rule that needs the generated paths).
func newFullHostilePortal(t testing.TB) (*hostilePortal, string) {
	t.Helper()
	pcfg := sampleportal.DefaultConfig() // 10 sites, 6 reports and 1 notice each
	probe, _ := sampleportal.Generate(pcfg)
	var loop string
	for _, n := range probe.Notices("http://x") {
		if n.Site == siteID(siteRedirecting) {
			loop = n.Path
		}
	}
	setup := func(i int) ([]hostile.Rule, string, []string) {
		if i == siteRedirecting {
			return []hostile.Rule{{Path: loop, RedirectLoop: true}}, "", nil
		}
		return hostileSetup(i)
	}
	return newHostilePortal(t, pcfg, setup), loop
}

// TestHostilePortal crawls a portal of ten misbehaving hosts: every report, notice
// and attachment is published exactly once with its bytes as served; robots.txt,
// host limits and the page budget hold; failures are retried or recorded.
func TestHostilePortal(t *testing.T) {
	hp, loop := newFullHostilePortal(t)
	b := openBus(t)
	reg := prometheus.NewRegistry()
	c, err := New(hostileConfig(), b, nil, reg, kvOptions(t, b)...)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, err := c.CrawlAll(context.Background(), hp.sites)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("crawled in %v: %+v", time.Since(start), st)

	want := hp.allDocuments(siteGBKHeader, siteGB2312Meta, siteGBKNone, siteGBKLie, siteFlaky, siteRetryAfter, siteCalendar, siteSlow, siteRedirecting)
	loopURL := hp.servers[siteRedirecting].URL + loop
	delete(want, loopURL)

	docs := rawDocuments(t, b)
	got := map[string]*rawdoc.Document{}
	for _, d := range docs {
		if got[d.URL] != nil {
			t.Errorf("published twice: %s", d.URL)
		}
		got[d.URL] = d
	}
	for u := range want {
		if got[u] == nil {
			t.Errorf("missing: %s", u)
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			t.Errorf("unexpected: %s", u)
		}
	}
	if st.Published != len(want) || st.Duplicates != 0 {
		t.Errorf("published %d (duplicates %d), want %d", st.Published, st.Duplicates, len(want))
	}

	// Bytes as served, titles decoded whatever the charset.
	for u, title := range want {
		d := got[u]
		if d == nil {
			continue
		}
		if d.SHA256 != rawdoc.Hash(d.Body) {
			t.Errorf("%s: hash does not match the body", u)
		}
		// The link text was read from a list page in whatever charset it came:
		// it names the report (pages rendered in traditional characters are linked
		// with simplified titles, so the record's title is not compared).
		if title != "" && !IsReportTitle(d.LinkText) {
			t.Errorf("%s: link text %q, want a report title like %q", u, d.LinkText, title)
		}
		site := sitesIndex(hp, u)
		gb := site == siteGBKHeader || site == siteGB2312Meta || site == siteGBKNone || site == siteGBKLie
		if d.Kind == rawdoc.KindPage && gb == utf8.Valid(d.Body) {
			t.Errorf("%s: body UTF-8 %v, site %d", u, utf8.Valid(d.Body), site)
		}
		media := "text/html"
		if strings.HasSuffix(u, ".txt") {
			media = "text/plain" // a report served as a text file
		}
		if site == siteGBKLie && d.ContentType != media+"; charset=utf-8" {
			t.Errorf("%s: content type %q, want the lying header as served", u, d.ContentType)
		}
		if site == siteGBKHeader && d.Kind == rawdoc.KindPage && d.ContentType != media+"; charset=gbk" {
			t.Errorf("%s: content type %q", u, d.ContentType)
		}
	}

	// robots.txt: nothing of the disallowed site was requested.
	for _, p := range hp.h.Paths() {
		if strings.HasPrefix(p, "/"+siteID(siteRobots)+"/") {
			t.Errorf("requested %s, which robots.txt disallows", p)
		}
	}
	// Host limits.
	for i, h := range hp.hosts {
		if n := hp.h.MaxInFlight(h); n > 2 {
			t.Errorf("site %d: %d requests in flight, limit 2", i, n)
		}
	}
	// The crawl trap: the list budget (40) bounds the calendar.
	calendar := 0
	for _, p := range hp.h.Paths() {
		if strings.HasPrefix(p, "/"+siteID(siteCalendar)+"/") && strings.Contains(p, "index_2") {
			calendar++
		}
	}
	if calendar == 0 || calendar > 40 {
		t.Errorf("%d calendar pages fetched, budget 40", calendar)
	}
	// Errors: the ones planted, and nothing else.
	for kind, n := range st.Errors {
		switch kind {
		case "robots", "redirect_loop", "max_pages", "max_depth":
		default:
			t.Errorf("unexpected final errors: %d × %s", n, kind)
		}
	}
	if st.Errors["robots"] != 1 || st.Errors["redirect_loop"] != 1 || st.Errors["max_pages"] == 0 {
		t.Errorf("errors %v", st.Errors)
	}
	// 6 reports and a notice failing twice, one 429, and 2 list pages dropped once
	// (unless net/http itself retried the request on a fresh connection, which it
	// does when a reused one closes before answering).
	if st.Retries < 2*7+1 || st.Retries > 2+2*7+1 {
		t.Errorf("%d retries", st.Retries)
	}
	for u := range hp.documents(siteFlaky) {
		p, _ := url.Parse(u)
		if n := hp.h.Requests(p.Path); n != 3 {
			t.Errorf("%s requested %d times, want 3 (500, 500, 200)", p.Path, n)
		}
	}
	// The final error is recorded in the URL's state.
	stKV, _ := b.CrawlStateKV(context.Background())
	ls, ok, err := urlstate.NewKV(stKV).Get(context.Background(), siteID(siteRedirecting), loopURL)
	if err != nil || !ok || ls.Error != "redirect_loop" || ls.Failures != 1 || !ls.NextDue.After(time.Now()) {
		t.Errorf("state of the redirect loop: %+v %v %v", ls, ok, err)
	}
	// Metrics.
	if n := testutil.ToFloat64(c.metrics.errors.WithLabelValues("redirect_loop")); n != 1 {
		t.Errorf("errors_total{redirect_loop} = %v", n)
	}
	attachments := 0
	for u := range want {
		if got[u] != nil && got[u].Kind == rawdoc.KindAttachment {
			attachments++
		}
	}
	if n := testutil.ToFloat64(c.metrics.published.WithLabelValues(rawdoc.KindAttachment)); n != float64(attachments) || attachments < 8 {
		t.Errorf("published_total{attachment} = %v, %d attachments", n, attachments)
	}
	if n := testutil.CollectAndCount(c.metrics.hostWait); n != 1 {
		t.Errorf("host wait histogram: %d series", n)
	}
}

// sitesIndex returns which site's server a URL is on.
func sitesIndex(hp *hostilePortal, raw string) int {
	u, _ := url.Parse(raw)
	for i, h := range hp.hosts {
		if h == u.Host {
			return i
		}
	}
	return -1
}
