package hostile

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// Charsets a page can be re-encoded in.
const (
	GBK     = "gbk"
	GB2312  = "gb2312" // GBK bytes declared as gb2312, as portals do
	GB18030 = "gb18030"
	Big5    = "big5" // lossy for characters Big5 lacks
)

// Declaration says where a re-encoded page declares its charset.
type Declaration int

// Declarations.
const (
	// DeclareHeader puts the charset in the Content-Type header only.
	DeclareHeader Declaration = iota
	// DeclareMeta puts it in a <meta http-equiv> tag only.
	DeclareMeta
	// DeclareBoth puts it in the header and a <meta charset> tag.
	DeclareBoth
	// DeclareNone declares nothing: only the bytes tell.
	DeclareNone
	// DeclareLie sends "charset=utf-8" in the header over the re-encoded bytes, with
	// no <meta> tag.
	DeclareLie
	// DeclareLieWithMeta sends "charset=utf-8" in the header and the true charset
	// in a <meta> tag.
	DeclareLieWithMeta
)

// Rule is a behaviour for the requests it matches. Every matching rule applies; a
// later rule's non-zero fields override an earlier one's.
type Rule struct {
	// Host matches the request's Host (host:port); empty matches every host.
	Host string
	// Path matches the URL path: a path.Match pattern when it contains *, ? or [,
	// otherwise a prefix. Empty matches every path.
	Path string

	// Charset re-encodes HTML pages and plain-text documents (GBK, GB2312,
	// GB18030, Big5); Declare says where the charset is declared (a text document
	// can only declare it in the header).
	Charset string
	Declare Declaration
	// Delay holds the response headers back.
	Delay time.Duration
	// Drop closes the connection without answering.
	Drop bool
	// Status answers with this status (500, 503, 429, …) and, when set, a
	// Retry-After header.
	Status     int
	RetryAfter string
	// Times limits Drop and Status to the first Times requests of each path (0:
	// every request).
	Times int
	// RedirectLoop answers every matching request with a redirect that leads back
	// to it.
	RedirectLoop bool
	// Calendar links matching list pages (index.html, index_N.html) to an endless
	// calendar of list pages in the same directory (index_YYYYMMDD.html), every day
	// linking to its neighbours and its month.
	Calendar bool
	// Attachments (file extensions such as ".pdf") are linked from matching HTML
	// report pages (pages whose <title> names an annual report) and served.
	Attachments []string
}

// Config configures the wrapper.
type Config struct {
	// Robots are robots.txt bodies by host (host:port); the key "*" serves every
	// other host. A host without one gets the wrapped handler's robots.txt.
	Robots map[string]string
	// Rules apply in order.
	Rules []Rule
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	for i, r := range c.Rules {
		switch r.Charset {
		case "", GBK, GB2312, GB18030, Big5:
		default:
			return fmt.Errorf("hostile: rule %d: unknown charset %q", i, r.Charset)
		}
		if r.Declare < DeclareHeader || r.Declare > DeclareLieWithMeta {
			return fmt.Errorf("hostile: rule %d: unknown declaration %d", i, r.Declare)
		}
		if r.Status != 0 && (r.Status < 300 || r.Status > 599) {
			return fmt.Errorf("hostile: rule %d: status %d is not an error status", i, r.Status)
		}
		if r.Times < 0 || r.Delay < 0 {
			return fmt.Errorf("hostile: rule %d: times and delay must not be negative", i)
		}
		if strings.ContainsAny(r.Path, "*?[") {
			if _, err := path.Match(r.Path, "/"); err != nil {
				return fmt.Errorf("hostile: rule %d: path pattern %q: %w", i, r.Path, err)
			}
		}
		for _, ext := range r.Attachments {
			if _, ok := attachmentTypes[ext]; !ok {
				return fmt.Errorf("hostile: rule %d: unknown attachment type %q", i, ext)
			}
		}
	}
	return nil
}

// matches reports whether the rule applies to a request of host for p.
func (r *Rule) matches(host, p string) bool {
	if r.Host != "" && !strings.EqualFold(r.Host, host) {
		return false
	}
	switch {
	case r.Path == "":
		return true
	case strings.ContainsAny(r.Path, "*?["):
		ok, _ := path.Match(r.Path, p)
		return ok
	}
	return strings.HasPrefix(p, r.Path)
}

// merge folds the rules matching a request into one.
func (c *Config) merge(host, p string) (Rule, []int) {
	var out Rule
	var idx []int
	for i := range c.Rules {
		r := &c.Rules[i]
		if !r.matches(host, p) {
			continue
		}
		idx = append(idx, i)
		if r.Charset != "" {
			out.Charset, out.Declare = r.Charset, r.Declare
		}
		if r.Delay != 0 {
			out.Delay = r.Delay
		}
		if r.Drop {
			out.Drop, out.Times = true, r.Times
		}
		if r.Status != 0 {
			out.Status, out.RetryAfter, out.Times = r.Status, r.RetryAfter, r.Times
		}
		out.RedirectLoop = out.RedirectLoop || r.RedirectLoop
		out.Calendar = out.Calendar || r.Calendar
		if len(r.Attachments) > 0 {
			out.Attachments = r.Attachments
		}
	}
	return out, idx
}
