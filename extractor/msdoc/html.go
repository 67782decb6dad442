package msdoc

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fixHTML mends two things in wvWare's HTML. It sets every rowspan to 1: wvWare
// writes a cell for every row a vertically merged cell continues into (marked
// rowspan="0", which HTML reads as "to the end of the table") and gives the first
// cell the merge's rowspan — but it joins adjacent merges of one column into one
// (（三）不予公开 spanning the rows of （四）, （五） and （六）, whose labels then sit in
// rowspan="0" cells). With every cell one row high, each row holds all its cells,
// a merged label appears in its first row, and no span hides the labels below it.
// And it makes a paragraph outside tables that holds tabs a <pre>, so that its
// tabs — the separators of a table typed as text — are not collapsed into spaces.
func fixHTML(doc string) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", fmt.Errorf("parse wvWare html: %w", err)
	}
	var walk func(n *html.Node, inCell bool)
	walk = func(n *html.Node, inCell bool) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
			inCell = true
			for i, a := range n.Attr {
				if a.Key == "rowspan" {
					n.Attr[i].Val = "1"
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
	var b strings.Builder
	if err := html.Render(&b, root); err != nil {
		return "", fmt.Errorf("render wvWare html: %w", err)
	}
	return b.String(), nil
}
