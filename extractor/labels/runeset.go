package labels

import "unicode/utf8"

// cjkLo and cjkHi bound the CJK Unified Ideographs block a RuneSet covers.
const cjkLo, cjkHi = 0x4E00, 0x9FFF

// RuneSet is a set of CJK ideographs as a bitmap: a membership test costs a shift
// and a mask, cheap enough to run over every text node of a page.
type RuneSet [(cjkHi - cjkLo + 64) / 64]uint64

// NewRuneSet returns the set of the ideographs in words.
func NewRuneSet(words ...string) *RuneSet {
	var s RuneSet
	for _, w := range words {
		for _, r := range w {
			if r >= cjkLo && r <= cjkHi {
				s[(r-cjkLo)/64] |= 1 << ((r - cjkLo) % 64)
			}
		}
	}
	return &s
}

// Has reports whether r is in the set.
func (s *RuneSet) Has(r rune) bool {
	return r >= cjkLo && r <= cjkHi && s[(r-cjkLo)/64]&(1<<((r-cjkLo)%64)) != 0
}

// Union returns the runes of s and o.
func (s *RuneSet) Union(o *RuneSet) *RuneSet {
	var u RuneSet
	for i := range u {
		u[i] = s[i] | o[i]
	}
	return &u
}

// AnyIn reports whether t holds a rune of the set. A text without any rune of the
// set cannot contain a word whose runes are all in it.
func (s *RuneSet) AnyIn(t string) bool {
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		// The block's ideographs are three-byte sequences led by 0xE4–0xE9:
		// decode those inline, anything else the slow way.
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(t) && t[i+1]&0xC0 == 0x80 && t[i+2]&0xC0 == 0x80 {
			if s.Has(rune(c&0x0F)<<12 | rune(t[i+1]&0x3F)<<6 | rune(t[i+2]&0x3F)) {
				return true
			}
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if s.Has(r) {
			return true
		}
		i += n
	}
	return false
}
