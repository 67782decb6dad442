package extractor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// benchPage builds a realistic portal page of about 100 KB: the report fixture
// wrapped in the navigation menus, scripts, link lists and footer that make real
// portal pages that large.
func benchPage(tb testing.TB) []byte {
	page := readFile(tb, "testdata/html/trs_2019_per_section.html")
	var nav strings.Builder
	nav.WriteString(`<div class="menu-all">`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&nav, `<div class="menu-col"><h4>政务公开栏目%d</h4><ul>`, i)
		for j := 0; j < 12; j++ {
			fmt.Fprintf(&nav, `<li><a href="/zwgk/col%d/sub%d/index.html" title="政府信息公开目录第%d类第%d项">政府信息公开目录第%d类第%d项</a></li>`, i, j, i, j, i, j)
		}
		nav.WriteString(`</ul></div>`)
	}
	nav.WriteString(`</div><script>`)
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&nav, "var cfg%d = {id: %d, name: 'column-%d', visible: true};\n", i, i, i)
	}
	nav.WriteString(`</script>`)
	var foot strings.Builder
	foot.WriteString(`<div class="friend-links">`)
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&foot, `<a href="http://www.site%d.gov.cn/" target="_blank">某市某县人民政府网站%d</a> `, i, i)
	}
	foot.WriteString(`</div>`)
	page = bytes.Replace(page, []byte(`<div class="container">`), []byte(nav.String()+`<div class="container">`), 1)
	page = bytes.Replace(page, []byte(`<div class="footer">`), []byte(foot.String()+`<div class="footer">`), 1)
	return page
}

func BenchmarkParseHTML(b *testing.B) {
	page := benchPage(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(Input{URL: "http://www.dehui.gov.cn/a.html", Body: page, ContentType: "text/html; charset=utf-8"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTMLParse is the bare html.Parse of the same bytes, the yardstick of
// BenchmarkParseHTML (target: extraction at most 2× this).
func BenchmarkHTMLParse(b *testing.B) {
	page := benchPage(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(page)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchPageIsRealistic(t *testing.T) {
	page := benchPage(t)
	if n := len(page); n < 90<<10 || n > 130<<10 {
		t.Fatalf("bench page is %d bytes, want about 100 KB", n)
	}
	rec := mustParse(t, Input{URL: "http://www.dehui.gov.cn/a.html", Body: page})
	if rec.Applications.Get("new_received", "total").Value != 16 {
		t.Fatal("bench page no longer parses like its fixture")
	}
}
