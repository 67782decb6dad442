package attachfixtures

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govreport/govreport/extractor/htmldoc"
	"github.com/govreport/govreport/extractor/htmltable"
)

// FromPage makes the document an attachment of a report page would be: the title
// as its first paragraph, the article's paragraphs and tables (found as the
// extractor finds them), and the publication date as a closing line when the
// article does not end with one. A text/plain page is a document of its lines.
func FromPage(body []byte, contentType, selector, title, published string) (Doc, error) {
	var d Doc
	d.Blocks = append(d.Blocks, Block{Text: title})
	if strings.HasPrefix(contentType, "text/plain") {
		lines := strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")
		if len(lines) > 0 && strings.TrimSpace(lines[0]) == title {
			lines = lines[1:]
		}
		d.Blocks = append(d.Blocks, FromLines(lines).Blocks...)
	} else {
		page, err := htmldoc.Parse(string(body), selector)
		if err != nil {
			return d, fmt.Errorf("parse page: %w", err)
		}
		walk(&d, page.Content)
	}
	if published != "" {
		d.Blocks = append(d.Blocks, Block{Text: dateLine(published)})
	}
	return d, nil
}

// dateLine renders 2020-01-21 as 2020年1月21日.
func dateLine(iso string) string {
	parts := strings.Split(iso, "-")
	if len(parts) != 3 {
		return iso
	}
	m, _ := strconv.Atoi(parts[1])
	day, _ := strconv.Atoi(parts[2])
	return fmt.Sprintf("%s年%d月%d日", parts[0], m, day)
}

// walk appends the blocks under n: a paragraph per block element's own text, a
// table per <table>, the lines of a <pre> as paragraphs.
func walk(d *Doc, n *html.Node) {
	var inline strings.Builder
	flush := func() {
		for _, l := range strings.Split(inline.String(), "\n") {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				d.Blocks = append(d.Blocks, Block{Text: l})
			}
		}
		inline.Reset()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			inline.WriteString(strings.ReplaceAll(c.Data, "\n", " "))
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
			case atom.Br:
				inline.WriteByte('\n')
			case atom.Table:
				flush()
				d.Blocks = append(d.Blocks, Block{Table: table(c)})
			case atom.Pre:
				flush()
				for _, l := range strings.Split(textOf(c, true), "\n") {
					d.Blocks = append(d.Blocks, Block{Text: l})
				}
			default:
				if block(c.DataAtom) {
					flush()
					walk(d, c)
				} else {
					inline.WriteString(textOf(c, false))
				}
			}
		}
	}
	flush()
}

// table converts a <table> (not its nested tables).
func table(n *html.Node) *Table {
	t := &Table{}
	for _, tr := range htmltable.Rows(n) {
		var row []Cell
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
				continue
			}
			row = append(row, Cell{Text: cellText(td), ColSpan: span(td, "colspan"), RowSpan: span(td, "rowspan")})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// cellText is a cell's text with its line breaks (<br>, paragraphs) as "\n".
func cellText(td *html.Node) string {
	var lines []string
	for _, l := range strings.Split(textOf(td, false), "\n") {
		if l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// textOf renders the text under n; <br> and block elements break lines. pre keeps
// the source's line breaks and tabs.
func textOf(n *html.Node, pre bool) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				s := c.Data
				if !pre {
					if strings.TrimSpace(s) == "" && strings.ContainsAny(s, "\n\r") {
						continue
					}
					s = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s)
				}
				b.WriteString(s)
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Table:
					continue
				case atom.Br:
					b.WriteByte('\n')
					continue
				}
				bl := block(c.DataAtom)
				if bl {
					b.WriteByte('\n')
				}
				rec(c)
				if bl {
					b.WriteByte('\n')
				}
			}
		}
	}
	rec(n)
	return b.String()
}

func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section,
		atom.Article, atom.Blockquote, atom.Ul, atom.Ol, atom.Dl, atom.Dd, atom.Dt, atom.Center, atom.Tr, atom.Tbody:
		return true
	}
	return false
}

func span(n *html.Node, name string) int {
	for _, a := range n.Attr {
		if a.Key == name {
			if v, err := strconv.Atoi(strings.TrimSpace(a.Val)); err == nil && v > 0 {
				return min(v, 64)
			}
		}
	}
	return 1
}
