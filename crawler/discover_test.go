package crawler

import (
	"net/url"
	"testing"
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
