// Package sheet reads workbooks — .xlsx (SpreadsheetML, through excelize) and .xls
// (BIFF8 in an OLE compound file, read here) — into a grid.Document: each sheet is
// a grid whose rows hold the cells the sheet stores (an empty bordered cell is an
// empty cell, as an empty <td> is), merged ranges expanded as HTML spans are (the
// anchor's text once per row it covers, spanning its columns), and each row is also
// a line of tab-separated cells for the text reader. Numbers read as the sheet
// shows them: excelize applies the cell's number format; what is left of binary
// floating point (12.000000001, 1.0E+2) is rounded back to the decimal a person
// typed.
package sheet
