package labels

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/extractor/normalize"
)

// Labels are compared in normalize.Key form after their pinyin glosses are
// dropped: a document flattened from Word keeps the phonetic guide a writer put
// over a character as a bracketed syllable inside the label ("規(guī)章",
// "行政許（xǔ）可"), which would otherwise make the label a word no template has.

// labelKey returns the Key of a label without its pinyin glosses.
func labelKey(label string) string { return normalize.Key(dropGlosses(label)) }

// labelSplit returns the numbering and the Key of a label without its pinyin
// glosses.
func labelSplit(label string) (num, k string) { return normalize.Split(dropGlosses(label)) }

// maxGlossRunes bounds a gloss: a syllable or two of pinyin.
const maxGlossRunes = 14

// dropGlosses removes every bracketed run of Latin letters (tone marks included)
// and spaces from s: "规(guī)章" → "规章". Brackets holding anything else stay.
func dropGlosses(s string) string {
	if strings.IndexByte(s, '(') < 0 && !strings.Contains(s, "（") {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] is written (or dropped)
	for i := 0; ; {
		open, w := openBracket(s[i:])
		if open < 0 {
			break
		}
		start := i + open
		inner := s[start+w:]
		end, cw := closeBracket(inner)
		if end > 0 && isGloss(inner[:end]) {
			b.WriteString(s[last:start])
			last = start + w + end + cw
			i = last
			continue
		}
		i = start + w
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// openBracket finds the first "(" or "（" in s: its offset and width, -1 if none.
func openBracket(s string) (int, int) {
	i := strings.IndexByte(s, '(')
	j := strings.Index(s, "（")
	switch {
	case i < 0 && j < 0:
		return -1, 0
	case j < 0 || (i >= 0 && i < j):
		return i, 1
	}
	return j, len("（")
}

// closeBracket finds the first ")" or "）" in s: its offset and width, -1 if none.
func closeBracket(s string) (int, int) {
	i := strings.IndexByte(s, ')')
	j := strings.Index(s, "）")
	switch {
	case i < 0 && j < 0:
		return -1, 0
	case j < 0 || (i >= 0 && i < j):
		return i, 1
	}
	return j, len("）")
}

// isGloss reports whether s is pinyin: Latin letters (ā, ǎ, ü …) and spaces, with at
// least one letter.
func isGloss(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxGlossRunes {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case r == ' ':
		case r < 0x250 && unicode.IsLetter(r):
			letters++
		default:
			return false
		}
	}
	return letters > 0
}
