package htmldoc

import (
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/htmltable"
)

// Page is what the extractor reads from an HTML document.
type Page struct {
	// Title is the text of <title>.
	Title string
	// H1 is the text of the first <h1> inside the content, else of the page.
	H1 string
	// Meta holds the <meta name=… content=…> tags, by name as written.
	Meta map[string]string
	// Content is the element holding the article.
	Content *html.Node
	// ContentBy says how Content was found: "selector <s>", "score", or "body".
	ContentBy string
	// Grids are the tables inside Content, in document order (nested tables too).
	Grids []grid.Grid
	// Lines is the text of Content, one line per block; table cells are separated
	// by tabs and table rows are lines.
	Lines []string
	// Dated are texts around the page's publication-date labels (发布日期, 发布时间,
	// 成文日期), wherever on the page they are.
	Dated []string
}

// Parse parses a UTF-8 HTML document. selector, when not empty, is the site's CSS
// selector of the article body; it wins over every other way of finding it.
func Parse(text, selector string) (*Page, error) {
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	p := &Page{Meta: map[string]string{}}
	s := &scan{page: p, holds: map[*html.Node]holds{}}
	s.walk(root, 0)
	p.Content, p.ContentBy = s.content(root, selector)
	if h1 := first(p.Content, atom.H1); h1 != nil {
		p.H1 = htmltable.Text(h1)
	} else if s.h1 != nil {
		p.H1 = htmltable.Text(s.h1)
	}
	n := 0
	eachTable(p.Content, func(t *html.Node) {
		n++
		p.Grids = append(p.Grids, htmltable.Grid(t, n))
	})
	p.Lines = lines(p.Content)
	return p, nil
}

// Select returns the nodes a CSS selector matches under root, nil for a selector
// that does not compile.
func Select(root *html.Node, selector string) []*html.Node {
	m, err := compile(selector)
	if err != nil {
		return nil
	}
	return goquery.NewDocumentFromNode(root).FindMatcher(m).Nodes
}

func first(n *html.Node, a atom.Atom) *html.Node {
	if n == nil {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
		if f := first(c, a); f != nil {
			return f
		}
	}
	return nil
}

// eachTable calls fn for every <table> under n, in document order.
func eachTable(n *html.Node, fn func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Table {
			fn(c)
		}
		eachTable(c, fn)
	}
}
