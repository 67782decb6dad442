package sampleportal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// Handler returns an http.Handler serving the whole portal: the root listing the
// sites, every site's home page, the list pages of its report column, the reports and
// notices, the files of reports published as attachments (with a
// Content-Disposition), and robots.txt (allowing everything). Everything else is 404, news links
// and navigation columns included. Responses carry a Content-Type with charset, an
// ETag (a hash of the body) and Last-Modified (the newest publication on the page);
// conditional requests get 304. GET and HEAD only.
func (p *Portal) Handler() http.Handler {
	return http.HandlerFunc(p.serve)
}

func (p *Portal) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	pg, ok := p.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := p.body(pg)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", pg.contentType())
	if pg.kind == pageAttachment {
		h.Set("Content-Disposition", pg.report.attach.contentDisposition(pg.report))
	}
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	// ServeContent answers If-None-Match and If-Modified-Since with 304, sets
	// Last-Modified, and handles HEAD and ranges.
	http.ServeContent(w, r, "", pg.mod, bytes.NewReader(body))
}
