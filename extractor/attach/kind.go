package attach

import (
	"github.com/govreport/govreport/extractor/safezip"
)

// Kind is the kind of attachment a body holds, as far as the readers care.
type Kind string

// Kinds.
const (
	KindDocx Kind = "docx" // WordprocessingML (.docx, .wps saved as OOXML)
	KindXLSX Kind = "xlsx" // SpreadsheetML (.xlsx, .et saved as OOXML)
	KindPPTX Kind = "pptx" // PresentationML: not read
	KindOFD  Kind = "ofd"  // OFD, China's fixed-layout format: not read
	KindODF  Kind = "odf"  // OpenDocument: not read
	KindZip  Kind = "zip"  // any other archive: not read
	KindPDF  Kind = "pdf"
	KindDoc  Kind = "doc" // binary Word (.doc, old .wps)
	KindXLS  Kind = "xls" // binary Excel (BIFF8 .xls, old .et)
	KindOLE  Kind = "ole" // another OLE compound file: not read
)

// zipKind names the kind of an OOXML or other zip container by the parts it holds.
func zipKind(a *safezip.Archive) Kind {
	switch {
	case a.Has("word/document.xml"):
		return KindDocx
	case a.Has("xl/workbook.xml"):
		return KindXLSX
	case a.Has("ppt/presentation.xml"):
		return KindPPTX
	case a.Has("OFD.xml"):
		return KindOFD
	case a.Has("mimetype") && a.Has("content.xml"):
		return KindODF
	}
	return KindZip
}
