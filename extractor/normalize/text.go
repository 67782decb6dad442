package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Width maps full-width ASCII (U+FF01–U+FF5E) to ASCII, the ideographic space and
// the other typographic spaces to an ASCII space, and drops zero-width characters.
// It returns s itself when nothing changes.
func Width(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		case r == 0x3000 || r == 0x00A0 || (r >= 0x2000 && r <= 0x200A) || r == 0x202F || r == 0x205F:
			b.WriteByte(' ')
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF || r == 0x2060:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether Width would leave s unchanged.
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 || r == 0x00A0 || (r >= 0x2000 && r <= 0x200D) ||
			r == 0x202F || r == 0x205F || r == 0xFEFF || r == 0x2060 {
			return false
		}
		i += n
	}
	return true
}

// Space replaces every run of white space (NBSP, the ideographic space and
// zero-width characters included) with one ASCII space and trims both ends.
func Space(s string) string {
	var b strings.Builder
	space, started := false, false
	for _, r := range s {
		if isSpace(r) {
			space = started
			continue
		}
		if r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF || r == 0x2060 {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		started = true
	}
	return b.String()
}

// NoSpace removes every white-space character (NBSP and the ideographic space
// included) and zero-width characters.
func NoSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF || r == 0x2060 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x00A0 || r == 0x3000
}
