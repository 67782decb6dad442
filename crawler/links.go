package crawler

import (
	"net/url"
	"strings"

	"github.com/govreport/govreport/crawler/chardecode"
	"github.com/govreport/govreport/crawler/urlstate"
	"golang.org/x/net/html"
)

// maxLinks bounds the links kept from one page (in the crawl state too).
const maxLinks = 2000

// anchor is a link on a page.
type anchor struct {
	href, title, text string
}

// pageLinks is what discovery needs of a page: its links and its scripts' text.
type pageLinks struct {
	anchors []anchor
	scripts []string
}

// scanHTML decodes a page (whatever its charset, see chardecode) and collects its
// links and inline scripts with the HTML tokenizer — no tree is built, and
// scripts are read as text, never executed.
func scanHTML(body []byte, ctype string) pageLinks {
	text := chardecode.Decode(body, ctype).Text
	z := html.NewTokenizer(strings.NewReader(text))
	var out pageLinks
	var cur *anchor
	var buf strings.Builder
	inScript := false
	closeAnchor := func() {
		if cur != nil {
			cur.text = strings.Join(strings.Fields(buf.String()), " ")
			out.anchors = append(out.anchors, *cur)
			cur = nil
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			closeAnchor()
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "a":
				closeAnchor()
				a := anchor{}
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "href":
						a.href = string(v)
					case "title":
						a.title = strings.TrimSpace(string(v))
					}
				}
				if a.href != "" {
					cur = &a
					buf.Reset()
				}
			case "script":
				inScript = true
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "a":
				closeAnchor()
			case "script":
				inScript = false
			}
		case html.TextToken:
			switch {
			case inScript:
				out.scripts = append(out.scripts, string(z.Text()))
			case cur != nil:
				buf.Write(z.Text())
			}
		}
	}
}

// linkText is a link's title attribute, or its text.
func (a *anchor) linkText() string {
	if a.title != "" {
		return a.title
	}
	return a.text
}

// discoverList finds, on a list page, the column's other list pages (links and
// pagination scripts), other report columns, report pages and report attachments.
func (sc *siteCrawl) discoverList(pl pageLinks, base *url.URL) []urlstate.Link {
	var out []urlstate.Link
	seen := map[string]bool{}
	add := func(u *url.URL, kind, text string) {
		s := u.String()
		if len(out) < maxLinks && !seen[s] {
			seen[s] = true
			out = append(out, urlstate.Link{URL: s, Kind: kind, Text: text})
		}
	}
	for i := range pl.anchors {
		a := &pl.anchors[i]
		u, ok := sc.resolve(base, a.href)
		if !ok {
			continue
		}
		text := a.linkText()
		switch {
		case IsListPage(base, u):
			add(u, pageList, text)
		case IsAttachment(u):
			if IsReportTitle(text) {
				add(u, pageAttachment, text)
			}
		case IsColumn(u) && IsReportColumnTitle(text):
			add(u, pageList, text)
		case sc.pattern != nil && !sc.pattern.MatchString(u.String()):
		case IsReportTitle(text), IsArticle(u) && IsTruncatedReportTitle(text):
			add(u, pageReport, text)
		}
	}
	for _, s := range pl.scripts {
		for _, u := range PaginationPages(base, s, sc.maxPages) {
			if sc.policy.allowed(u) {
				add(u, pageList, "")
			}
		}
	}
	return out
}

// discoverAttachments finds the files a report page links to.
func (sc *siteCrawl) discoverAttachments(pl pageLinks, base *url.URL) []urlstate.Link {
	var out []urlstate.Link
	seen := map[string]bool{}
	for i := range pl.anchors {
		a := &pl.anchors[i]
		u, ok := sc.resolve(base, a.href)
		if ok && IsAttachment(u) && !seen[u.String()] && len(out) < maxLinks {
			seen[u.String()] = true
			out = append(out, urlstate.Link{URL: u.String(), Kind: pageAttachment, Text: a.linkText()})
		}
	}
	return out
}

// resolve makes href absolute against base and says whether it may be followed.
func (sc *siteCrawl) resolve(base *url.URL, href string) (*url.URL, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return nil, false
	}
	u, err := base.Parse(href)
	if err != nil {
		return nil, false
	}
	u.Fragment = ""
	return u, sc.policy.allowed(u)
}
