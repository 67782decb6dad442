package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/safezip"
)

// MainPart is the document part a .docx holds its body in.
const MainPart = "word/document.xml"

// Read reads the document body of an open OOXML container.
func Read(ctx context.Context, a *safezip.Archive, lim bounds.Limits) (*grid.Document, error) {
	body, err := a.ReadFile(MainPart)
	if err != nil {
		if errors.Is(err, safezip.ErrNotFound) {
			return nil, bounds.Unsupport(nil, "no %s in the container: not a Word document", MainPart)
		}
		return nil, err
	}
	return ReadXML(ctx, body, lim)
}

// ReadXML reads a word/document.xml part.
func ReadXML(ctx context.Context, body []byte, lim bounds.Limits) (*grid.Document, error) {
	p := &parser{
		dec:    xml.NewDecoder(bytes.NewReader(body)),
		tokens: bounds.NewCounter(ctx, int64(lim.XMLTokens), fmt.Sprintf("%s holds more XML tokens than the limit of", MainPart)),
		lim:    lim,
		doc:    &grid.Document{},
	}
	p.dec.Strict = false
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.doc, nil
}

// parser walks the token stream. Block content (paragraphs and tables) is handled
// by a stack of containers: the body, or a table cell being filled.
type parser struct {
	dec    *xml.Decoder
	tokens *bounds.Counter
	lim    bounds.Limits
	depth  int
	doc    *grid.Document
	tables int // tables numbered so far (nested included), for Src
}

// next returns the next token, counting it and tracking depth.
func (p *parser) next() (xml.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		return nil, bounds.Unsupport(err, "%s is not well-formed XML", MainPart)
	}
	if err := p.tokens.Add(1); err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		p.depth++
		if p.depth > p.lim.XMLDepth {
			return nil, bounds.Exceed(int64(p.lim.XMLDepth), "%s nests elements deeper than the limit of", MainPart)
		}
	case xml.EndElement:
		p.depth--
	}
	return tok, nil
}

// skip consumes the rest of the element just started.
func (p *parser) skip() error {
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			d++
		case xml.EndElement:
			d--
		}
	}
	return nil
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return bounds.Unsupport(io.ErrUnexpectedEOF, "%s ends inside an element", MainPart)
	}
	return err
}

// run reads the whole part: block content anywhere (w:body, content controls).
func (p *parser) run() error {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "p":
			text, err := p.paragraph()
			if err != nil {
				return err
			}
			p.addLines(text)
		case "tbl":
			grids, lines, err := p.table()
			if err != nil {
				return err
			}
			p.doc.Grids = append(p.doc.Grids, grids...)
			p.doc.Lines = append(p.doc.Lines, lines...)
		case "sectPr", "headerReference", "footerReference":
			if err := p.skip(); err != nil {
				return err
			}
		}
	}
}

// addLines appends a paragraph's text as lines (its breaks split it). An empty
// paragraph is an empty line (text readers take it as a row separator), and the
// tabs of a line are kept where they are: a leading tab starts a cell in a table
// pasted as text, a line of one tab is an empty cell.
func (p *parser) addLines(text string) {
	for _, l := range strings.Split(text, "\n") {
		parts := strings.Split(l, "\t")
		for i, s := range parts {
			parts[i] = strings.Join(strings.Fields(s), " ")
		}
		p.doc.Lines = append(p.doc.Lines, strings.Join(parts, "\t"))
	}
}

// cleanLine collapses the white space of each tab-separated part of a line.
func cleanLine(l string) string {
	parts := strings.Split(l, "\t")
	for i, s := range parts {
		parts[i] = strings.Join(strings.Fields(s), " ")
	}
	return strings.Trim(strings.Join(parts, "\t"), "\t")
}

// paragraph reads a w:p already started and returns its text: runs joined, w:tab as
// a tab, w:br/w:cr as a line break.
func (p *parser) paragraph() (string, error) {
	var b strings.Builder
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return "", unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				s, err := p.text()
				if err != nil {
					return "", err
				}
				b.WriteString(s)
				continue // text consumed its end element
			case "tab", "ptab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			case "noBreakHyphen":
				b.WriteByte('-')
			case "del", "delText", "instrText", "Fallback", "pPr", "rPr", "footnoteReference", "commentReference":
				if err := p.skip(); err != nil {
					return "", err
				}
				continue
			}
			d++
		case xml.EndElement:
			d--
		}
	}
	return b.String(), nil
}

// text reads the character data of a w:t already started, through its end.
func (p *parser) text() (string, error) {
	var b strings.Builder
	for d := 1; d > 0; {
		tok, err := p.next()
		if err != nil {
			return "", unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			d++
		case xml.EndElement:
			d--
		}
	}
	return b.String(), nil
}
