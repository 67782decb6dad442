package sheet

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/safezip"
)

// ReadXLSX reads an .xlsx held in body whose container a was opened from. Every
// entry is first inflated under the zip limits (so excelize never sees a bomb),
// then the sheets are read row by row under the cell limit.
func ReadXLSX(ctx context.Context, body []byte, a *safezip.Archive, lim bounds.Limits) (*grid.Document, error) {
	for _, name := range a.Names() {
		if _, err := a.ReadFile(name); err != nil {
			return nil, err
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{
		UnzipSizeLimit:    lim.ZipTotalBytes,
		UnzipXMLSizeLimit: lim.ZipEntryBytes,
	})
	if err != nil {
		return nil, bounds.Unsupport(err, "not a readable workbook")
	}
	defer f.Close()
	cells := bounds.NewCounter(ctx, int64(lim.SheetCells), "workbook holds more cells than the limit of")
	doc := &grid.Document{}
	if t := f.GetSheetList(); len(t) == 0 {
		return nil, bounds.Unsupport(nil, "workbook has no sheets")
	}
	for i, name := range f.GetSheetList() {
		t, err := readSheet(f, name, cells)
		if err != nil {
			return nil, err
		}
		doc.Grids = append(doc.Grids, t.toGrids(fmt.Sprintf("s%d", i+1))...)
		doc.Lines = append(doc.Lines, t.lines()...)
	}
	if p, err := f.GetDocProps(); err == nil && p != nil && (strings.Contains(p.Title, "报告") || strings.Contains(p.Title, "報告")) {
		doc.Title = p.Title
	}
	return doc, nil
}

// readSheet reads one sheet's rows (as the sheet shows them) and merged ranges.
func readSheet(f *excelize.File, name string, cells *bounds.Counter) (*table, error) {
	t := &table{name: name}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, bounds.Unsupport(err, "sheet %q cannot be read", name)
	}
	defer rows.Close()
	maxCol := 0
	if dim, err := f.GetSheetDimension(name); err == nil {
		if i := strings.IndexByte(dim, ':'); i >= 0 {
			if c, _, err := excelize.CellNameToCoordinates(dim[i+1:]); err == nil {
				maxCol = min(c, 512)
			}
		}
	}
	r := 0
	for rows.Next() {
		r++
		cols, err := rows.Columns()
		if err != nil {
			return nil, bounds.Unsupport(err, "sheet %q row %d cannot be read", name, r)
		}
		if err := cells.Add(int64(len(cols) + 1)); err != nil {
			return nil, err
		}
		for c, v := range cols {
			if strings.ContainsAny(v, "Ee") && noisyRE.MatchString(v) {
				// A General cell too wide for its digits shows an exponent;
				// read the stored value instead.
				if axis, err := excelize.CoordinatesToCellName(c+1, r); err == nil {
					if raw, err := f.GetCellValue(name, axis, excelize.Options{RawCellValue: true}); err == nil {
						v = raw
					}
				}
			}
			cols[c] = cleanNumber(v)
		}
		maxCol = max(maxCol, min(len(cols), 512))
		for len(t.rows) < r-1 {
			t.rows = append(t.rows, nil)
		}
		t.rows = append(t.rows, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, bounds.Unsupport(err, "sheet %q cannot be read", name)
	}
	merges, err := f.GetMergeCells(name, true)
	if err != nil {
		return nil, bounds.Unsupport(err, "merged cells of sheet %q cannot be read", name)
	}
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 < r0 || c1 < c0 {
			continue
		}
		if err := cells.Add(int64(r1-r0+1) * int64(c1-c0+1)); err != nil {
			return nil, err // the merged cells are expanded: they count
		}
		t.merges = append(t.merges, span{r0: r0 - 1, c0: c0 - 1, r1: r1 - 1, c1: c1 - 1})
		for len(t.rows) < r1 {
			t.rows = append(t.rows, nil)
		}
	}
	// excelize drops a row's empty cells at its end; an empty cell with a style
	// (a border) is a cell of the table, as an empty <td> is.
	for _, m := range t.merges {
		maxCol = max(maxCol, min(m.c1+1, 512))
	}
	for r := range t.rows {
		styled := len(t.rows[r])
		for c := styled + 1; c <= maxCol; c++ {
			axis, _ := excelize.CoordinatesToCellName(c, r+1)
			if st, err := f.GetCellStyle(name, axis); err == nil && st != 0 {
				styled = c
			}
		}
		if err := cells.Add(int64(maxCol - len(t.rows[r]))); err != nil {
			return nil, err
		}
		for len(t.rows[r]) < styled {
			t.rows[r] = append(t.rows[r], "")
		}
	}
	return t, nil
}
