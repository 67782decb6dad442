package htmltable

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func firstTable(t *testing.T, src string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode && n.DataAtom == atom.Table {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// render shows each row as "text@src|…".
func render(t *testing.T, src string) []string {
	g := Grid(firstTable(t, src), 2)
	var out []string
	for _, r := range g.Rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Text+"@"+c.Src)
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func TestGridSpans(t *testing.T) {
	got := render(t, `<table>
<tr><td rowspan="3" colspan="2">勾稽</td><td colspan="3">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="2">法人或其他组织</td></tr>
<tr><td>商业<br>企业</td><td>其他</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>2</td><td>3</td></tr>
<tr><td>（二）部分公开</td><td>4</td><td>5</td><td>6</td></tr>
</table>`)
	want := []string{
		"勾稽@t2:r1:c1|申请人情况@t2:r1:c3",
		"勾稽@t2:r1:c1|自然人@t2:r2:c3|法人或其他组织@t2:r2:c4",
		"勾稽@t2:r1:c1|自然人@t2:r2:c3|商业 企业@t2:r3:c4|其他@t2:r3:c5",
		"三、本年度办理结果@t2:r4:c1|（一）予以公开@t2:r4:c2|1@t2:r4:c3|2@t2:r4:c4|3@t2:r4:c5",
		"三、本年度办理结果@t2:r4:c1|（二）部分公开@t2:r5:c2|4@t2:r5:c3|5@t2:r5:c4|6@t2:r5:c5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCellText(t *testing.T) {
	tests := map[string]string{
		`<td><p><span>1</span><span>2</span></p></td>`:                           "12",
		"<td>\n  <p><span>2</span>\n  <span>3</span></p>\n</td>":                 "23",
		`<td><p>&nbsp;</p></td>`:                                                 "",
		`<td><p>0</p><p>0</p></td>`:                                              "0 0",
		`<td><font face="宋体">本年新<br/>制作数量</font></td>`:                           "本年新 制作数量",
		`<td>外<table><tr><td>内</td></tr></table></td>`:                           "外",
		`<td><span style="x">结果</span> <span>维持</span><script>x=1</script></td>`: "结果 维持",
	}
	for src, want := range tests {
		g := Grid(firstTable(t, "<table><tr>"+src+"</tr></table>"), 1)
		if got := g.Rows[0].Cells[0].Text; got != want {
			t.Errorf("%s → %q, want %q", src, got, want)
		}
	}
}

func TestHostileSpans(t *testing.T) {
	g := Grid(firstTable(t, `<table><tr><td colspan="100000" rowspan="100000">x</td><td rowspan="0">y</td><td colspan="-3">z</td></tr><tr><td>a</td></tr></table>`), 1)
	if len(g.Rows) != 2 {
		t.Fatalf("rows %d", len(g.Rows))
	}
	for _, r := range g.Rows {
		for _, c := range r.Cells {
			if c.Span > maxColspan || c.Col >= maxColumns {
				t.Fatalf("cell %+v beyond limits", c)
			}
		}
	}
}

func FuzzGrid(f *testing.F) {
	f.Add(`<table><tr><td rowspan=2 colspan=3>a</td></tr><tr><td>1</td></tr></table>`)
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			return
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.DataAtom == atom.Table {
				_ = Grid(n, 1)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	})
}
