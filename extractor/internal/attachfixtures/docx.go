package attachfixtures

import "github.com/govreport/govreport/pkg/sampleportal/officedoc"

// DocxOptions vary how a document is written, as different editors write it.
type DocxOptions = officedoc.DocxOptions

// WriteDocx renders a document as a .docx.
func WriteDocx(d Doc, o DocxOptions) ([]byte, error) { return officedoc.WriteDocx(d, o) }
