package rawdoc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Site describes the portal a document was found on, as configured.
type Site struct {
	// ID is the site's configured identifier (ASCII, used in subjects).
	ID string `json:"id"`
	// Name is the site's human name.
	Name     string `json:"name,omitempty"`
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	County   string `json:"county,omitempty"`
	// Code is the 6-digit division code when known.
	Code string `json:"code,omitempty"`
}

// Document is one fetched document.
type Document struct {
	// DocID is DocID(CanonicalURL(URL)).
	DocID string `json:"doc_id"`
	// URL is the URL as fetched (after redirects).
	URL string `json:"url"`
	// Referer is the page that linked to it.
	Referer string `json:"referer,omitempty"`
	// LinkText is the text of the link that led to it (often the report title).
	LinkText string `json:"link_text,omitempty"`
	// Site is the portal it was found on.
	Site Site `json:"site"`
	// Kind is "page" for HTML pages and "attachment" for linked files.
	Kind string `json:"kind"`
	// FetchedAt is when the fetch completed.
	FetchedAt time.Time `json:"fetched_at"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// ContentType is the Content-Type header as served.
	ContentType string `json:"content_type,omitempty"`
	// ETag and LastModified are the validators for conditional requests.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// SHA256 is the hex SHA-256 of the body as served (before any decoding).
	SHA256 string `json:"sha256"`
	// Size is the body's length in bytes.
	Size int64 `json:"size"`
	// Body is the body as served, when it fits in a message.
	Body []byte `json:"body,omitempty"`
	// BodyRef names the object-store entry holding the body when it did not fit.
	BodyRef string `json:"body_ref,omitempty"`
}

// Kinds of documents.
const (
	KindPage       = "page"
	KindAttachment = "attachment"
)

// ErrNoBody is returned by Validate for a document with neither a body nor a reference.
var ErrNoBody = errors.New("raw document has no body and no body reference")

// Validate checks that a decoded document is usable.
func (d *Document) Validate() error {
	if d.DocID == "" || d.URL == "" {
		return fmt.Errorf("raw document without doc_id or url")
	}
	if len(d.Body) == 0 && d.BodyRef == "" {
		return ErrNoBody
	}
	if len(d.Body) > 0 && d.SHA256 != "" && Hash(d.Body) != d.SHA256 {
		return fmt.Errorf("raw document %s: body does not match its sha256", d.DocID)
	}
	return nil
}

// Marshal encodes the document as JSON.
func (d *Document) Marshal() ([]byte, error) { return json.Marshal(d) }

// Unmarshal decodes and validates a document.
func Unmarshal(b []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("decode raw document: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// New builds a document for a fetched body, filling its identities.
func New(rawURL string, body []byte, fetchedAt time.Time) (*Document, error) {
	canon, err := CanonicalURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &Document{
		DocID:     DocID(canon),
		URL:       rawURL,
		Kind:      KindPage,
		FetchedAt: fetchedAt,
		Status:    200,
		SHA256:    Hash(body),
		Size:      int64(len(body)),
		Body:      body,
	}, nil
}

// Hash returns the hex SHA-256 of b.
func Hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// DocID returns the document identity for a canonical URL: the first 16 bytes of its
// SHA-256, in hex.
func DocID(canonicalURL string) string {
	s := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(s[:16])
}

// trackingParams are query parameters that do not change the document.
var trackingParams = map[string]bool{
	"utm_source": true, "utm_medium": true, "utm_campaign": true, "utm_term": true, "utm_content": true,
	"spm": true, "from": true, "share": true, "timestamp": true, "_t": true, "t": true,
}

// CanonicalURL normalises a URL for identity: scheme and host lower-cased, default
// ports dropped, fragment dropped, tracking parameters removed, remaining query
// parameters sorted, an empty path made "/".
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("canonical url %q: not absolute", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			vs := q[k]
			sort.Strings(vs)
			for _, v := range vs {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = b.String()
	}
	u.ForceQuery = false
	return u.String(), nil
}
