package extractor

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
)

// Input is one document to parse and what is known about it. Only Body is
// required: `govreport parse FILE` passes a file:// URL and nothing else.
type Input struct {
	// URL is the document's URL, or a file:// URL for a local file.
	URL string
	// Body is the document as fetched or read (any charset).
	Body []byte
	// ContentType is the Content-Type header, "" when unknown.
	ContentType string
	// Site is the portal the document was found on.
	Site rawdoc.Site
	// ContentSelector is the site's CSS selector of the article body, if configured.
	ContentSelector string
	// FetchedAt is when the document was fetched (zero for local files).
	FetchedAt time.Time
	// SHA256 is the hex SHA-256 of Body; computed when empty.
	SHA256 string
	// LinkText is the text of the link that led to the document (a title fallback).
	LinkText string
	// Kind is rawdoc.KindPage or rawdoc.KindAttachment, when known.
	Kind string
	// ExtractedAt stamps the record; zero means now (UTC).
	ExtractedAt time.Time
}

// FromDocument builds the input for a raw document whose body is loaded.
func FromDocument(d *rawdoc.Document) Input {
	return Input{
		URL: d.URL, Body: d.Body, ContentType: d.ContentType, Site: d.Site, FetchedAt: d.FetchedAt,
		SHA256: d.SHA256, LinkText: d.LinkText, Kind: d.Kind,
	}
}

// FileURL returns the file:// URL of a local path (made absolute).
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("file url %s: %w", path, err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// docID returns the document identity: rawdoc.DocID of the canonical URL, or of the
// file:// URL itself for local files (which have no host to canonicalise).
func docID(rawURL string) string {
	if strings.HasPrefix(strings.ToLower(rawURL), "file:") {
		return rawdoc.DocID(rawURL)
	}
	canon, err := rawdoc.CanonicalURL(rawURL)
	if err != nil {
		return rawdoc.DocID(rawURL)
	}
	return rawdoc.DocID(canon)
}
