package sampleportal

import (
	"bytes"
	"time"
)

// pageKind says what a served path shows.
type pageKind int

const (
	pageRoot       pageKind = iota // the portal root listing the sites
	pageRobots                     // robots.txt
	pageHome                       // a site's home page
	pageList                       // a list page of a site's report column
	pageReport                     // an annual report
	pageNotice                     // a notice (not a report)
	pageAttachment                 // the file of a report published as an attachment
)

// page is one served path. Its body is rendered on request and depends on nothing
// but the portal, so it is the same on every request and for every base URL.
type page struct {
	kind   pageKind
	site   *site
	n      int // list page index
	report *reportDoc
	notice *noticeDoc
	mod    time.Time // Last-Modified
}

// contentType returns the page's Content-Type.
func (pg *page) contentType() string {
	if pg.kind == pageAttachment {
		return pg.report.attach.contentType()
	}
	if pg.kind == pageRobots || (pg.kind == pageReport && pg.report.layout.text) {
		return "text/plain; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// body returns what is served at a path: the page, or an attachment's file.
func (p *Portal) body(pg *page) ([]byte, error) {
	if pg.kind != pageAttachment {
		return p.render(pg), nil
	}
	var b bytes.Buffer
	if err := renderAttachment(&b, pg.site, pg.report); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// render returns the body of a page (not an attachment's file, which body writes).
func (p *Portal) render(pg *page) []byte {
	var b bytes.Buffer
	switch pg.kind {
	case pageRoot:
		p.renderRoot(&b)
	case pageRobots:
		b.WriteString("User-agent: *\nAllow: /\n")
	case pageHome:
		p.renderHome(&b, pg.site)
	case pageList:
		p.renderList(&b, pg.site, pg.n)
	case pageReport:
		renderReport(&b, pg.site, pg.report)
	case pageNotice:
		renderNotice(&b, pg.site, pg.notice)
	}
	return b.Bytes()
}
