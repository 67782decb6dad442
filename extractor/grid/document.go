package grid

// Document is what an attachment reader found in a document, whatever its format:
// the title it states (if any), its text as lines (a line per paragraph, a line per
// table row with the cells separated by tabs, as htmldoc renders a page), and its
// tables as grids, in document order.
type Document struct {
	// Title is the title the document's properties or first lines state, or "".
	Title string
	// Lines is the document's text.
	Lines []string
	// Grids are the document's tables.
	Grids []Grid
}
