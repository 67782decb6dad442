package msdoc

import (
	"strings"
	"testing"
)

// TestFixHTML: every rowspan becomes 1, so that a label wvWare put in a
// rowspan="0" cell under a merge that swallowed it is a cell of its own row; tabbed
// paragraphs outside tables become <pre>.
func TestFixHTML(t *testing.T) {
	in := `<table>` +
		`<tr><td rowspan="3">（三）不予公开</td><td>1.属于国家秘密</td><td>2</td></tr>` +
		`<tr><td rowspan="0"></td><td>2.其他</td><td>0</td></tr>` +
		`<tr><td rowspan="0">（四）无法提供</td><td>1.本机关不掌握</td><td>9</td></tr>` +
		`</table><p>行政复议	0	1</p><table><tr><td><p>a	b</p></td></tr></table>`
	out, err := fixHTML(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<td rowspan="1">（三）不予公开</td>`,
		`<td rowspan="1"></td><td>2.其他</td>`,
		`<td rowspan="1">（四）无法提供</td>`,
		"<pre>行政复议\t0\t1</pre>",
		"<p>a\tb</p>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `rowspan="0"`) || strings.Contains(out, `rowspan="3"`) {
		t.Errorf("a rowspan other than 1 is left:\n%s", out)
	}
}
