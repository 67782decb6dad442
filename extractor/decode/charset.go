package decode

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// ErrBadEncoding is returned (wrapped) for bytes that decode cleanly in no
// supported encoding.
var ErrBadEncoding = errors.New("bad encoding")

// maxBadRatio is the share of undecodable characters a body may have and still be
// read (a stray byte in a long page).
const maxBadRatio = 0.002

// Text is a decoded body.
type Text struct {
	// Text is the body as UTF-8.
	Text string
	// Charset is the charset it was decoded from ("utf-8", "gb18030", …).
	Charset string
	// Declared is the charset the headers or the document declared, "" if none.
	Declared string
}

// Decode converts a body to UTF-8. html enables <meta> charset declarations.
func Decode(body []byte, contentType string, html bool) (Text, error) {
	declared := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		declared = params["charset"]
	}
	if declared == "" {
		if name := bomCharset(body); name != "" {
			declared = name
		}
	}
	if declared == "" && html {
		declared = metaCharset(body)
	}
	enc, name := lookup(declared)
	switch {
	case name == "utf-8" || enc == nil:
		return decodeUnicodeOrGB(body, declared)
	case name == "windows-1252":
		// Latin-1 declared on a Chinese page is a template default nobody changed:
		// read it as undeclared, and as Latin-1 only when nothing else fits.
		if t, err := decodeUnicodeOrGB(body, declared); err == nil {
			return t, nil
		}
		t, bad := decodeWith(enc, body)
		return accept(t, bad, name, declared)
	case name == "gbk" || name == "gb18030" || name == "gb2312":
		t, bad := decodeWith(simplifiedchinese.GB18030, body)
		if bad > 0 && utf8.Valid(body) {
			// A GBK declaration over UTF-8 bytes.
			return Text{Text: string(body), Charset: "utf-8", Declared: declared}, nil
		}
		return accept(t, bad, "gb18030", declared)
	case strings.HasPrefix(name, "utf-16"):
		t, bad := decodeWith(enc, body)
		return accept(t, bad, name, declared)
	default:
		t, bad := decodeWith(enc, body)
		if utf8.Valid(body) && hasHighBit(body) {
			return Text{Text: string(body), Charset: "utf-8", Declared: declared}, nil
		}
		return accept(t, bad, name, declared)
	}
}

// decodeUnicodeOrGB decodes a body declared UTF-8, or undeclared: UTF-8 when it is
// valid, else GB18030 when that is clean.
func decodeUnicodeOrGB(body []byte, declared string) (Text, error) {
	b := bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(b) {
		return Text{Text: string(b), Charset: "utf-8", Declared: declared}, nil
	}
	gb, gbBad := decodeWith(simplifiedchinese.GB18030, body)
	u := strings.ToValidUTF8(string(b), "\uFFFD")
	uBad := strings.Count(u, "\uFFFD")
	if gbBad < uBad {
		return accept(gb, gbBad, "gb18030", declared)
	}
	return accept(u, uBad, "utf-8", declared)
}

func accept(text string, bad int, name, declared string) (Text, error) {
	if n := utf8.RuneCountInString(text); bad > 0 && float64(bad) > maxBadRatio*float64(n)+1 {
		return Text{}, fmt.Errorf("%w: %d of %d characters undecodable as %s (declared %q)", ErrBadEncoding, bad, n, name, declared)
	}
	return Text{Text: text, Charset: name, Declared: declared}, nil
}

// decodeWith decodes body and counts the replacement characters the decoder had to
// insert.
func decodeWith(enc encoding.Encoding, body []byte) (string, int) {
	before := bytes.Count(body, []byte("\xEF\xBF\xBD"))
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", len(body)
	}
	return string(out), max(0, bytes.Count(out, []byte("\xEF\xBF\xBD"))-before)
}

// lookup finds an encoding by its WHATWG label; nil when unknown.
func lookup(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	e, name := charset.Lookup(strings.TrimSpace(strings.Trim(label, `"'`)))
	if e == nil {
		return nil, ""
	}
	if e == encoding.Nop || e == unicode.UTF8 {
		return e, "utf-8"
	}
	return e, strings.ToLower(name)
}

func bomCharset(body []byte) string {
	switch {
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		return "utf-8"
	case bytes.HasPrefix(body, []byte("\xFE\xFF")):
		return "utf-16be"
	case bytes.HasPrefix(body, []byte("\xFF\xFE")):
		return "utf-16le"
	}
	return ""
}

// metaRE finds a charset declared in a <meta> tag (charset= or http-equiv content).
var metaRE = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)`)

// metaCharset looks for a <meta> declaration in the first 4 KiB (further than the
// 1 KiB browsers scan: portal templates put long comments first).
func metaCharset(body []byte) string {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := metaRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
