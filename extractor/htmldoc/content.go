package htmldoc

import (
	"math/bits"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govreport/govreport/extractor/labels"
)

// ContentSelectors are the article containers of common portal systems (TRS,
// Hanweb/UCAP, and the templates many provinces share), tried in order.
var ContentSelectors = []string{
	".TRS_Editor", "#zoom", "#Zoom", ".article-content", "#UCAP-CONTENT", ".pages_content",
	".wzy_content", ".article_content", ".article-con", "#article", ".zw", "#zw", ".view", "#content",
}

// holds records what an element holds: section headings (bits 1–6) and statistics
// table words (bits 8–10 for sections 二, 三, 四).
type holds uint16

func headingBit(section int) holds { return 1 << section }
func statsBit(section int) holds   { return 1 << (8 + section - 2) }

// score is the number of distinct headings and statistics sections held.
func (h holds) score() int { return bits.OnesCount16(uint16(h)) }

// statsWords are words only the statistics tables print, per section.
var statsWords = []struct {
	section int
	words   []string
}{
	{labels.SectionDisclosure, []string{"第二十条", "第二十條"}},
	{labels.SectionRequests, []string{"本年新收", "申请人情况", "申請人情況"}},
	{labels.SectionReview, []string{"结果维持", "結果維持", "未经复议", "未經復議"}},
}

// statsSignature holds the last rune of every word of statsWords: a text without
// any of them holds none of the words.
var statsSignature = func() *labels.RuneSet {
	var last []string
	for _, sw := range statsWords {
		for _, w := range sw.words {
			_, n := utf8.DecodeLastRuneInString(w)
			last = append(last, w[len(w)-n:])
		}
	}
	return labels.NewRuneSet(last...)
}()

// dateWords label a page's publication date.
var dateWords = []string{"发布日期", "发布时间", "發布日期", "發布時間", "成文日期", "发文日期"}

// dateSignature holds the first rune of every date word.
var dateSignature = func() *labels.RuneSet {
	var first []string
	for _, w := range dateWords {
		_, n := utf8.DecodeRuneInString(w)
		first = append(first, w[:n])
	}
	return labels.NewRuneSet(first...)
}()

// textSignature is every rune a text node must hold to matter to walk.
var textSignature = statsSignature.Union(dateSignature).Union(labels.HeadingSignature())

// skippedRE finds class or id tokens of navigation, headers, footers and sidebars.
var skippedRE = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|footer|header|sidebar|breadcrumb|crumbs?|share|related|friendlink|links)([\s_-]|$)`)

// candidate is an element that holds report structure.
type candidate struct {
	node  *html.Node
	holds holds
	depth int
}

// scan is one pass over the document.
type scan struct {
	page  *Page
	h1    *html.Node
	body  *html.Node
	cands []candidate          // in post-order, for a deterministic choice
	holds map[*html.Node]holds // the same, by node
}

// walk visits n, records title, meta tags, the first h1 and date texts, and returns
// what n holds. Navigation, headers, footers and sidebars hold nothing.
func (s *scan) walk(n *html.Node, depth int) holds {
	switch n.Type {
	case html.TextNode:
		if !textSignature.AnyIn(n.Data) {
			return 0 // no date label, statistics word or heading in it
		}
		s.dated(n)
		return textHolds(n.Data)
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
			return 0
		case atom.Title:
			if s.page.Title == "" {
				s.page.Title = strings.TrimSpace(textOf(n))
			}
			return 0
		case atom.Meta:
			s.meta(n)
			return 0
		case atom.H1:
			if s.h1 == nil {
				s.h1 = n
			}
		case atom.Body:
			s.body = n
		}
	}
	var h holds
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h |= s.walk(c, depth+1)
	}
	if n.Type != html.ElementNode || h == 0 {
		return h
	}
	if skippedElement(n) {
		return 0
	}
	s.cands = append(s.cands, candidate{n, h, depth})
	s.holds[n] = h
	return h
}

func textHolds(t string) holds {
	if !hasHighByte(t) {
		return 0 // every word looked for is Chinese
	}
	var h holds
	if !statsSignature.AnyIn(t) {
		// No word of statsWords can be in t; only a heading might.
		if sec := labels.Heading(t); sec != labels.SectionNone {
			h |= headingBit(sec)
		}
		return h
	}
	for _, sw := range statsWords {
		for _, w := range sw.words {
			if strings.Contains(t, w) {
				h |= statsBit(sw.section)
			}
		}
	}
	if sec := labels.Heading(t); sec != labels.SectionNone {
		h |= headingBit(sec)
	}
	return h
}

// dated keeps the text around a publication-date label: the label's block, which
// holds the date even when it sits in a sibling <span>.
func (s *scan) dated(n *html.Node) {
	if !dateSignature.AnyIn(n.Data) {
		return
	}
	hit := false
	for _, w := range dateWords {
		if strings.Contains(n.Data, w) {
			hit = true
			break
		}
	}
	if !hit || len(s.page.Dated) >= 20 {
		return
	}
	p := n.Parent
	for i := 0; i < 2 && p != nil && p.Parent != nil && !isBlockish(p.DataAtom); i++ {
		p = p.Parent
	}
	if p == nil {
		return
	}
	t := textOf(p)
	if r := []rune(t); len(r) > 300 {
		t = string(r[:300])
	}
	s.page.Dated = append(s.page.Dated, t)
}

func isBlockish(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Td, atom.Li, atom.Span, atom.Section, atom.Header, atom.Footer:
		return a != atom.Span
	}
	return false
}

func (s *scan) meta(n *html.Node) {
	var name, content string
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "name":
			name = strings.TrimSpace(a.Val)
		case "content":
			content = strings.TrimSpace(a.Val)
		}
	}
	if name != "" {
		if _, dup := s.page.Meta[name]; !dup {
			s.page.Meta[name] = content
		}
	}
}

// skippedElement reports whether an element is navigation, a header, a footer or a
// sidebar.
func skippedElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Footer, atom.Aside, atom.Header:
		return true
	}
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") && skippedRE.MatchString(a.Val) {
			return true
		}
	}
	return false
}

// content chooses the article element: the site's selector, then a known portal
// container that holds report structure, then the smallest element holding the most
// structure, then body.
func (s *scan) content(root *html.Node, selector string) (*html.Node, string) {
	if selector != "" {
		if ns := Select(root, selector); len(ns) > 0 {
			return s.best(ns, true), "selector " + selector
		}
	}
	doc := goquery.NewDocumentFromNode(root)
	for i, m := range knownMatchers() {
		if n := s.best(doc.FindMatcher(m).Nodes, false); n != nil {
			return n, "selector " + ContentSelectors[i]
		}
	}
	var top *candidate
	for i := range s.cands {
		c := &s.cands[i]
		if top == nil || c.holds.score() > top.holds.score() ||
			(c.holds.score() == top.holds.score() && c.depth > top.depth) {
			top = c
		}
	}
	if top != nil {
		return top.node, "score"
	}
	if s.body != nil {
		return s.body, "body"
	}
	return root, "body"
}

// best returns the node holding the most report structure (the first on a tie);
// with anyOK it returns the first node even when none holds any.
func (s *scan) best(ns []*html.Node, anyOK bool) *html.Node {
	var top *html.Node
	topScore := 0
	for _, n := range ns {
		if sc := s.holds[n].score(); sc > topScore {
			top, topScore = n, sc
		}
	}
	if top == nil && anyOK && len(ns) > 0 {
		return ns[0]
	}
	return top
}

var (
	knownOnce sync.Once
	known     []goquery.Matcher
	cache     sync.Map // selector → goquery.Matcher
)

func knownMatchers() []goquery.Matcher {
	knownOnce.Do(func() {
		for _, sel := range ContentSelectors {
			known = append(known, cascadia.MustCompile(sel))
		}
	})
	return known
}

func compile(selector string) (goquery.Matcher, error) {
	if m, ok := cache.Load(selector); ok {
		return m.(goquery.Matcher), nil
	}
	m, err := cascadia.Compile(selector)
	if err != nil {
		return nil, err
	}
	cache.Store(selector, m)
	return m, nil
}

// textOf returns the concatenated text under n.
func textOf(n *html.Node) string {
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
	return b.String()
}

func hasHighByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}
