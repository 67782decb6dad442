package webhook

import "strings"

// Markdown dialects differ in how a line ends: DingTalk joins lines separated by
// a single newline, WeCom breaks them.
const (
	dingTalkBreak = "\n\n"
	weComBreak    = "\n"
)

// maxMarkdown is the most bytes of markdown DingTalk and WeCom accept in one
// message (WeCom answers 40058 "markdown.content exceed max length 4096").
const maxMarkdown = 4096

// markdown writes a document as markdown of at most limit bytes.
func markdown(d *doc, lineBreak string, limit int) string {
	parts := make([]string, len(d.paras))
	items := make([]bool, len(d.paras))
	for i, p := range d.paras {
		parts[i] = markdownPara(p)
		items[i] = p.item
	}
	note := func(shown int, cut bool) string {
		if n := d.moreNote(shown, cut); n != "" {
			return mdEscape(n)
		}
		return ""
	}
	return fit(parts, items, lineBreak, limit, note)
}

func markdownPara(p para) string {
	var b strings.Builder
	if p.head {
		b.WriteString("#### ")
	}
	for i, s := range p.spans {
		if i == 0 && !p.head && !p.item && s.href == "" && !s.bold {
			b.WriteString(escapeLineStart(mdEscape(s.text)))
			continue
		}
		switch {
		case s.href != "":
			b.WriteString("[" + mdEscape(s.text) + "](" + s.href + ")")
		case s.bold:
			b.WriteString("**" + mdEscape(s.text) + "**")
		default:
			b.WriteString(mdEscape(s.text))
		}
	}
	return b.String()
}

// mdEscape backslash-escapes the characters that open markdown markup: emphasis,
// code, links, headings, tables, strike-through and HTML tags (an image needs
// "![", which cannot survive the escaped bracket). An underscore inside a word
// (new_received.total) opens nothing and stays as it is, so cell addresses read
// cleanly. Text reaches it on one line (clean); markdownPara escapes what would
// open a list at the start of a line.
func mdEscape(s string) string {
	if !strings.ContainsAny(s, "\\`*[]<>#|~_") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<', '>', '#', '|', '~':
			b.WriteByte('\\')
		case '_':
			if i == 0 || i == len(s)-1 || !wordByte(s[i-1]) || !wordByte(s[i+1]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// escapeLineStart escapes a list marker ("- ", "+ ", "1. ", "1) ") or a setext
// underline ("=") opening a line of text.
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '=':
		return `\` + s
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// noteReserve is room kept for the closing note when a message must be cut.
const noteReserve = 160

// fit joins rendered lines with sep within limit bytes. When they do not all
// fit it keeps the lines in order up to the first that does not, and ends with
// the note for what was left out (note gets the number of item lines shown and
// whether lines were cut). Lines are never split, so markup stays whole; the
// first line (the heading) is always kept.
func fit(parts []string, items []bool, sep string, limit int, note func(shown int, cut bool) string) string {
	join := func(b *strings.Builder, s string) {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	var b strings.Builder
	shown := 0
	for i, p := range parts {
		join(&b, p)
		if items[i] {
			shown++
		}
	}
	if n := note(shown, false); n != "" {
		join(&b, n)
	}
	if b.Len() <= limit {
		return b.String()
	}
	b.Reset()
	shown = 0
	for i, p := range parts {
		if i > 0 && b.Len()+len(sep)+len(p) > limit-noteReserve {
			break
		}
		join(&b, p)
		if items[i] {
			shown++
		}
	}
	if n := note(shown, true); n != "" {
		join(&b, n)
	}
	// The heading and the note are bounded far below any limit; this only
	// guards the bound itself.
	return truncate(b.String(), limit)
}
