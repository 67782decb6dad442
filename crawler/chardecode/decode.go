package chardecode

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Source says where the charset a page was read in came from.
type Source string

// Sources of a charset.
const (
	SourceBOM     Source = "bom"     // a byte-order mark
	SourceHeader  Source = "header"  // the Content-Type header
	SourceMeta    Source = "meta"    // a <meta> tag
	SourceSniffed Source = "sniffed" // the bytes alone (no usable declaration)
)

// Result is a decoded page.
type Result struct {
	// Text is the page as UTF-8.
	Text string
	// Charset is the canonical name of the charset it was read in: "utf-8",
	// "gb18030", "big5", "utf-16le", "windows-1252", …
	Charset string
	// Source says where Charset came from.
	Source Source
	// Header and Meta are the charsets declared in the Content-Type header and in a
	// <meta> tag, as written ("" when none).
	Header, Meta string
	// Bad counts the characters that did not decode (replaced by U+FFFD).
	Bad int
}

// Lied reports whether a declared charset was overruled by the bytes.
func (r Result) Lied() bool {
	for _, d := range []string{r.Header, r.Meta} {
		if c := canonical(d); c != "" && c != r.Charset {
			return true
		}
	}
	return false
}

// sampleSize is how much of a page the candidates are scored on.
const sampleSize = 32 << 10

// metaScan is how far into a page <meta> declarations are looked for (further than
// the 1 KiB browsers scan: portal templates put long comments first).
const metaScan = 8 << 10

// Decode converts a page to UTF-8. contentType is the Content-Type header as served
// ("" when none). It never fails: bytes that decode in no candidate are replaced
// and counted in Result.Bad.
func Decode(body []byte, contentType string) Result {
	res := Result{Header: headerCharset(contentType)}
	if name, n := bom(body); name != "" {
		text, bad := decodeWith(lookup(name), body[n:])
		res.Text, res.Charset, res.Source, res.Bad = text, name, SourceBOM, bad
		return res
	}
	// The common case first: UTF-8 declared in the header and valid.
	if canonical(res.Header) == "utf-8" && utf8.Valid(body) {
		res.Text, res.Charset, res.Source = string(body), "utf-8", SourceHeader
		return res
	}
	res.Meta = MetaCharset(body)
	if isASCII(body) {
		res.Text, res.Charset, res.Source = string(body), "utf-8", SourceSniffed
		for _, d := range []struct {
			name string
			src  Source
		}{{res.Header, SourceHeader}, {res.Meta, SourceMeta}} {
			if c := canonical(d.name); c != "" && asciiCompatible(c) {
				res.Charset, res.Source = c, d.src
				break
			}
		}
		return res
	}

	// Fast paths: a declaration the bytes agree with.
	for _, d := range []struct {
		name string
		src  Source
	}{{res.Header, SourceHeader}, {res.Meta, SourceMeta}} {
		c := canonical(d.name)
		switch {
		case c == "":
			continue
		case c == "utf-8":
			if utf8.Valid(body) {
				res.Text, res.Charset, res.Source = string(body), c, d.src
				return res
			}
		case c == "gb18030" || c == "big5":
			if !utf8.Valid(body) {
				if text, bad := decodeWith(lookup(c), body); bad == 0 {
					res.Text, res.Charset, res.Source = text, c, d.src
					return res
				}
			}
		case c == "windows-1252":
			// A template default on Chinese portals: not evidence.
			continue
		default:
			if text, bad := decodeWith(lookup(c), body); bad == 0 && !utf8.Valid(body) {
				res.Text, res.Charset, res.Source = text, c, d.src
				return res
			}
		}
	}
	if res.Header == "" && res.Meta == "" && utf8.Valid(body) {
		res.Text, res.Charset, res.Source = string(body), "utf-8", SourceSniffed
		return res
	}

	// Score every candidate on a sample and decode the winner in full.
	best, bestScore := "", 0.0
	var bestSrc Source
	seen := map[string]bool{}
	try := func(c string, src Source, bonus float64) {
		if c == "" || seen[c] || lookup(c) == nil {
			return
		}
		seen[c] = true
		s := score(c, sample(body)) + bonus
		if best == "" || s > bestScore {
			best, bestScore, bestSrc = c, s, src
		}
	}
	if c := canonical(res.Header); c != "windows-1252" {
		try(c, SourceHeader, 0.02)
	}
	if c := canonical(res.Meta); c != "windows-1252" {
		try(c, SourceMeta, 0.01)
	}
	try("utf-8", SourceSniffed, 0)
	try("gb18030", SourceSniffed, 0)
	try("big5", SourceSniffed, 0)
	if bestScore < 0 {
		// Nothing Chinese fits; fall back to the Latin default a template declared.
		for _, d := range []struct {
			name string
			src  Source
		}{{res.Header, SourceHeader}, {res.Meta, SourceMeta}} {
			if canonical(d.name) == "windows-1252" {
				best, bestSrc = "windows-1252", d.src
				break
			}
		}
	}
	res.Charset, res.Source = best, bestSrc
	res.Text, res.Bad = decodeWith(lookup(best), body)
	return res
}

// score rates how well a sample reads in charset c: the share of common Chinese
// characters among the CJK characters, minus a heavy penalty per undecodable
// character. Higher is better; below zero means the bytes do not fit.
func score(c string, sample []byte) float64 {
	text, bad := decodeWith(lookup(c), sample)
	var runes, cjk, hits int
	for _, r := range text {
		runes++
		if isCJK(r) {
			cjk++
			if common[r] {
				hits++
			}
		}
	}
	if runes == 0 {
		return 0
	}
	s := -20 * float64(bad) / float64(runes)
	if cjk > 0 {
		s += float64(hits) / float64(cjk)
	}
	if bad > 2+runes/500 {
		s -= 1
	}
	return s
}

// sample returns the first sampleSize bytes of body, cut at a line break so that a
// double-byte character is not split.
func sample(body []byte) []byte {
	if len(body) <= sampleSize {
		return body
	}
	s := body[:sampleSize]
	if i := bytes.LastIndexByte(s, '\n'); i > sampleSize/2 {
		s = s[:i+1]
	}
	return s
}

// decodeWith decodes b and counts the characters the decoder had to replace.
func decodeWith(enc encoding.Encoding, b []byte) (string, int) {
	if enc == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), 0
	}
	if enc == unicode.UTF8 {
		s := strings.ToValidUTF8(string(b), "\uFFFD")
		return s, strings.Count(s, "\uFFFD") - bytes.Count(b, []byte("\uFFFD"))
	}
	before := bytes.Count(b, []byte("\uFFFD"))
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), len(b)
	}
	return string(out), max(0, bytes.Count(out, []byte("\uFFFD"))-before)
}

// canonical maps a charset label to the name Decode reports: GB2312 and GBK (and
// their aliases) become gb18030, their superset; unknown labels become "".
func canonical(label string) string {
	label = strings.ToLower(strings.TrimSpace(strings.Trim(label, `"' `)))
	if label == "" {
		return ""
	}
	switch label {
	case "gb18030", "gbk", "gb2312", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58", "gb-18030":
		// "gb-18030" is what Colly's detector says.
		return "gb18030"
	case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5":
		return "big5"
	}
	e, name := charset.Lookup(label)
	if e == nil {
		return ""
	}
	if e == encoding.Nop || e == unicode.UTF8 {
		return "utf-8"
	}
	return strings.ToLower(name)
}

// lookup returns the decoder of a canonical name.
func lookup(name string) encoding.Encoding {
	switch name {
	case "utf-8":
		return unicode.UTF8
	case "gb18030":
		return simplifiedchinese.GB18030
	case "big5":
		return traditionalchinese.Big5
	case "":
		return nil
	}
	e, _ := charset.Lookup(name)
	return e
}

// asciiCompatible reports whether ASCII bytes mean the same in charset c.
func asciiCompatible(c string) bool { return !strings.HasPrefix(c, "utf-16") }

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// A malformed header still often names its charset.
		if m := headerRE.FindStringSubmatch(contentType); m != nil {
			return m[1]
		}
		return ""
	}
	return params["charset"]
}

var headerRE = regexp.MustCompile(`(?i)charset\s*=\s*["']?([a-z0-9_\-:.]+)`)

// MetaCharset returns the charset a <meta> tag in the first 8 KiB of a page
// declares (<meta charset=…> or an http-equiv Content-Type), as written, or "".
func MetaCharset(body []byte) string {
	head := body
	if len(head) > metaScan {
		head = head[:metaScan]
	}
	lower := bytes.ToLower(head)
	for off := 0; ; {
		i := bytes.Index(lower[off:], []byte("<meta"))
		if i < 0 {
			return ""
		}
		start := off + i + len("<meta")
		end := bytes.IndexByte(lower[start:], '>')
		if end < 0 {
			end = len(lower) - start
		}
		tag := lower[start : start+end]
		if j := bytes.Index(tag, []byte("charset")); j >= 0 {
			if v := charsetValue(head[start+j+len("charset") : start+end]); v != "" {
				return v
			}
		}
		off = start + end
	}
}

// charsetValue reads the value after "charset" in a tag: optional spaces, '=',
// optional quotes and spaces, then the label.
func charsetValue(b []byte) string {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) || b[i] != '=' {
		return ""
	}
	i++
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '"' || b[i] == '\'') {
		i++
	}
	j := i
	for j < len(b) && isLabelByte(b[j]) {
		j++
	}
	return string(b[i:j])
}

func isLabelByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.'
}

func bom(b []byte) (string, int) {
	switch {
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		return "utf-8", 3
	case bytes.HasPrefix(b, []byte("\xFE\xFF")):
		return "utf-16be", 2
	case bytes.HasPrefix(b, []byte("\xFF\xFE")):
		return "utf-16le", 2
	}
	return "", 0
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
