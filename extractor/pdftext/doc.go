// Package pdftext reads the text layer of a PDF into a grid.Document: every glyph
// with its position (fonts decoded through their ToUnicode CMaps — Type0 fonts with
// Identity-H or the UCS-2 and GBK CMaps, simple fonts with their encodings and
// differences), and the ruling lines tables are drawn with. Ruled tables become
// grids: the lines cut the table into a fine grid, a missing line between two fine
// cells merges them (colspan, rowspan), and the glyphs in a cell make its text in
// reading order, so a header written one character per line reads as one label. A
// table that goes on at the top of the next page with the same columns is joined to
// the one before it, and a row the page break cut in two is joined again. Text
// outside tables becomes lines, with a tab where a wide gap separates columns of
// aligned text, for the extractor's text reader; in a line of aligned text, a small
// gap ending at one of the page's tab stops (the x positions where columns start
// line after line, completed when evenly spaced) is a tab too, so a label that ends
// just short of a tab stop stays apart from the value after it.
//
// The PDF objects are parsed by github.com/ledongthuc/pdf; the content streams are
// interpreted here. Before anything is parsed, every stream in the file is inflated
// under the limit of decompressed bytes (a decompression bomb is rejected without
// being held in memory), and pages, operators and the page tree are bounded too. A
// PDF with pages but no text (a scan) is an *bounds.Unsupported that says so.
package pdftext
