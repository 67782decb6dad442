package msdoc

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fixHTML mends two things in wvWare's HTML. It removes the cells wvWare writes
// for the rows a vertically merged cell continues into: it marks them rowspan="0"
// (and gives the first cell of the merge the full rowspan), where HTML reads
// rowspan="0" as "to the end of the table". And it makes a paragraph outside
// tables that holds tabs a <pre>, so that its tabs — the separators of a table
// typed as text — are not collapsed into spaces.
func fixHTML(doc string) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", fmt.Errorf("parse wvWare html: %w", err)
	}
	var drop []*html.Node
	var walk func(n *html.Node, inCell bool)
	walk = func(n *html.Node, inCell bool) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
			inCell = true
			for _, a := range n.Attr {
				if a.Key == "rowspan" && strings.TrimSpace(a.Val) == "0" {
					drop = append(drop, n)
				}
			}
		}
		if n.Type == html.TextNode && !inCell && strings.Contains(n.Data, "\t") {
			for p := n.Parent; p != nil; p = p.Parent {
				if p.Type == html.ElementNode && p.DataAtom == atom.P {
					p.DataAtom, p.Data = atom.Pre, "pre"
					break
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inCell)
		}
	}
	walk(root, false)
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	var b strings.Builder
	if err := html.Render(&b, root); err != nil {
		return "", fmt.Errorf("render wvWare html: %w", err)
	}
	return b.String(), nil
}
