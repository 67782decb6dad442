// Package grid holds the one shape every reader of a document produces and the
// section reader consumes: tables as rows of logical cells, each cell with its text
// and its provenance. HTML tables become grids with their spans expanded; flattened
// text becomes grids whose rows are rebuilt from label and number tokens.
package grid
