// Package textreader reads the statistics tables of a report that reaches us as
// plain text: tables flattened one cell per line, rows separated by tabs or '|',
// cells split over lines. It cuts the text into its sections by their headings and
// reads each section in the form it is written in: one cell per tab-led line with a
// blank line after each row (cells.go: rows, empty cells and cells continued over
// lines are kept), a '|' after every cell (pipes.go: empty cells are kept), or else
// label and value tokens regrouped as "labels, then the values that follow them".
//
// Rows keep no labels they did not have: a row whose labels were lost in flattening
// (seed 002) is a row of values, which the section reader places by position.
package textreader
