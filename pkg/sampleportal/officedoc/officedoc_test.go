package officedoc

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sample is a title, a tabbed line and a table with a colspan and a rowspan:
//
//	| A (2 cols)  | B (2 rows) |
//	| 1,234 | 5  |            |
func sample() Doc {
	return Doc{Blocks: []Block{
		{Text: "标题 & 年度报告"},
		{Text: "项目\t数量"},
		{Table: &Table{Rows: [][]Cell{
			{{Text: "A", ColSpan: 2}, {Text: "B", RowSpan: 2}},
			{{Text: "1,234"}, {Text: "5"}},
		}}},
	}}
}

func TestWriteDocx(t *testing.T) {
	b, err := WriteDocx(sample(), DocxOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := WriteDocx(sample(), DocxOptions{Seed: 3})
	if !bytes.Equal(b, again) {
		t.Error("the same document and options gave different bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(x)
		}
	}
	for _, want := range []string{`<w:gridSpan w:val="2"/>`, `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`, "<w:tab/>", "&amp;"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
}

func TestWriteXLSX(t *testing.T) {
	for _, perTable := range []bool{false, true} {
		b, err := WriteXLSX(sample(), XLSXOptions{SheetPerTable: perTable})
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		last := sheets[len(sheets)-1]
		if want := map[bool]int{false: 1, true: 2}[perTable]; len(sheets) != want {
			t.Errorf("SheetPerTable %v: %d sheets, want %d", perTable, len(sheets), want)
		}
		if v, _ := f.GetCellValue("Sheet1", "B2"); v != "数量" {
			t.Errorf("tabbed line: B2 = %q, want 数量", v)
		}
		merged, _ := f.GetMergeCells(last)
		var ranges []string
		for _, m := range merged {
			ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis()+"="+m.GetCellValue())
		}
		row := map[bool]int{false: 3, true: 1}[perTable]
		want := []string{cell(1, row) + ":" + cell(2, row) + "=A", cell(3, row) + ":" + cell(3, row+1) + "=B"}
		if strings.Join(ranges, " ") != strings.Join(want, " ") {
			t.Errorf("SheetPerTable %v: merged %v, want %v", perTable, ranges, want)
		}
		// 1,234 is stored as the number 1234 shown with a thousands separator.
		raw, _ := f.GetCellValue(last, cell(1, row+1), excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(last, cell(1, row+1))
		if raw != "1234" || shown != "1,234" {
			t.Errorf("SheetPerTable %v: 1,234 stored as %q shown as %q", perTable, raw, shown)
		}
		f.Close()
	}
}

func cell(c, r int) string { s, _ := excelize.CoordinatesToCellName(c, r); return s }
