// Package textreader reads the statistics tables of a report that reaches us as
// plain text: tables flattened one cell per line, rows separated by tabs or '|',
// cells split over lines. It cuts the text into its sections by their headings,
// splits each section into label and value tokens, and rebuilds rows as "labels,
// then the values that follow them" — the grids the section reader places by label.
//
// Cells whose labels were lost in flattening (seed 002) are not recovered by position
// yet: their values are left to the section reader, which reports them unplaced.
package textreader
