package warehouse

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// WriteTable prints the result as an aligned text table with a row count. Column
// widths count East Asian wide and full-width characters (汉字, full-width digits)
// as two columns; control characters in values are escaped (\n, \t) so that every
// row stays on one line. Numbers are right-aligned.
func (r *Result) WriteTable(w io.Writer) error {
	return r.WriteTableWidth(w, 0)
}

// WriteTableWidth is WriteTable with values cut to at most maxWidth display columns
// (marked with …); 0 means no limit.
func (r *Result) WriteTableWidth(w io.Writer, maxWidth int) error {
	bw := bufio.NewWriter(w)
	n := len(r.Columns)
	cells := make([][]string, len(r.Rows))
	widths := make([]int, n)
	for j, c := range r.Columns {
		widths[j] = DisplayWidth(c)
	}
	for i, row := range r.Rows {
		cells[i] = make([]string, n)
		for j, v := range row {
			v = truncateWidth(escapeControls(v), maxWidth)
			cells[i][j] = v
			widths[j] = max(widths[j], DisplayWidth(v))
		}
	}
	right := make([]bool, n)
	for j := range right {
		right[j] = j < len(r.Types) && isNumericType(r.Types[j])
	}
	line := func(vals []string, header bool) {
		for j, v := range vals {
			if j > 0 {
				bw.WriteString(" | ")
			}
			pad := strings.Repeat(" ", widths[j]-DisplayWidth(v))
			switch {
			case right[j] && !header:
				bw.WriteString(pad + v)
			case j == n-1: // no trailing blanks
				bw.WriteString(v)
			default:
				bw.WriteString(v + pad)
			}
		}
		bw.WriteByte('\n')
	}
	header := make([]string, n)
	for j, c := range r.Columns {
		header[j] = escapeControls(c)
	}
	line(header, true)
	for j := range widths {
		if j > 0 {
			bw.WriteString("-+-")
		}
		bw.WriteString(strings.Repeat("-", widths[j]))
	}
	bw.WriteByte('\n')
	for _, row := range cells {
		line(row, false)
	}
	if len(r.Rows) == 1 {
		bw.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(bw, "(%d rows)\n", len(r.Rows))
	}
	return bw.Flush()
}

// WriteTSV writes the result as ClickHouse's TabSeparatedWithNames: a header line of
// column names, then one line per row with \t, \n, \\ (and other control
// characters) escaped and NULL written as \N.
func (r *Result) WriteTSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for j, c := range r.Columns {
		if j > 0 {
			bw.WriteByte('\t')
		}
		bw.WriteString(escapeTSV(c))
	}
	bw.WriteByte('\n')
	for i, row := range r.Rows {
		for j, v := range row {
			if j > 0 {
				bw.WriteByte('\t')
			}
			if r.nulls != nil && r.nulls[i][j] {
				bw.WriteString(`\N`)
				continue
			}
			bw.WriteString(escapeTSV(v))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x00", `\0`, "\b", `\b`, "\f", `\f`)

func escapeTSV(s string) string { return tsvEscaper.Replace(s) }

// escapeControls makes control characters visible: \n, \t, \r, or \xNN.
func escapeControls(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RuneWidth is the number of terminal columns a character takes: 2 for East Asian
// wide and full-width characters, 0 for combining marks and format characters, 1
// otherwise (East Asian ambiguous characters included, as most terminals do).
func RuneWidth(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || r == 0 {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// DisplayWidth is the number of terminal columns s takes.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// truncateWidth cuts s to at most max columns, ending with … when cut; max <= 0 keeps s.
func truncateWidth(s string, max int) string {
	if max <= 0 || DisplayWidth(s) <= max {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := RuneWidth(r)
		if w+rw > max-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// isNumericType reports whether values of a ClickHouse type are numbers.
func isNumericType(t string) bool {
	t = unwrapType(t)
	for _, p := range []string{"Int", "UInt", "Float", "Decimal"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
