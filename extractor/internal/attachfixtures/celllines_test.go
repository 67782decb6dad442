package attachfixtures

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestFromCellLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want Doc
	}{
		{"no table", "一、总体情况\n正文", Doc{Blocks: []Block{{Text: "一、总体情况"}, {Text: "正文"}}}},
		{
			"rows, empty cells, lines in a cell, text around",
			"二、情况\n\t信息内容\n\t本年新\n制作数量\n\n\t\n\t　0\n\n\n三、申请",
			Doc{Blocks: []Block{
				{Text: "二、情况"},
				{Table: &Table{Rows: [][]Cell{
					{{Text: "信息内容"}, {Text: "本年新\n制作数量"}},
					{{Text: ""}, {Text: "　0"}},
				}}},
				{}, {}, // the empty lines after the last row
				{Text: "三、申请"},
			}},
		},
		{
			"a heading right after a cell ends the table; every tab starts a cell",
			"\t规章\t0\t\n 四、复议诉讼\n\t行政复议",
			Doc{Blocks: []Block{
				{Table: &Table{Rows: [][]Cell{{{Text: "规章"}, {Text: "0"}, {Text: ""}}}}},
				{Text: " 四、复议诉讼"},
				{Table: &Table{Rows: [][]Cell{{{Text: "行政复议"}}}}},
			}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FromCellLines(strings.Split(tc.text, "\n"))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestKeepRowsWhole(t *testing.T) {
	d := FromCellLines([]string{"\ta\tb", "", "\tc\td"})
	b, err := WriteDocx(d, DocxOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := KeepRowsWhole(b)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(kept), int64(len(kept)))
	if err != nil {
		t.Fatal(err)
	}
	var xml string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(rc)
			rc.Close()
			xml = string(x)
		}
	}
	if n := strings.Count(xml, "<w:tr><w:trPr><w:cantSplit/></w:trPr>"); n != 2 {
		t.Errorf("rows kept whole: %d, want 2", n)
	}
	if _, err := KeepRowsWhole([]byte("not a zip")); err == nil {
		t.Error("a body that is no zip: no error")
	}
}
