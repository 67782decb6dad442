package sampleportal

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file reads rendered pages back with golang.org/x/net/html, independently of
// the renderer: a table becomes a grid with rowspan/colspan expanded.

func parseHTML(t testing.TB, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return doc
}

// findAll returns every element below n (n included) for which match is true, in
// document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func isAtom(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text returns the text of n with whitespace (NBSP included) trimmed at both ends.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// metaTags returns the page's <meta name=… content=…> pairs.
func metaTags(doc *html.Node) map[string]string {
	m := map[string]string{}
	for _, n := range findAll(doc, isAtom(atom.Meta)) {
		if name := attr(n, "name"); name != "" {
			m[name] = attr(n, "content")
		}
	}
	return m
}

// contentDiv returns the article body: <div class="TRS_Editor"> or <div id="zoom">.
func contentDiv(doc *html.Node) *html.Node {
	divs := findAll(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.Div && (attr(n, "id") == "zoom" || strings.Contains(" "+attr(n, "class")+" ", " TRS_Editor "))
	})
	if len(divs) != 1 {
		return nil
	}
	return divs[0]
}

// grid expands a table into rows of cell texts: a cell spanning r rows and c columns
// fills r×c positions with its text.
func grid(t testing.TB, table *html.Node) [][]string {
	t.Helper()
	var out [][]string
	taken := map[[2]int]bool{}
	for ri, tr := range findAll(table, isAtom(atom.Tr)) {
		for len(out) <= ri {
			out = append(out, nil)
		}
		col := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
				continue
			}
			for taken[[2]int{ri, col}] {
				col++
			}
			rs, cs := spanOf(t, td, "rowspan"), spanOf(t, td, "colspan")
			txt := text(td)
			for dr := range rs {
				for dc := range cs {
					r, c := ri+dr, col+dc
					taken[[2]int{r, c}] = true
					for len(out) <= r {
						out = append(out, nil)
					}
					for len(out[r]) <= c {
						out[r] = append(out[r], "")
					}
					out[r][c] = txt
				}
			}
			col += cs
		}
	}
	return out
}

func spanOf(t testing.TB, td *html.Node, key string) int {
	v := attr(td, key)
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("bad %s=%q", key, v)
	}
	return n
}

// links returns the href and text of every <a> below n.
func links(n *html.Node) [][2]string {
	var out [][2]string
	for _, a := range findAll(n, isAtom(atom.A)) {
		out = append(out, [2]string{attr(a, "href"), text(a)})
	}
	return out
}
