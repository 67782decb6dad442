package sampleportal

import (
	"bytes"
	"slices"
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

// contentDiv returns the article body: <div class="TRS_Editor">, <div id="zoom">,
// or on an unboxed site the div of one of the home-grown classes.
func contentDiv(doc *html.Node) *html.Node {
	divs := findAll(doc, func(n *html.Node) bool {
		if n.DataAtom != atom.Div {
			return false
		}
		class := " " + attr(n, "class") + " "
		if attr(n, "id") == "zoom" || strings.Contains(class, " TRS_Editor ") {
			return true
		}
		for _, c := range []string{"detail-body", "xxgk-text", "news_cont_d_wrap", "con-text", "main-txt"} {
			if strings.Contains(class, " "+c+" ") {
				return true
			}
		}
		return false
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
			txt := strings.Join(strings.Fields(text(td)), "") // "商业<br>企业" is 商业企业
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

// collapse merges adjacent columns of a grid that are equal in every row (a column
// of the template printed over several columns of a finer grid).
func collapse(rows [][]string) [][]string {
	if len(rows) == 0 {
		return nil
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	at := func(r []string, c int) string {
		if c < len(r) {
			return r[c]
		}
		return ""
	}
	var keep []int
	for c := 0; c < width; c++ {
		same := c > 0
		for _, r := range rows {
			if same && at(r, c) != at(r, c-1) {
				same = false
			}
		}
		if !same {
			keep = append(keep, c)
		}
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, c := range keep {
			out[i] = append(out[i], at(r, c))
		}
	}
	return out
}

// splitAtRows splits a grid at the rows whose every cell is one of the headings,
// dropping those rows and anything before the first.
func splitAtRows(g [][]string, headings []string) [][][]string {
	var out [][][]string
	for _, r := range g {
		if len(r) > 0 && slices.Contains(headings, r[0]) && strings.Count(strings.Join(r, "\x00"), r[0]) == len(r) {
			out = append(out, nil)
			continue
		}
		if len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], r)
		}
	}
	return out
}

// htmlTokens returns the texts a reader sees under n, in order: a table cell is one
// token; other text is cut into lines at block elements and <br>, a <pre> at its
// line breaks, and every line at tabs and "|".
func htmlTokens(n *html.Node) []string {
	var out []string
	var line strings.Builder
	flush := func() {
		out = append(out, lineTokens(line.String())...)
		line.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				line.WriteString(c.Data)
			case c.Type != html.ElementNode:
			case c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				flush()
				out = append(out, text(c))
			case c.DataAtom == atom.Pre:
				flush()
				for _, l := range strings.Split(text(c), "\n") {
					out = append(out, lineTokens(l)...)
				}
			case c.DataAtom == atom.Br:
				flush()
			case c.DataAtom == atom.Script || c.DataAtom == atom.Style:
			default:
				block := c.DataAtom == atom.P || c.DataAtom == atom.Div || c.DataAtom == atom.Tr || c.DataAtom == atom.Table ||
					c.DataAtom == atom.H3 || c.DataAtom == atom.Li
				if block {
					flush()
				}
				walk(c)
				if block {
					flush()
				}
			}
		}
	}
	walk(n)
	flush()
	return out
}

// textTokens returns the tokens of a text file: lines cut at tabs and "|".
func textTokens(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, lineTokens(l)...)
	}
	return out
}

// lineTokens cuts a line at tabs and "|" and trims the pieces (NBSP and the
// ideographic space included), dropping empty ones.
func lineTokens(l string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(l, func(r rune) bool { return r == '\t' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
