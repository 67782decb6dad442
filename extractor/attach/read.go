package attach

import (
	"context"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/decode"
	"github.com/govreport/govreport/extractor/docx"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/htmldoc"
	"github.com/govreport/govreport/extractor/msdoc"
	"github.com/govreport/govreport/extractor/olefile"
	"github.com/govreport/govreport/extractor/pdftext"
	"github.com/govreport/govreport/extractor/safezip"
	"github.com/govreport/govreport/extractor/sheet"
)

// Read reads an attachment of a format decode.Detect found (FormatPDF,
// FormatOffice or FormatZip) and returns what it holds and its kind. Errors are an
// *bounds.Exceeded (a limit, the deadline included), an *bounds.Unsupported (a kind
// no reader handles, a broken or encrypted file, a scan, a missing converter, a
// reader that panicked), or a plain error for a bug.
func Read(ctx context.Context, body []byte, format decode.Format, cfg Config) (*grid.Document, Kind, error) {
	cfg = cfg.orDefault()
	ctx, cancel := context.WithTimeout(ctx, cfg.Limits.Timeout)
	defer cancel()
	var kind Kind
	doc, err := bounds.Guard(string(format), nil, func() (*grid.Document, error) {
		var err error
		var d *grid.Document
		kind, d, err = read(ctx, body, format, cfg)
		return d, err
	})
	if err != nil && ctx.Err() != nil && !bounds.IsExceeded(err) && !bounds.IsUnsupported(err) {
		err = bounds.TimeoutError(ctx.Err())
	}
	return doc, kind, err
}

func read(ctx context.Context, body []byte, format decode.Format, cfg Config) (Kind, *grid.Document, error) {
	lim := cfg.Limits
	switch format {
	case decode.FormatPDF:
		d, err := pdftext.Read(ctx, body, lim)
		return KindPDF, d, err
	case decode.FormatZip:
		a, err := safezip.Open(body, lim)
		if err != nil {
			return KindZip, nil, err
		}
		kind := zipKind(a)
		switch kind {
		case KindDocx:
			d, err := docx.Read(ctx, a, lim)
			return kind, d, err
		case KindXLSX:
			d, err := sheet.ReadXLSX(ctx, body, a, lim)
			return kind, d, err
		}
		return kind, nil, unsupportedKind(kind)
	case decode.FormatOffice:
		return readOLE(ctx, body, cfg)
	}
	return "", nil, bounds.Unsupport(nil, "%s documents are not read", format)
}

// readOLE reads a compound file: Word through wvWare, Excel through the BIFF8
// reader.
func readOLE(ctx context.Context, body []byte, cfg Config) (Kind, *grid.Document, error) {
	f, err := olefile.Open(body, cfg.Limits, "WordDocument", "Workbook", "Book")
	if err != nil {
		return KindOLE, nil, err
	}
	switch {
	case f.Stream("WordDocument") != nil:
		if msdoc.Encrypted(f.Stream("WordDocument")) {
			return KindDoc, nil, bounds.Unsupport(nil, "Word document is encrypted")
		}
		conv := msdoc.Converter{WvWare: cfg.WvWare, Config: cfg.WvHTMLConfig, MaxOutput: cfg.Limits.ConverterOutputBytes}
		html, err := conv.ToHTML(ctx, body)
		if err != nil {
			return KindDoc, nil, err
		}
		page, err := htmldoc.Parse(html, "")
		if err != nil {
			return KindDoc, nil, bounds.Unsupport(err, "wvWare's HTML cannot be read")
		}
		return KindDoc, &grid.Document{Lines: page.Lines, Grids: page.Grids}, nil
	case f.Stream("Workbook") != nil || f.Stream("Book") != nil:
		d, err := sheet.ReadXLS(ctx, f, cfg.Limits)
		return KindXLS, d, err
	}
	return KindOLE, nil, unsupportedKind(KindOLE)
}

// unsupportedKind is the rejection of a container no reader handles.
func unsupportedKind(k Kind) error {
	switch k {
	case KindPPTX:
		return bounds.Unsupport(nil, "a PowerPoint presentation (pptx) is not read")
	case KindOFD:
		return bounds.Unsupport(nil, "OFD documents are not read yet")
	case KindODF:
		return bounds.Unsupport(nil, "OpenDocument files are not read")
	case KindOLE:
		return bounds.Unsupport(nil, "an OLE compound file that is neither Word nor Excel is not read")
	}
	return bounds.Unsupport(nil, "a zip archive that is not an Office document is not read")
}
