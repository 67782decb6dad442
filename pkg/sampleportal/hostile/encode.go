package hostile

import (
	"bytes"
	"fmt"
	"regexp"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

var (
	metaCharsetRE = regexp.MustCompile(`(?i)<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*/?>\s*`)
	metaEquivRE   = regexp.MustCompile(`(?i)<meta[^>]+http-equiv\s*=\s*["']?content-type["']?[^>]*>\s*`)
	headRE        = regexp.MustCompile(`(?i)<head[^>]*>`)
)

// reencode re-encodes a UTF-8 HTML page in charset and declares it as d. It
// returns the body and the Content-Type header to send.
func reencode(page []byte, charset string, d Declaration) ([]byte, string, error) {
	page = metaCharsetRE.ReplaceAll(page, nil)
	page = metaEquivRE.ReplaceAll(page, nil)
	switch d {
	case DeclareMeta, DeclareLieWithMeta:
		page = insertAfterHead(page, `<meta http-equiv="Content-Type" content="text/html; charset=`+charset+`">`+"\n")
	case DeclareBoth:
		page = insertAfterHead(page, `<meta charset="`+charset+`">`+"\n")
	}
	out, err := encodeAs(page, charset)
	if err != nil {
		return nil, "", err
	}
	ctype := "text/html"
	switch d {
	case DeclareHeader, DeclareBoth:
		ctype += "; charset=" + charset
	case DeclareLie, DeclareLieWithMeta:
		ctype += "; charset=utf-8"
	}
	return out, ctype, nil
}

// reencodeText re-encodes a UTF-8 plain-text document; only the header can declare
// its charset.
func reencodeText(text []byte, charset string, d Declaration) ([]byte, string, error) {
	out, err := encodeAs(text, charset)
	if err != nil {
		return nil, "", err
	}
	ctype := "text/plain"
	switch d {
	case DeclareHeader, DeclareBoth:
		ctype += "; charset=" + charset
	case DeclareLie, DeclareLieWithMeta:
		ctype += "; charset=utf-8"
	}
	return out, ctype, nil
}

// encodeAs encodes UTF-8 text in charset.
func encodeAs(b []byte, charset string) ([]byte, error) {
	var enc *encoding.Encoder
	switch charset {
	case GBK, GB2312:
		enc = simplifiedchinese.GBK.NewEncoder()
	case GB18030:
		enc = simplifiedchinese.GB18030.NewEncoder()
	case Big5:
		enc = encoding.ReplaceUnsupported(traditionalchinese.Big5.NewEncoder())
	default:
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	out, err := enc.Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("encode as %s: %w", charset, err)
	}
	return out, nil
}

func insertAfterHead(html []byte, s string) []byte {
	loc := headRE.FindIndex(html)
	if loc == nil {
		return append([]byte(s), html...)
	}
	out := make([]byte, 0, len(html)+len(s))
	out = append(out, html[:loc[1]]...)
	out = append(out, '\n')
	out = append(out, s...)
	return append(out, html[loc[1]:]...)
}

func insertBefore(html []byte, marker, s string) []byte {
	i := bytes.LastIndex(bytes.ToLower(html), []byte(marker))
	if i < 0 {
		return append(html, s...)
	}
	out := make([]byte, 0, len(html)+len(s))
	out = append(out, html[:i]...)
	out = append(out, s...)
	return append(out, html[i:]...)
}
