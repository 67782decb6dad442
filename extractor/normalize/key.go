package normalize

import (
	"strings"
	"unicode/utf8"
)

// Key reduces a label to the form labels are compared in: half-width, simplified
// (Simplified, with 於/後 read as 于/后), without spaces, without its leading
// numbering ("一、", "（三）", "1.", "2、"), without trailing notes in brackets
// ("部分公开（区分处理的…）" → "部分公开") and without punctuation or quotes.
// Key("3.危及“三安全一稳定”") is "危及三安全一稳定".
func Key(label string) string {
	_, k := Split(label)
	return k
}

// Split returns the leading numbering of a label (its digits or Chinese numeral,
// e.g. "1" for "1.属于国家秘密", "三" for "（三）不予公开"; "" when there is none) and
// the label's Key.
func Split(label string) (num, key string) {
	s := NoSpace(simplifiedLabel(Width(label)))
	num, s = stripNumbering(s)
	s = stripNotes(s)
	return num, stripPunct(s)
}

// stripNumbering removes leading numbering tokens and returns the last one.
func stripNumbering(s string) (num, rest string) {
	for {
		n, r, ok := numberingPrefix(s)
		if !ok || r == "" {
			return num, s
		}
		num, s = n, r
	}
}

// numberingPrefix recognises "(一)", "(1)", "一、", "1.", "1、", "1,", "1)" at the start
// of s.
func numberingPrefix(s string) (num, rest string, ok bool) {
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end > 1 && end <= 1+3*3 && isNumeral(s[1:end]) {
			return s[1:end], s[end+1:], true
		}
		return "", s, false
	}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isNumeralRune(r) {
			break
		}
		i += n
	}
	if i == 0 || i > 9 || i >= len(s) {
		return "", s, false
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '、', '.', ',', ')', '，', '．':
		return s[:i], s[i+n:], true
	}
	return "", s, false
}

func isNumeral(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isNumeralRune(r) {
			return false
		}
	}
	return true
}

func isNumeralRune(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	return strings.ContainsRune("一二三四五六七八九十", r)
}

// stripNotes removes trailing bracketed notes, keeping a label that is all note.
func stripNotes(s string) string {
	for strings.HasSuffix(s, ")") {
		depth, open := 0, -1
		for i := len(s) - 1; i >= 0; i-- {
			switch s[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				open = i
				break
			}
		}
		if open <= 0 {
			return s
		}
		s = s[:open]
	}
	return s
}

// punct are the characters Key drops.
const punct = "()[]{}<>【】〔〕〖〗“”\"'‘’「」『』《》〈〉、,，.。:：;；!！?？·•・/\\|-—–－_~…*"

func stripPunct(s string) string {
	if strings.IndexFunc(s, isPunct) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if !isPunct(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isPunct(r rune) bool { return strings.ContainsRune(punct, r) }
