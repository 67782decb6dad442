package grid

// Cell is one logical cell of a row.
type Cell struct {
	// Text is the cell's text with white space collapsed (what Raw keeps).
	Text string
	// Src is where the cell came from: "t2:r5:c3" (table 2, row 5, column 3 of its
	// expanded grid, all 1-based) or "l123" (line 123 of a text document).
	Src string
	// Col is the 0-based grid column where the cell starts, or -1 when the document
	// has no column alignment (text read by tokens).
	Col int
	// Span is the number of grid columns the cell covers (1 for text).
	Span int
}

// Row is one row of a grid: its logical cells in order. A cell spanning several
// columns appears once; a cell spanning several rows appears in each of them.
type Row struct {
	Cells []Cell
}

// Grid is one table of a document.
type Grid struct {
	// ID names the table for messages: "t2" or "l120".
	ID string
	// Rows are the table's rows in document order.
	Rows []Row
	// Aligned is true when Col is meaningful: cells in the same column of different
	// rows belong together (HTML tables).
	Aligned bool
	// Section is the report section the document places the grid in (2, 3 or 4 for
	// 二, 三, 四), or 0 when unknown; the section reader also infers it from labels.
	Section int
}
