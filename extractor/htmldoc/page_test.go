package htmldoc

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestContent(t *testing.T) {
	tests := []struct {
		file, selector, by, class string
		grids                     int
	}{
		{"trs_2019_per_section.html", "", "selector .TRS_Editor", "TRS_Editor", 3},
		{"ucap_2021_one_table.html", "", "selector #UCAP-CONTENT", "", 1},
		// No known container: the element with the most headings and tables wins
		// over the menu, the related-links box (which has a table) and the footer.
		{"scored_word_2019.html", "", "score", "detail-body", 3},
		// The site's selector wins, even over a better-scoring element.
		{"trs_2019_per_section.html", ".sidebar", "selector .sidebar", "sidebar", 0},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.selector, func(t *testing.T) {
			b, err := os.ReadFile("../testdata/html/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(string(b), tt.selector)
			if err != nil {
				t.Fatal(err)
			}
			if p.ContentBy != tt.by || attr(p.Content, "class") != tt.class || len(p.Grids) != tt.grids {
				t.Fatalf("content by %q class %q grids %d", p.ContentBy, attr(p.Content, "class"), len(p.Grids))
			}
		})
	}
}

func TestPageParts(t *testing.T) {
	b, err := os.ReadFile("../testdata/html/trs_2019_per_section.html")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(string(b), "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "德惠市农业农村局2019年政府信息公开工作年度报告_德惠市人民政府" || p.Meta["SiteIDCode"] != "2201830001" {
		t.Errorf("title %q meta %v", p.Title, p.Meta)
	}
	if len(p.Dated) == 0 || !strings.Contains(p.Dated[0], "2020-01-21") {
		t.Errorf("dated %q", p.Dated)
	}
	// Lines: headings on their own lines, table rows as tab-separated lines.
	joined := strings.Join(p.Lines, "\n")
	for _, want := range []string{"\n二、主动公开政府信息情况\n", "\n规章\t0\t0\t3\n", "\n2020年1月20日"} {
		if !strings.Contains(joined, want) {
			t.Errorf("lines lack %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "document.write") || strings.Contains(joined, "首页") {
		t.Errorf("lines hold script or navigation text")
	}
}
