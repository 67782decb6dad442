package normalize

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-creed/sat"
)

// Simplified converts the traditional characters of s to their simplified forms,
// with the dictionary of github.com/go-creed/sat (Apache-2.0, pure Go, its 3,145
// character pairs compiled into the binary). It returns s itself, without
// allocating, when s holds no traditional character — the common case, so callers
// may apply it to every label.
//
// The conversion is character by character (no phrase dictionary): enough for the
// report's vocabulary, whose traditional forms map one to one. The dictionary maps
// no character of GB 2312 (the simplified character set), so simplified text is
// never changed (覆, 案, 出, 干 stay as they are); simplified_test.go holds that.
//
// Why this library: github.com/longbridgeapp/opencc and github.com/liuzl/gocc both
// link github.com/liuzl/cedar-go, which is GPL-2.0, and gocc reads its dictionaries
// from files at run time; sat has neither problem. Its own entry point takes a
// mutex per character and its lazy initialisation is not safe for concurrent first
// use, so the dictionary is read out of it once (see table) and looked up here.
func Simplified(s string) string {
	t := table()
	i := t.firstTraditional(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		b.WriteRune(t.simplified(r))
	}
	return b.String()
}

// HasTraditional reports whether s holds a character that Simplified converts.
func HasTraditional(s string) bool { return table().firstTraditional(s) >= 0 }

// labelVariants are the two traditional forms the dictionary leaves alone because
// GB 2312 also holds them (於 as a surname, 後 as a variant), but which in the
// report's labels only ever stand for 于 and 后 (屬於國家秘密, 補正後, 復議後起訴).
// Key applies them; Simplified, which must never change simplified text, does not.
const labelVariants = "於後"

// simplifiedLabel is Simplified for labels: it also reads labelVariants.
func simplifiedLabel(s string) string {
	s = Simplified(s)
	if !strings.ContainsAny(s, labelVariants) {
		return s
	}
	return strings.NewReplacer("於", "于", "後", "后").Replace(s)
}

// Every character the dictionary converts lies in these CJK blocks (Extension A
// and the Unified Ideographs); TestDictionaryRange checks it over all of Unicode.
const (
	firstCJK = 0x3400
	lastCJK  = 0x9FFF
)

// t2s is the dictionary as a direct lookup: to[r-firstCJK] is the simplified form
// of r, 0 when r is not converted.
type t2s struct {
	to []rune
}

// table returns the dictionary, read out of the library on first use (≈1 ms).
var table = sync.OnceValue(func() *t2s {
	src := make([]rune, 0, lastCJK-firstCJK+1)
	for r := rune(firstCJK); r <= lastCJK; r++ {
		src = append(src, r)
	}
	dst := []rune(sat.DefaultDict().Read(string(src)))
	t := &t2s{to: make([]rune, len(src))}
	if len(dst) != len(src) {
		// The library changes characters one for one; anything else would be a
		// new version's behaviour this code does not know, so convert nothing.
		return t
	}
	for i, r := range src {
		if dst[i] != r {
			t.to[i] = dst[i]
		}
	}
	return t
})

// simplified returns the simplified form of r (r itself when it is not converted).
func (t *t2s) simplified(r rune) rune {
	if r >= firstCJK && r <= lastCJK {
		if v := t.to[r-firstCJK]; v != 0 {
			return v
		}
	}
	return r
}

// firstTraditional returns the byte index of the first converted character of s,
// or -1. ASCII and characters outside the CJK blocks are skipped cheaply.
func (t *t2s) firstTraditional(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= firstCJK && r <= lastCJK && t.to[r-firstCJK] != 0 {
			return i
		}
		i += n
	}
	return -1
}
