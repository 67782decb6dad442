package attachfixtures

import "github.com/govreport/govreport/pkg/sampleportal/officedoc"

// XLSXOptions vary how a workbook is laid out.
type XLSXOptions = officedoc.XLSXOptions

// WriteXLSX renders a document as a workbook (see officedoc.WriteXLSX).
func WriteXLSX(d Doc, o XLSXOptions) ([]byte, error) { return officedoc.WriteXLSX(d, o) }
