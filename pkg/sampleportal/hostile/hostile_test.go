package hostile

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/pkg/sampleportal"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func portal(t *testing.T) *sampleportal.Portal {
	t.Helper()
	cfg := sampleportal.DefaultConfig()
	cfg.Sites = 3
	p, err := sampleportal.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// serve wraps the portal with cfg on a loopback server and returns the server,
// the handler and the portal's paths: a list page and a report page of site-001.
func serve(t *testing.T, cfg Config) (*httptest.Server, *Handler, string, string) {
	t.Helper()
	return serveWith(t, func(string, string) Config { return cfg })
}

// serveWith is serve with a configuration that names the paths.
func serveWith(t *testing.T, cfg func(list, report string) Config) (*httptest.Server, *Handler, string, string) {
	t.Helper()
	p := portal(t)
	lu, _ := url.Parse(p.Sites("http://x")[0].StartURLs[0])
	list, report := lu.Path, ""
	for _, e := range p.Expected("http://x") {
		// The first report of site-001 served as an HTML page (others are files).
		if strings.HasPrefix(e.Path, "/site-001/") && strings.HasSuffix(e.Path, ".html") {
			report = e.Path
			break
		}
	}
	if report == "" {
		t.Fatal("site-001 has no HTML report")
	}
	h, err := Wrap(p.Handler(), cfg(list, report))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, h, list, report
}

func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		declare  Declaration
		charset  string
		wantType string
		wantMeta string // a <meta> the page must carry ("" none)
	}{
		{DeclareHeader, GBK, "text/html; charset=gbk", ""},
		{DeclareMeta, GB2312, "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`},
		{DeclareBoth, GB18030, "text/html; charset=gb18030", `<meta charset="gb18030">`},
		{DeclareNone, GBK, "text/html", ""},
		{DeclareLie, GBK, "text/html; charset=utf-8", ""},
		{DeclareLieWithMeta, GBK, "text/html; charset=utf-8", `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`},
	}
	for _, tt := range tests {
		t.Run(tt.charset+"/"+tt.wantType, func(t *testing.T) {
			srv, _, list, report := serve(t, Config{Rules: []Rule{{Path: "/site-001/", Charset: tt.charset, Declare: tt.declare}}})
			for _, p := range []string{list, report} {
				resp, body := get(t, srv.Client(), srv.URL+p)
				if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
					t.Errorf("%s: Content-Type %q", p, ct)
				}
				if utf8.Valid(body) {
					t.Fatalf("%s: body is still UTF-8", p)
				}
				text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(text), "政府信息公开") {
					t.Errorf("%s: decoded text lost the Chinese", p)
				}
				if strings.Contains(strings.ToLower(string(text)), `charset="utf-8"`) {
					t.Errorf("%s: the utf-8 <meta> survived", p)
				}
				if tt.wantMeta != "" && !strings.Contains(string(text), tt.wantMeta) {
					t.Errorf("%s: no %s", p, tt.wantMeta)
				}
				if tt.wantMeta == "" && strings.Contains(strings.ToLower(string(text)), "charset") {
					t.Errorf("%s: a charset is declared in the page", p)
				}
			}
			// Other sites are untouched.
			resp, body := get(t, srv.Client(), srv.URL+strings.Replace(list, "site-001", "site-002", 1))
			_ = resp
			if !utf8.Valid(body) {
				t.Error("site-002 re-encoded")
			}
		})
	}
}

func TestRobots(t *testing.T) {
	srv, _, _, _ := serve(t, Config{Robots: map[string]string{"*": "User-agent: *\nDisallow: /site-002/\nCrawl-delay: 1\n"}})
	resp, body := get(t, srv.Client(), srv.URL+"/robots.txt")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Disallow: /site-002/") {
		t.Fatalf("robots.txt %d %q", resp.StatusCode, body)
	}
	// Without a rule for the host, the portal's own robots.txt.
	srv2, _, _, _ := serve(t, Config{Robots: map[string]string{"other:1": "User-agent: *\nDisallow: /\n"}})
	if _, body := get(t, srv2.Client(), srv2.URL+"/robots.txt"); !strings.Contains(string(body), "Allow: /") || strings.Contains(string(body), "Disallow") {
		t.Fatalf("portal robots.txt %q", body)
	}
}

func TestFailures(t *testing.T) {
	srv, h, list, report := serveWith(t, func(list, report string) Config {
		return Config{Rules: []Rule{
			{Path: list, Drop: true, Times: 1},
			{Path: report, Status: 503, RetryAfter: "2", Times: 2},
			{Path: "/site-003/*/*/index.html", Status: 429, RetryAfter: "1"},
		}}
	})
	c := srv.Client()
	if _, err := c.Get(srv.URL + list); err == nil {
		t.Fatal("dropped connection answered")
	}
	if resp, _ := get(t, c, srv.URL+list); resp.StatusCode != 200 {
		t.Fatalf("second request: %d", resp.StatusCode)
	}
	for i := range 3 {
		resp, _ := get(t, c, srv.URL+report)
		want, ra := 503, "2"
		if i == 2 {
			want, ra = 200, ""
		}
		if resp.StatusCode != want || resp.Header.Get("Retry-After") != ra {
			t.Fatalf("request %d: %d Retry-After %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	for range 2 {
		if resp, _ := get(t, c, srv.URL+strings.Replace(list, "site-001", "site-003", 1)); resp.StatusCode != 429 {
			t.Fatalf("pattern rule: %d", resp.StatusCode)
		}
	}
	if h.Requests(report) != 3 || h.Requests(list) != 2 {
		t.Errorf("requests %d %d", h.Requests(report), h.Requests(list))
	}
}

func TestDelayAndObservations(t *testing.T) {
	srv, h, list, _ := serve(t, Config{Rules: []Rule{{Path: "/site-001/", Delay: 80 * time.Millisecond}}})
	var wg sync.WaitGroup
	start := time.Now()
	for range 3 {
		wg.Go(func() { get(t, srv.Client(), srv.URL+list) })
	}
	wg.Wait()
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Fatalf("slow host answered in %v", took)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if n := h.MaxInFlight(host); n != 3 {
		t.Errorf("max in flight %d, want 3", n)
	}
	if n := len(h.Starts(host)); n != 3 {
		t.Errorf("%d starts", n)
	}
	resp, _ := get(t, srv.Client(), srv.URL+list)
	resp, _ = get(t, srv.Client(), srv.URL+list, "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified || h.Conditional() != 1 {
		t.Errorf("conditional: %d, counted %d", resp.StatusCode, h.Conditional())
	}
	h.Reset()
	if h.Total() != 0 || len(h.Paths()) != 0 {
		t.Error("reset kept counts")
	}
}

func TestRedirectLoop(t *testing.T) {
	srv, _, _, report := serveWith(t, func(_, report string) Config { return Config{Rules: []Rule{{Path: report, RedirectLoop: true}}} })
	_, err := srv.Client().Get(srv.URL + report)
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Fatalf("redirect loop: %v", err)
	}
	c := *srv.Client()
	var hops []string
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		hops = append(hops, req.URL.RequestURI())
		if len(via) >= 3 {
			return errors.New("enough")
		}
		return nil
	}
	c.Get(srv.URL + report)
	if len(hops) != 3 || hops[0] != report+"?hop=1" || hops[1] != report || hops[2] != report+"?hop=1" {
		t.Fatalf("hops %v", hops)
	}
}

func TestCalendar(t *testing.T) {
	srv, _, list, _ := serve(t, Config{Rules: []Rule{{Path: "/site-001/", Calendar: true}}})
	_, body := get(t, srv.Client(), srv.URL+list)
	if !bytes.Contains(body, []byte(`href="index_20240101.html"`)) {
		t.Fatal("list page does not link to the calendar")
	}
	dir := list[:strings.LastIndex(list, "/")+1]
	// Walk forward far beyond any real archive: it never ends.
	day := "index_20240101.html"
	for i := range 400 {
		resp, body := get(t, srv.Client(), srv.URL+dir+day)
		if resp.StatusCode != 200 {
			t.Fatalf("day %d (%s): %d", i, day, resp.StatusCode)
		}
		d, _ := calendarDay(day)
		next := dayName(d.AddDate(0, 0, 1))
		if !bytes.Contains(body, []byte(next)) || bytes.Count(body, []byte("<a ")) < 30 {
			t.Fatalf("%s does not link on", day)
		}
		day = next
	}
	// Other sites have no calendar.
	if resp, _ := get(t, srv.Client(), srv.URL+strings.Replace(dir, "site-001", "site-002", 1)+"index_20240101.html"); resp.StatusCode != 404 {
		t.Fatalf("calendar on site-002: %d", resp.StatusCode)
	}
}

func TestAttachments(t *testing.T) {
	exts := []string{".pdf", ".docx", ".wps"}
	srv, _, list, report := serve(t, Config{Rules: []Rule{{Path: "/site-001/", Attachments: exts}}})
	_, body := get(t, srv.Client(), srv.URL+report)
	for i, p := range AttachmentPaths(report, exts) {
		name := p[strings.LastIndex(p, "/")+1:]
		if !bytes.Contains(body, []byte(`href="`+name+`"`)) {
			t.Fatalf("report page does not link %s", name)
		}
		resp, b := get(t, srv.Client(), srv.URL+p)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != attachmentTypes[exts[i]].contentType || !bytes.HasPrefix(b, []byte(attachmentTypes[exts[i]].magic)) {
			t.Fatalf("%s: %d %s %q", p, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		resp, _ = get(t, srv.Client(), srv.URL+p, "If-None-Match", resp.Header.Get("ETag"))
		if resp.StatusCode != http.StatusNotModified {
			t.Fatalf("%s: conditional %d", p, resp.StatusCode)
		}
	}
	if _, b := get(t, srv.Client(), srv.URL+list); bytes.Contains(b, []byte("_att1")) {
		t.Fatal("list page got attachments")
	}
	if resp, _ := get(t, srv.Client(), srv.URL+AttachmentPath(report, ".xls", 1)); resp.StatusCode != 404 {
		t.Fatalf("unconfigured attachment type served: %d", resp.StatusCode)
	}
}

func TestConfigValidate(t *testing.T) {
	for i, c := range []Config{
		{Rules: []Rule{{Charset: "shift_jis"}}},
		{Rules: []Rule{{Status: 200}}},
		{Rules: []Rule{{Path: "[", Drop: true}}},
		{Rules: []Rule{{Attachments: []string{".exe"}}}},
		{Rules: []Rule{{Times: -1}}},
		{Rules: []Rule{{Declare: 99}}},
	} {
		if _, err := Wrap(http.NotFoundHandler(), c); err == nil {
			t.Errorf("config %d accepted", i)
		}
	}
}

func TestPlainText(t *testing.T) {
	const text = "德惠市教育局2020年政府信息公开工作年度报告\n一、总体情况\n"
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
	})
	for _, tt := range []struct {
		d    Declaration
		want string
	}{
		{DeclareHeader, "text/plain; charset=gbk"},
		{DeclareMeta, "text/plain"},
		{DeclareNone, "text/plain"},
		{DeclareLie, "text/plain; charset=utf-8"},
	} {
		h, err := Wrap(inner, Config{Rules: []Rule{{Charset: GBK, Declare: tt.d}}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		resp, body := get(t, srv.Client(), srv.URL+"/a.txt")
		srv.Close()
		if ct := resp.Header.Get("Content-Type"); ct != tt.want {
			t.Errorf("declaration %d: Content-Type %q, want %q", tt.d, ct, tt.want)
		}
		dec, _ := simplifiedchinese.GBK.NewDecoder().Bytes(body)
		if utf8.Valid(body) || string(dec) != text {
			t.Errorf("declaration %d: body %q", tt.d, body)
		}
	}
}
