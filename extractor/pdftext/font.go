package pdftext

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// glyph is one character code of a shown string, decoded.
type glyph struct {
	text  string  // its Unicode text ("" when the font does not say)
	width float64 // advance in text space units (glyph width / 1000)
	space bool    // the single-byte code 32, which word spacing applies to
}

// font decodes the strings of one PDF font.
type font struct {
	kind     string // "type0", "simple"
	cmap     string // a Type0 font's encoding CMap name
	toUni    map[uint32]string
	codeLens []codeRange // from the ToUnicode codespace ranges
	enc      *[256]rune  // a simple font's encoding
	diffs    map[byte]rune
	first    int
	widths   []float64
	missing  float64
	cidW     map[uint32]float64
	dw       float64
	unmapped int // codes decoded without any mapping
}

// codeRange is a codespace range: codes of n bytes between lo and hi.
type codeRange struct {
	n      int
	lo, hi uint32
}

// newFont reads a font dictionary.
func newFont(v pdf.Value, budget func(int)) *font {
	f := &font{toUni: map[uint32]string{}, missing: 0}
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.kind = "type0"
		f.cmap = v.Key("Encoding").Name()
		desc := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = cidWidths(desc.Key("W"), budget)
	default:
		f.kind = "simple"
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		n := min(ws.Len(), 256)
		budget(n)
		for i := 0; i < n; i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
		f.missing = v.Key("FontDescriptor").Key("MissingWidth").Float64()
		// Every base encoding (WinAnsi, MacRoman, Standard) agrees with WinAnsi on
		// the digits and Latin letters a report's numbers use.
		f.enc = &winAnsi
		if enc := v.Key("Encoding"); enc.Kind() == pdf.Dict {
			f.diffs = differences(enc.Key("Differences"), budget)
		}
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		f.readCMap(tu, budget)
	}
	return f
}

// cidWidths reads a CID font's W array: "c [w1 w2 …]" and "cfirst clast w".
func cidWidths(w pdf.Value, budget func(int)) map[uint32]float64 {
	out := map[uint32]float64{}
	n := w.Len()
	budget(n)
	for i := 0; i < n; {
		c := w.Index(i)
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			m := next.Len()
			budget(m)
			for k := 0; k < m; k++ {
				out[uint32(c.Int64())+uint32(k)] = next.Index(k).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi, wd := c.Int64(), next.Int64(), w.Index(i+2).Float64()
		if hi-lo <= 65536 && hi >= lo {
			budget(int(hi - lo))
			for k := lo; k <= hi; k++ {
				out[uint32(k)] = wd
			}
		}
		i += 3
	}
	return out
}

// differences reads an encoding's Differences array.
func differences(d pdf.Value, budget func(int)) map[byte]rune {
	out := map[byte]rune{}
	n := d.Len()
	budget(n)
	code := 0
	for i := 0; i < n; i++ {
		x := d.Index(i)
		switch x.Kind() {
		case pdf.Integer:
			code = int(x.Int64())
		case pdf.Name:
			if code >= 0 && code < 256 {
				if r := glyphRune(x.Name()); r != 0 {
					out[byte(code)] = r
				}
			}
			code++
		}
	}
	return out
}

// readCMap reads a ToUnicode CMap (at most maxCMap bytes of it): codespace ranges,
// bfchar and bfrange.
func (f *font) readCMap(s pdf.Value, budget func(int)) {
	rc := s.Reader()
	defer rc.Close()
	data, _ := io.ReadAll(io.LimitReader(rc, maxCMap))
	toks := cmapTokens(data)
	budget(len(toks))
	readTokens(f, toks)
}

// maxMapped bounds the codes one ToUnicode CMap may map (ranges expand).
const maxMapped = 1 << 18

// readTokens reads the codespace ranges and mappings of a CMap's tokens, up to
// maxMapped codes.
func readTokens(f *font, toks []cmapToken) {
	for i := 0; i < len(toks) && len(f.toUni) < maxMapped; i++ {
		var end string
		switch toks[i].s {
		case "begincodespacerange":
			end = "endcodespacerange"
		case "beginbfchar":
			end = "endbfchar"
		case "beginbfrange":
			end = "endbfrange"
		default:
			continue
		}
		j := i + 1
		for j < len(toks) && toks[j].s != end {
			j++
		}
		args := toks[i+1 : j]
		switch end {
		case "endcodespacerange":
			for k := 0; k+1 < len(args); k += 2 {
				lo, hi := args[k].hex, args[k+1].hex
				if len(lo) >= 1 && len(lo) <= 4 && len(lo) == len(hi) {
					f.codeLens = append(f.codeLens, codeRange{n: len(lo), lo: code(lo), hi: code(hi)})
				}
			}
		case "endbfchar":
			for k := 0; k+1 < len(args); k += 2 {
				f.toUni[code(args[k].hex)] = utf16BE(args[k+1].hex)
			}
		case "endbfrange":
			for k := 0; k+2 < len(args); {
				lo, hi := code(args[k].hex), code(args[k+1].hex)
				if args[k+2].s == "[" {
					m := k + 3
					for n := uint32(0); m < len(args) && args[m].s != "]"; m, n = m+1, n+1 {
						if lo+n <= hi {
							f.toUni[lo+n] = utf16BE(args[m].hex)
						}
					}
					k = m + 1
					continue
				}
				if hi >= lo && hi-lo <= 65535 && len(f.toUni)+int(hi-lo) <= maxMapped {
					if base := []rune(utf16BE(args[k+2].hex)); len(base) > 0 {
						for n := uint32(0); n <= hi-lo; n++ {
							r := append([]rune{}, base...)
							r[len(r)-1] += rune(n)
							f.toUni[lo+n] = string(r)
						}
					}
				}
				k += 3
			}
		}
		i = j
	}
}

// maxCMap bounds the bytes of one ToUnicode CMap read.
const maxCMap = 4 << 20

// cmapToken is a token of a CMap: a hex string (hex holds its bytes), a bracket,
// or a word.
type cmapToken struct {
	s   string
	hex string
}

// cmapTokens splits a CMap into the tokens readCMap needs: <hex> strings, [ and ],
// and words; (literal) strings are kept as hex tokens of their bytes.
func cmapTokens(b []byte) []cmapToken {
	var out []cmapToken
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			i += 2
		case c == '<':
			j := i + 1
			var digits []byte
			for j < len(b) && b[j] != '>' {
				if h := unhex(b[j]); h >= 0 {
					digits = append(digits, byte(h))
				}
				j++
			}
			if len(digits)%2 == 1 {
				digits = append(digits, 0)
			}
			raw := make([]byte, len(digits)/2)
			for k := range raw {
				raw[k] = digits[2*k]<<4 | digits[2*k+1]
			}
			out = append(out, cmapToken{s: "<>", hex: string(raw)})
			i = j + 1
		case c == '[' || c == ']':
			out = append(out, cmapToken{s: string(c)})
			i++
		case c == '(':
			j, depth := i+1, 1
			var raw []byte
			for j < len(b) && depth > 0 {
				switch b[j] {
				case '(':
					depth++
				case ')':
					depth--
				case '\\':
					j++
				}
				if depth > 0 && j < len(b) {
					raw = append(raw, b[j])
				}
				j++
			}
			out = append(out, cmapToken{s: "()", hex: string(raw)})
			i = j
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			i++
		default:
			j := i
			for j < len(b) && !strings.ContainsRune(" \n\r\t\f\x00<>[]()/%", rune(b[j])) {
				j++
			}
			if j == i {
				j++ // a lone '/'
			}
			out = append(out, cmapToken{s: string(b[i:j])})
			i = j
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func popAll(stk *pdf.Stack) []pdf.Value {
	n := stk.Len()
	out := make([]pdf.Value, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = stk.Pop()
	}
	return out
}

// code reads a big-endian character code.
func code(s string) uint32 {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

// utf16BE decodes a CMap destination string (UTF-16BE).
func utf16BE(s string) string {
	if len(s)%2 == 1 {
		s += "\x00"
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}

// decode splits a shown string into glyphs.
func (f *font) decode(raw string) []glyph {
	var out []glyph
	for i := 0; i < len(raw); {
		n := f.codeLen(raw[i:])
		if i+n > len(raw) {
			n = len(raw) - i
		}
		c := code(raw[i : i+n])
		g := glyph{space: n == 1 && c == 32}
		if t, ok := f.toUni[c]; ok {
			g.text = t
		} else {
			g.text = f.fallback(raw[i:i+n], c)
		}
		if g.text == "" {
			f.unmapped++
		}
		g.width = f.width(c) / 1000
		out = append(out, g)
		i += n
	}
	return out
}

// codeLen is the byte length of the code at the start of s.
func (f *font) codeLen(s string) int {
	for _, cr := range f.codeLens {
		if cr.n <= len(s) {
			if c := code(s[:cr.n]); c >= cr.lo && c <= cr.hi {
				return cr.n
			}
		}
	}
	if f.kind == "type0" {
		if strings.HasPrefix(f.cmap, "GBK") || strings.HasPrefix(f.cmap, "GB-") || strings.HasPrefix(f.cmap, "GBpc") {
			if s[0] < 0x80 {
				return 1
			}
		}
		return 2
	}
	return 1
}

// fallback decodes a code no ToUnicode entry maps: by the font's encoding.
func (f *font) fallback(raw string, c uint32) string {
	if f.kind == "type0" {
		switch {
		case strings.Contains(f.cmap, "UCS2") || strings.Contains(f.cmap, "UTF16"):
			return utf16BE(raw)
		case strings.HasPrefix(f.cmap, "GB"):
			b, err := simplifiedchinese.GBK.NewDecoder().Bytes([]byte(raw))
			if err == nil && utf8.Valid(b) {
				return string(b)
			}
		}
		return ""
	}
	if c > 255 {
		return ""
	}
	if r, ok := f.diffs[byte(c)]; ok {
		return string(r)
	}
	if r := f.enc[c]; r != 0 {
		return string(r)
	}
	return ""
}

// width is a code's width in glyph space (1/1000 of the font size).
func (f *font) width(c uint32) float64 {
	if f.kind == "type0" {
		if w, ok := f.cidW[c]; ok {
			return w
		}
		return f.dw
	}
	if i := int(c) - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	if f.missing > 0 {
		return f.missing
	}
	return 500
}

// glyphRune maps a glyph name to its character: uniXXXX, uXXXX, and the names of
// printable ASCII.
func glyphRune(name string) rune {
	if r, ok := asciiNames[name]; ok {
		return r
	}
	for _, p := range []string{"uni", "u"} {
		if strings.HasPrefix(name, p) && len(name) >= len(p)+4 {
			if v, err := strconv.ParseUint(name[len(p):len(p)+4], 16, 32); err == nil {
				return rune(v)
			}
		}
	}
	if len(name) == 1 && name[0] > ' ' && name[0] < 0x7f {
		return rune(name[0])
	}
	return 0
}

var asciiNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '\'', "parenleft": '(', "parenright": ')',
	"asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "minus": '-', "period": '.', "slash": '/',
	"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7',
	"eight": '8', "nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=', "greater": '>',
	"question": '?', "at": '@', "bracketleft": '[', "backslash": '\\', "bracketright": ']',
	"underscore": '_', "braceleft": '{', "bar": '|', "braceright": '}', "asciitilde": '~',
}

// winAnsi is WinAnsiEncoding: Latin-1 with the Windows-1252 additions.
var winAnsi = func() [256]rune {
	var t [256]rune
	for i := 32; i < 256; i++ {
		t[i] = rune(i)
	}
	for i := 127; i < 160; i++ {
		t[i] = 0
	}
	extra := map[int]rune{0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—'}
	for k, v := range extra {
		t[k] = v
	}
	return t
}()
