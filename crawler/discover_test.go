package crawler

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/sites"
)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestIsReportTitle(t *testing.T) {
	tests := map[string]bool{
		"德惠市岔路口镇人民政府2020年政府信息公开工作年度报告": true,
		"德惠市教育局2020年度政府信息公开年报":         true,
		"2019年 政府信息公开 工作年度报告":          true,
		"关于做好2020年政府信息公开工作年度报告编制工作的通知": true, // fetched; the extractor rejects it
		"德惠市召开安全生产工作会议":                false,
		"2020年统计年报": false,
		"政府信息公开指南":  false,
	}
	for title, want := range tests {
		if got := IsReportTitle(title); got != want {
			t.Errorf("IsReportTitle(%q) = %v", title, got)
		}
	}
}

func TestIsListPage(t *testing.T) {
	base := mustURL("http://www.a.gov.cn/col/col123/index.html")
	tests := map[string]bool{
		"http://www.a.gov.cn/col/col123/index_2.html": true,
		"http://www.a.gov.cn/col/col123/index.shtml":  true,
		"http://www.a.gov.cn/col/col123/":             true,
		"http://www.a.gov.cn/col/col124/index_2.html": false,
		"http://www.b.gov.cn/col/col123/index_2.html": false,
		"http://www.a.gov.cn/col/col123/art_1.html":   false,
	}
	for u, want := range tests {
		if got := IsListPage(base, mustURL(u)); got != want {
			t.Errorf("IsListPage(%s) = %v", u, got)
		}
	}
}

func TestPaginationPages(t *testing.T) {
	base := mustURL("http://www.a.gov.cn/zwgk/ndbg/index.html")
	got := PaginationPages(base, `var x=1; createPageHTML(4, 0,"index", "shtml"); `, 100)
	want := []string{"index.shtml", "index_1.shtml", "index_2.shtml", "index_3.shtml"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i, u := range got {
		if u.String() != "http://www.a.gov.cn/zwgk/ndbg/"+want[i] {
			t.Errorf("page %d: %s", i, u)
		}
	}
	if got := PaginationPages(base, `createPageHTML(100000, 0, "index", "html")`, 50); len(got) != 50 {
		t.Errorf("limit not applied: %d pages", len(got))
	}
	if got := PaginationPages(base, `createPageHTML(total, cur)`, 50); len(got) != 0 {
		t.Errorf("garbage script produced pages: %v", got)
	}
}

func TestDomainPolicy(t *testing.T) {
	p, err := newDomainPolicy([]string{"http://127.0.0.1:8080/s/col/index.html"}, []string{"gzw.cn"})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{
		"http://www.dehui.gov.cn/a.html":   true,
		"https://gov.cn/":                  true,
		"http://127.0.0.1:8080/x":          true,
		"http://127.0.0.1:9090/x":          false,
		"http://www.example.com/gov.cn":    false,
		"http://evilgov.cn/":               false,
		"http://a.gzw.cn/":                 true,
		"ftp://www.dehui.gov.cn/a.doc":     false,
		"http://www.dehui.gov.cn.evil.com": false,
	}
	for u, want := range tests {
		if got := p.allowed(mustURL(u)); got != want {
			t.Errorf("allowed(%s) = %v", u, got)
		}
	}
}

func TestIsAttachment(t *testing.T) {
	for u, want := range map[string]bool{
		"http://a.gov.cn/f/report.PDF": true, "http://a.gov.cn/f/r.docx": true, "http://a.gov.cn/f/r.wps": true,
		"http://a.gov.cn/f/r.jpg": false, "http://a.gov.cn/f/r.html": false,
	} {
		if got := IsAttachment(mustURL(u)); got != want {
			t.Errorf("IsAttachment(%s) = %v", u, got)
		}
	}
}

func TestCMSShapes(t *testing.T) {
	for u, want := range map[string][2]bool{ // column, article
		"http://www.a.gov.cn/col/col1234/index.html":                 {true, false},
		"http://www.a.gov.cn/col/col1234/":                           {true, false},
		"http://www.a.gov.cn/col/col1234/index_3.html":               {true, false},
		"http://www.a.gov.cn/art/2021/1/25/art_1234_567890.html":     {false, true},
		"http://www.a.gov.cn/art/2021/12/5/art_1_2.shtml":            {false, true},
		"http://www.a.gov.cn/zwgk/ndbg/202101/t20210125_123456.html": {false, true},
		"http://www.a.gov.cn/202101/t20210125_1.shtml":               {false, true},
		"http://www.a.gov.cn/art/2021/1/25/index.html":               {false, false},
		"http://www.a.gov.cn/col/colx/index.html":                    {false, false},
		"http://www.a.gov.cn/2021/t20210125_1.html":                  {false, false},
	} {
		pu := mustURL(u)
		if IsColumn(pu) != want[0] || IsArticle(pu) != want[1] {
			t.Errorf("%s: column %v article %v", u, IsColumn(pu), IsArticle(pu))
		}
	}
}

func TestTitles(t *testing.T) {
	for title, want := range map[string]bool{
		"德惠市财政局2020年政府信息公开工作年度…":  true,
		"德惠市财政局2020年政府信息公开工作年...": true,
		"德惠市财政局2020年政府信息公开…":      true,
		"德惠市财政局2020年政府信息公开工作年度报告": false, // not cut: IsReportTitle's business
		"德惠市召开安全生产工作会议…":          false,
		"关于开展政府信息公开专项检查的…":        false,
	} {
		if got := IsTruncatedReportTitle(title); got != want {
			t.Errorf("IsTruncatedReportTitle(%q) = %v", title, got)
		}
	}
	for text, want := range map[string]bool{
		"政府信息公开年报":          true,
		"政府信息公开工作年度报告":      true,
		"年度报告":              true,
		"2020年政府信息公开工作年度报告": false,
		"政务动态":              false,
		"政府信息公开指南":          false,
	} {
		if got := IsReportColumnTitle(text); got != want {
			t.Errorf("IsReportColumnTitle(%q) = %v", text, got)
		}
	}
}

func TestPaginationScriptWithDiv(t *testing.T) {
	base := mustURL("http://www.a.gov.cn/zfxxgk/ndbg/fg.htm")
	got := PaginationPages(base, `createPageHTML('page_div',3, 1,'fg','htm',28);`, 100)
	if len(got) != 3 || got[0].String() != "http://www.a.gov.cn/zfxxgk/ndbg/fg.htm" || got[2].String() != "http://www.a.gov.cn/zfxxgk/ndbg/fg_2.htm" {
		t.Fatalf("pages %v", got)
	}
}

// Discovery on a list page of a CMS the crawler has no code for: columns,
// Hanweb and TRS articles, truncated titles, attachments, pagination.
func TestDiscoverList(t *testing.T) {
	page := `<html><body>
<ul>
<li><a href="../../art/2021/1/20/art_11_101.html" title="德惠市教育局2020年政府信息公开工作年度报告">德惠市教育局2020年…</a></li>
<li><a href="./202101/t20210125_102.html">德惠市财政局2020年政府信息公开工作年度…</a></li>
<li><a href="/art/2021/1/21/art_11_103.html">德惠市召开安全生产工作会议</a></li>
<li><a href="/files/2020nb.pdf">德惠市2020年政府信息公开年报（全文）</a></li>
<li><a href="/col/col99/index.html">政府信息公开年报</a></li>
<li><a href="/col/col98/index.html">政务动态</a></li>
<li><a href="http://www.example.com/art/2021/1/1/art_1_1.html">外站2020年政府信息公开工作年度报告</a></li>
<li><a href="javascript:void(0)">2020年政府信息公开工作年度报告</a></li>
</ul>
<a href="index_1.html">下一页</a>
<script>createPageHTML(3, 0, "index", "html");</script>
</body></html>`
	c, _ := New(testConfig(), newMemPublisher(), nil, nil)
	s := sites.Site{ID: "d", Name: "d", Region: sites.Region{Province: "x"}, StartURLs: []string{"http://www.dehui.gov.cn/col/col11/index.html"}}
	sc, err := c.newSiteCrawl(context.Background(), &s, "r")
	if err != nil {
		t.Fatal(err)
	}
	links := sc.discoverList(scanHTML([]byte(page), "text/html"), mustURL(s.StartURLs[0]))
	got := map[string]string{}
	for _, l := range links {
		got[strings.TrimPrefix(l.URL, "http://www.dehui.gov.cn")] = l.Kind
	}
	want := map[string]string{
		"/art/2021/1/20/art_11_101.html":       pageReport,
		"/col/col11/202101/t20210125_102.html": pageReport,
		"/files/2020nb.pdf":                    pageAttachment,
		"/col/col99/index.html":                pageList,
		"/col/col11/index_1.html":              pageList,
		"/col/col11/index.html":                pageList,
		"/col/col11/index_2.html":              pageList,
	}
	for u, k := range want {
		if got[u] != k {
			t.Errorf("%s: kind %q, want %q", u, got[u], k)
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			t.Errorf("unexpected link %s (%s)", u, got[u])
		}
	}
}

func FuzzPaginationPages(f *testing.F) {
	f.Add(`createPageHTML(4, 0,"index", "shtml");`)
	f.Add(`createPageHTML('page_div',3, 1,'fg','htm',28);`)
	f.Add(`createPageHTML(99999999999999999999, 0, "index", "html")`)
	base := mustURL("http://www.a.gov.cn/col/col1/index.html")
	f.Fuzz(func(t *testing.T, script string) {
		pages := PaginationPages(base, script, 50)
		if len(pages) > 50 {
			t.Fatalf("%d pages over the limit", len(pages))
		}
		for _, u := range pages {
			if u.Host != base.Host {
				t.Fatalf("pagination left the host: %s", u)
			}
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2015, 10, 21, 7, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d := parseRetryAfter(v, now); d < 0 {
			t.Fatalf("negative Retry-After %v from %q", d, v)
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120": 2 * time.Minute, "0": 0, "-5": 0, "": 0, "soon": 0,
		"Wed, 21 Oct 2015 07:28:00 GMT": 28 * time.Minute,
		"Wed, 21 Oct 2015 06:28:00 GMT": 0,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzDiscoverList(f *testing.F) {
	f.Add(`<a href="/art/2021/1/20/art_1_1.html">2020年政府信息公开工作年度报告</a><script>createPageHTML(3,0,"index","html")</script>`)
	f.Add("<a href=\"\xb5\xc2\xbb\xdd.html\">\xb5\xc2\xbb\xdd</a>")
	c, _ := New(testConfig(), newMemPublisher(), nil, nil)
	s := sites.Site{ID: "d", Name: "d", Region: sites.Region{Province: "x"}, StartURLs: []string{"http://www.dehui.gov.cn/col/col11/index.html"}}
	sc, _ := c.newSiteCrawl(context.Background(), &s, "r")
	base := mustURL(s.StartURLs[0])
	f.Fuzz(func(t *testing.T, page string) {
		for _, l := range sc.discoverList(scanHTML([]byte(page), ""), base) {
			u, err := url.Parse(l.URL)
			if err != nil || !sc.policy.allowed(u) {
				t.Fatalf("discovered a link the policy refuses: %s", l.URL)
			}
		}
	})
}

func TestMayLinkAttachments(t *testing.T) {
	for page, want := range map[string]bool{
		`<a href="a.pdf">附件</a>`:  true,
		`<a href="A.DOCX">附件</a>`: true,
		`<a href="x.html">报告</a>`: false,
		`<p>no links</p>`:         false,
		`<a href="a.pdfx">x</a>`:  false,
		`<a href="a.Et">x</a>`:    true,
		`end.doc`:                 true,
		`.`:                       false,
	} {
		if got := mayLinkAttachments([]byte(page)); got != want {
			t.Errorf("mayLinkAttachments(%q) = %v", page, got)
		}
	}
}
