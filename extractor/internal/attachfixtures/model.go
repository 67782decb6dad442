package attachfixtures

import "github.com/govreport/govreport/pkg/sampleportal/officedoc"

// The document model and its writers live in pkg/sampleportal/officedoc, where the
// sample portal serves reports published as attachments with them; these names keep
// the fixtures' code and tests as they were.

// Doc is a document to render: blocks in order.
type Doc = officedoc.Doc

// Block is a paragraph (Text, which may hold tabs) or a table.
type Block = officedoc.Block

// Table is a table: rows of cells, each anchored where HTML would anchor it.
type Table = officedoc.Table

// Cell is one source cell with its spans. Text holds line breaks as "\n".
type Cell = officedoc.Cell

// FromLines makes a document of one paragraph per line (tabs kept), as a text
// pasted into Word is.
func FromLines(lines []string) Doc { return officedoc.FromLines(lines) }
