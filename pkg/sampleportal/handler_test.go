package sampleportal

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html/atom"
)

func get(t *testing.T, client *http.Client, u string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("get %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp, b
}

var pagerCall = regexp.MustCompile(`createPageHTML\((\d+), (\d+), "index", "html"\);`)

// TestCrawlListPages follows every site's list pages from its start URL by the 下一页
// links, as a crawler would, and checks that every report and notice is reachable
// exactly once, that the pages are served as rendered, and that the links a crawler
// must not fetch lead nowhere.
func TestCrawlListPages(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sites, cfg.ReportsPerSite, cfg.ListPageSize, cfg.NoticesPerSite = 6, 9, 4, 2
	p := mustGenerate(t, cfg)
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	client := srv.Client()

	wantReports := map[string]bool{}
	for _, e := range p.Expected(srv.URL) {
		wantReports[e.URL] = true
	}
	wantNotices := map[string]bool{}
	for _, n := range p.Notices(srv.URL) {
		wantNotices[n.URL] = true
	}
	variants := map[[2]bool]bool{}
	for _, s := range p.sites {
		variants[[2]bool{s.style.relativeLinks, s.style.hanwebList}] = true
	}
	if len(variants) < 3 {
		t.Fatalf("the test portal shows only link/list variants %v", variants)
	}
	seen := map[string]int{}
	var others []string
	offsite := 0
	for _, def := range p.Sites(srv.URL) {
		if err := def.Validate(); err != nil {
			t.Fatalf("site definition: %v", err)
		}
		s := p.site(def.ID)
		pages := (len(s.list) + cfg.ListPageSize - 1) / cfg.ListPageSize
		next := def.StartURLs[0]
		for n := 0; next != ""; n++ {
			if n >= pages {
				t.Fatalf("%s: more than %d list pages", def.ID, pages)
			}
			resp, body := get(t, client, next, nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("%s: %d %q", next, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if m := pagerCall.FindSubmatch(body); m == nil || string(m[1]) != fmt.Sprint(pages) || string(m[2]) != fmt.Sprint(n) {
				t.Errorf("%s: pager call %q, want createPageHTML(%d, %d, …)", next, m, pages, n)
			}
			base, _ := url.Parse(next)
			doc := parseHTML(t, body)
			next = ""
			entries := 0
			for _, l := range links(doc) {
				ref, err := base.Parse(l[0])
				if err != nil {
					t.Fatalf("%s: link %q: %v", base, l[0], err)
				}
				abs := ref.String()
				switch {
				case l[1] == "下一页":
					next = abs
				case ref.Host != base.Host:
					offsite++
				case strings.Contains(l[0], "/art/"):
					entries++
					if strings.Contains(l[1], "年度报告") {
						seen[abs]++
					} else {
						others = append(others, abs)
					}
				}
			}
			if want := min(cfg.ListPageSize, len(s.list)-n*cfg.ListPageSize); entries != want {
				t.Errorf("%s: %d entries, want %d", base, entries, want)
			}
			if n == pages-1 && next != "" {
				t.Errorf("%s: the last page links to %s", base, next)
			}
		}
	}
	for u := range wantReports {
		if seen[u] != 1 {
			t.Errorf("report %s reached %d times", u, seen[u])
		}
	}
	for u := range wantNotices {
		if seen[u] != 1 {
			t.Errorf("notice %s reached %d times", u, seen[u])
		}
	}
	if len(seen) != len(wantReports)+len(wantNotices) {
		t.Errorf("%d 年度报告 links, want %d reports and %d notices", len(seen), len(wantReports), len(wantNotices))
	}
	if offsite == 0 {
		t.Error("no off-site link on the list pages")
	}
	if len(others) != cfg.Sites*newsPerSite {
		t.Errorf("%d news links, want %d", len(others), cfg.Sites*newsPerSite)
	}
	for _, u := range others {
		if resp, _ := get(t, client, u, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("news link %s: %d, want 404", u, resp.StatusCode)
		}
	}
	for u := range seen {
		resp, body := get(t, client, u, nil)
		ref, _ := url.Parse(u)
		if resp.StatusCode != http.StatusOK || string(body) != string(p.render(p.pages[ref.Path])) {
			t.Errorf("%s: %d or body not as rendered", u, resp.StatusCode)
		}
		if strings.HasSuffix(ref.Path, ".txt") {
			// A report served as a text file: text/plain, no markup.
			if resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || bytes.Contains(body, []byte("<")) {
				t.Errorf("%s: %q is not a text file", u, resp.Header.Get("Content-Type"))
			}
			continue
		}
		if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || len(findAll(parseHTML(t, body), isAtom(atom.H1))) != 1 {
			t.Errorf("%s: not an article page", u)
		}
	}
}

func TestHandlerStatus(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	client := srv.Client()
	s := p.sites[0]
	tests := []struct {
		path string
		code int
		ct   string
	}{
		{"/", 200, "text/html; charset=utf-8"},
		{"/robots.txt", 200, "text/plain; charset=utf-8"},
		{"/" + s.id + "/", 200, "text/html; charset=utf-8"},
		{s.homePath(), 200, "text/html; charset=utf-8"},
		{s.listPath(0), 200, "text/html; charset=utf-8"},
		{s.listPath(1), 200, "text/html; charset=utf-8"},
		{s.reports[0].path + "?from=list", 200, "text/html; charset=utf-8"},
		{s.notices[0].path, 200, "text/html; charset=utf-8"},
		{"/nope.html", 404, ""},
		{"/" + s.id, 404, ""},
		{"/site-999/index.html", 404, ""},
		{s.listPath(99), 404, ""},
		{s.colPath(s.navCols[0].num), 404, ""},
		{s.news[0].path, 404, ""},
		{strings.ToUpper(s.reports[0].path), 404, ""},
		{s.reports[0].path + "x", 404, ""},
	}
	for _, tt := range tests {
		resp, body := get(t, client, srv.URL+tt.path, nil)
		if resp.StatusCode != tt.code {
			t.Errorf("%s: %d, want %d", tt.path, resp.StatusCode, tt.code)
			continue
		}
		if tt.code == 200 {
			if ct := resp.Header.Get("Content-Type"); ct != tt.ct {
				t.Errorf("%s: Content-Type %q", tt.path, ct)
			}
			if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" || len(body) == 0 {
				t.Errorf("%s: no ETag, Last-Modified or body", tt.path)
			}
		}
	}
	_, robots := get(t, client, srv.URL+"/robots.txt", nil)
	if !strings.Contains(string(robots), "User-agent: *\nAllow: /") {
		t.Errorf("robots.txt: %q", robots)
	}
	_, root := get(t, client, srv.URL+"/", nil)
	for _, s := range p.sites {
		if !strings.Contains(string(root), `href="`+s.homePath()+`"`) {
			t.Errorf("root does not link %s", s.id)
		}
	}

	resp, err := client.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	head, err := client.Head(srv.URL + s.reports[0].path)
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != 200 || head.ContentLength <= 0 {
		t.Errorf("HEAD: %d, length %d", head.StatusCode, head.ContentLength)
	}
}

func TestConditionalRequests(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	client := srv.Client()
	d := p.sites[0].reports[0]
	u := srv.URL + d.path
	first, body := get(t, client, u, nil)
	etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lastMod != d.pub.UTC().Format(http.TimeFormat) {
		t.Fatalf("ETag %q, Last-Modified %q (published %s)", etag, lastMod, d.pub)
	}
	again, body2 := get(t, client, u, nil)
	if again.Header.Get("ETag") != etag || string(body) != string(body2) {
		t.Fatal("a second request gives another ETag or body")
	}
	tests := []struct {
		name string
		hdr  map[string]string
		code int
	}{
		{"same etag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"etag in a list", map[string]string{"If-None-Match": `"x", ` + etag}, http.StatusNotModified},
		{"other etag", map[string]string{"If-None-Match": `"0000"`}, http.StatusOK},
		{"not modified since", map[string]string{"If-Modified-Since": lastMod}, http.StatusNotModified},
		{"modified since", map[string]string{"If-Modified-Since": d.pub.Add(-48 * 3600e9).UTC().Format(http.TimeFormat)}, http.StatusOK},
	}
	for _, tt := range tests {
		resp, b := get(t, client, u, tt.hdr)
		if resp.StatusCode != tt.code {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.code)
		}
		if tt.code == http.StatusNotModified && len(b) != 0 {
			t.Errorf("%s: 304 with a body", tt.name)
		}
	}
	// Another page has another ETag.
	other, _ := get(t, client, srv.URL+p.sites[0].reports[1].path, nil)
	if other.Header.Get("ETag") == etag {
		t.Error("two pages share an ETag")
	}
}

// TestHandlerConcurrent serves every page from several goroutines at once (run with
// -race): the portal is shared read-only by all requests.
func TestHandlerConcurrent(t *testing.T) {
	p := mustGenerate(t, DefaultConfig())
	h := p.Handler()
	errs := make(chan string, len(p.paths))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, path := range p.paths {
				if i%4 != w {
					continue
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), p.render(p.pages[path])) {
					errs <- path
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for path := range errs {
		t.Errorf("%s: not served as rendered", path)
	}
}
