package htmldoc

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govreport/govreport/extractor/normalize"
)

// lines renders the text under n as lines: a line per block element, table cells
// separated by tabs, a line per table row; white space inside a line collapsed.
func lines(n *html.Node) []string {
	var b strings.Builder
	renderText(&b, n)
	raw := strings.Split(b.String(), "\n")
	out := make([]string, 0, len(raw))
	for _, l := range raw {
		cells := strings.Split(l, "\t")
		for i, c := range cells {
			cells[i] = normalize.Space(c)
		}
		if l = strings.Trim(strings.Join(cells, "\t"), "\t"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func renderText(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) == "" && strings.ContainsAny(c.Data, "\n\r") {
				continue
			}
			writeFlat(b, c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
				continue
			case atom.Br:
				b.WriteByte('\n')
				continue
			case atom.Td, atom.Th:
				renderCell(b, c)
				b.WriteByte('\t')
				continue
			case atom.Pre:
				// Preformatted text keeps its line breaks and tabs: a table
				// flattened to tab-separated lines is often pasted as a <pre>.
				b.WriteByte('\n')
				renderPre(b, c)
				b.WriteByte('\n')
				continue
			}
			block := blockElement(c.DataAtom)
			if block {
				b.WriteByte('\n')
			}
			renderText(b, c)
			if block {
				b.WriteByte('\n')
			}
		}
	}
}

// renderPre writes the text under a <pre> as it is laid out: its line breaks (and
// <br>s) as lines, its tabs as tabs.
func renderPre(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(c.Data, "\r\n", "\n"), "\r", "\n"))
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
			case atom.Br:
				b.WriteByte('\n')
			case atom.Td, atom.Th:
				renderCell(b, c)
				b.WriteByte('\t')
			default:
				renderPre(b, c)
			}
		}
	}
}

// renderCell writes a table cell on one line (its own line breaks become spaces).
func renderCell(b *strings.Builder, td *html.Node) {
	var cb strings.Builder
	renderText(&cb, td)
	writeFlat(b, cb.String())
}

// writeFlat writes s with its line breaks and tabs turned into spaces.
func writeFlat(b *strings.Builder, s string) {
	for {
		i := strings.IndexAny(s, "\n\r\t")
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i+1:]
	}
}

func blockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Tr, atom.Table, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Section, atom.Article, atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Dl, atom.Dd, atom.Dt, atom.Center:
		return true
	}
	return false
}
