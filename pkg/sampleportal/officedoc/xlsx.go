package officedoc

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSXOptions vary how a workbook is laid out.
type XLSXOptions struct {
	// SheetPerTable puts each table on a sheet of its own, after the paragraphs
	// before it; otherwise everything is on one sheet.
	SheetPerTable bool
}

var (
	intRE     = regexp.MustCompile(`^-?\d+$`)
	thousands = regexp.MustCompile(`^\d{1,3}(,\d{3})+$`)
	decimalRE = regexp.MustCompile(`^-?\d+\.\d+$`)
)

// WriteXLSX renders a document as a workbook: paragraphs as rows of one cell in
// column A (a tab-separated paragraph across columns, as a pasted text is), tables
// with their merged ranges and borders, numbers stored as numbers (a number with
// thousands separators with the #,##0 format, so the sheet shows it as written).
func WriteXLSX(d Doc, o XLSXOptions) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	border, err := f.NewStyle(&excelize.Style{Border: []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	grouped, err := f.NewStyle(&excelize.Style{NumFmt: 3, Border: []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}})
	if err != nil {
		return nil, err
	}
	sheet, row, sheets := "Sheet1", 1, 1
	put := func(col, row int, text string, style int) error {
		axis, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		switch {
		case intRE.MatchString(text) && len(text) < 16:
			n, _ := strconv.ParseInt(text, 10, 64)
			err = f.SetCellInt(sheet, axis, n)
		case thousands.MatchString(text):
			n, _ := strconv.ParseInt(strings.ReplaceAll(text, ",", ""), 10, 64)
			if err = f.SetCellInt(sheet, axis, n); err == nil {
				style = grouped
			}
		case decimalRE.MatchString(text) && !strings.HasPrefix(text, "0") && len(text) < 16:
			v, _ := strconv.ParseFloat(text, 64)
			err = f.SetCellFloat(sheet, axis, v, -1, 64)
		default:
			err = f.SetCellStr(sheet, axis, text)
		}
		if err == nil && style != 0 {
			err = f.SetCellStyle(sheet, axis, axis, style)
		}
		return err
	}
	for _, bl := range d.Blocks {
		if bl.Table == nil {
			for c, part := range strings.Split(bl.Text, "\t") {
				if strings.TrimSpace(part) == "" {
					continue
				}
				if err := put(c+1, row, strings.TrimSpace(part), 0); err != nil {
					return nil, err
				}
			}
			row++
			continue
		}
		if o.SheetPerTable && row > 1 {
			sheets++
			sheet, row = fmt.Sprintf("Sheet%d", sheets), 1
			if _, err := f.NewSheet(sheet); err != nil {
				return nil, err
			}
		}
		occ := bl.Table.layout()
		var merges [][2]string
		for r, slots := range occ {
			for c, s := range slots {
				if s.cell == nil {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, row+r)
				if !s.anchor {
					// A covered cell keeps its border but no value (excelize
					// writes a merged range's cells into its top-left one).
					if err := f.SetCellStyle(sheet, axis, axis, border); err != nil {
						return nil, err
					}
					continue
				}
				if err := put(c+1, row+r, s.cell.Text, border); err != nil {
					return nil, err
				}
				if max(s.cell.ColSpan, 1) > 1 || max(s.cell.RowSpan, 1) > 1 {
					r1 := min(r+max(s.cell.RowSpan, 1)-1, len(occ)-1)
					c1 := c + max(s.cell.ColSpan, 1) - 1
					b, _ := excelize.CoordinatesToCellName(c1+1, row+r1)
					merges = append(merges, [2]string{axis, b})
				}
			}
		}
		for _, m := range merges {
			if err := f.MergeCell(sheet, m[0], m[1]); err != nil {
				return nil, err
			}
		}
		row += len(occ) + 1
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
