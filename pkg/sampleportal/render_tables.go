package sampleportal

import (
	"bytes"
	"strconv"
)

// writeTable writes a statistics table as a site's editor does: span attributes
// first, then the site's styling attributes; the text escaped, empty text as
// &nbsp; on some sites, wrapped in <p><span> on others.
func writeTable(b *bytes.Buffer, st style, t *stable) {
	if st.tdAttrs {
		b.WriteString("<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse:collapse;border:none\">\n<tbody>\n")
	} else {
		b.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\">\n<tbody>\n")
	}
	for _, row := range t.rows {
		b.WriteString("<tr>")
		for _, c := range row {
			writeTD(b, st, c)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

// writeTD writes one cell in a site's style.
func writeTD(b *bytes.Buffer, st style, c tcell) {
	b.WriteString("<td")
	b.WriteString(spanAttrs(c))
	if st.tdAttrs {
		if c.label {
			b.WriteString(" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\"")
		} else {
			b.WriteString(" width=\"62\" valign=\"center\" style=\"text-align:center\"")
		}
	}
	b.WriteString(">")
	content := esc(c.text)
	if c.text == "" && st.nbsp {
		content = "&nbsp;"
	}
	if st.wrap {
		content = "<p style=\"text-align:center\"><span style=\"font-size:12pt\">" + content + "</span></p>"
	}
	b.WriteString(content)
	b.WriteString("</td>")
}

// spanAttrs returns a cell's colspan and rowspan attributes (those over 1), each
// with a leading space.
func spanAttrs(c tcell) string {
	s := ""
	if c.colspan > 1 {
		s += " colspan=\"" + strconv.Itoa(c.colspan) + "\""
	}
	if c.rowspan > 1 {
		s += " rowspan=\"" + strconv.Itoa(c.rowspan) + "\""
	}
	return s
}
