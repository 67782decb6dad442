package docx

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/grid"
)

func doc(body string) []byte {
	return []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`)
}

func cells(g grid.Grid) string {
	var rows []string
	for _, r := range g.Rows {
		var cs []string
		for _, c := range r.Cells {
			cs = append(cs, fmt.Sprintf("%s@%d+%d", c.Text, c.Col, c.Span))
		}
		rows = append(rows, strings.Join(cs, " "))
	}
	return strings.Join(rows, " | ")
}

func tc(props, text string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
}

func TestReadXML(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		lines []string
		grids []string
	}{
		{
			name:  "runs, tabs and breaks",
			body:  `<w:p><w:r><w:t>一、总</w:t></w:r><w:proofErr/><w:r><w:t xml:space="preserve">体情况</w:t></w:r></w:p><w:p><w:r><w:tab/><w:t>0</w:t><w:br/><w:t>1</w:t></w:r></w:p><w:p/>`,
			lines: []string{"一、总体情况", "\t0", "1", ""},
		},
		{
			name:  "deleted text and field codes are left out",
			body:  `<w:p><w:r><w:t>本年</w:t></w:r><w:del><w:r><w:delText>旧</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>新收</w:t></w:r></w:p>`,
			lines: []string{"本年新收"},
		},
		{
			name: "gridSpan and vMerge",
			body: `<w:tbl><w:tr>` + tc(`<w:gridSpan w:val="2"/>`, "申请人") + tc(`<w:vMerge w:val="restart"/>`, "总计") + `</w:tr>` +
				`<w:tr>` + tc(``, "自然人") + tc(``, "商业企业") + tc(`<w:vMerge/>`, "") + `</w:tr>` +
				`<w:tr>` + tc(``, "5") + tc(``, "0") + tc(``, "5") + `</w:tr></w:tbl>`,
			lines: []string{"申请人\t总计", "自然人\t商业企业", "5\t0\t5"},
			grids: []string{"申请人@0+2 总计@2+1 | 自然人@0+1 商业企业@1+1 总计@2+1 | 5@0+1 0@1+1 5@2+1"},
		},
		{
			name: "gridBefore, and a nested table after its table",
			body: `<w:tbl><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>` + tc(``, "a") + `</w:tr>` +
				`<w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p><w:tbl><w:tr>` + tc(``, "n1") + tc(``, "n2") + `</w:tr></w:tbl></w:tc>` + tc(``, "b") + `</w:tr></w:tbl>`,
			lines: []string{"a", "x n1 n2\tb"},
			grids: []string{"a@1+1 | x n1 n2@0+1 b@1+1", "n1@0+1 n2@1+1"},
		},
		{
			name:  "a hostile span is clamped",
			body:  `<w:tbl><w:tr>` + tc(`<w:gridSpan w:val="999999"/>`, "x") + tc(``, "y") + `</w:tr></w:tbl>`,
			lines: []string{"x\ty"},
			grids: []string{"x@0+64 y@64+1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadXML(context.Background(), doc(tt.body), bounds.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, l := range d.Lines {
				lines = append(lines, l)
			}
			if strings.Join(lines, "\n") != strings.Join(tt.lines, "\n") {
				t.Errorf("lines %q, want %q", lines, tt.lines)
			}
			var grids []string
			for _, g := range d.Grids {
				grids = append(grids, cells(g))
			}
			if strings.Join(grids, "\n") != strings.Join(tt.grids, "\n") {
				t.Errorf("grids\n%s\nwant\n%s", strings.Join(grids, "\n"), strings.Join(tt.grids, "\n"))
			}
		})
	}
}

func TestReadXMLLimits(t *testing.T) {
	lim := bounds.DefaultLimits()
	lim.XMLTokens = 50
	_, err := ReadXML(context.Background(), doc(strings.Repeat("<w:p><w:r><w:t>x</w:t></w:r></w:p>", 20)), lim)
	if !bounds.IsExceeded(err) {
		t.Fatalf("got %v, want the token limit", err)
	}
}

func BenchmarkReadXML(b *testing.B) {
	var body strings.Builder
	body.WriteString("<w:tbl>")
	for r := range 40 {
		body.WriteString("<w:tr>")
		for c := range 10 {
			body.WriteString(tc("", fmt.Sprint(r*c)))
		}
		body.WriteString("</w:tr>")
	}
	body.WriteString("</w:tbl>")
	data := doc(body.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadXML(context.Background(), data, bounds.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
