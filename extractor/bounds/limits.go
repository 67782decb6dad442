package bounds

import (
	"errors"
	"fmt"
	"time"
)

// Limits bounds the work and memory one attachment may cost. Every field must be
// positive; DefaultLimits gives sizes that fit the largest real reports with room to
// spare (a report is a few pages and three tables).
type Limits struct {
	// ZipEntries is the most entries a zip container (.docx, .xlsx) may list.
	ZipEntries int `yaml:"zip_entries"`
	// ZipEntryBytes is the most bytes one zip entry may inflate to.
	ZipEntryBytes int64 `yaml:"zip_entry_bytes"`
	// ZipTotalBytes is the most bytes the entries read from one zip may inflate to.
	ZipTotalBytes int64 `yaml:"zip_total_bytes"`
	// ZipRatio is the largest inflated/compressed ratio an entry may have (a zip
	// bomb has thousands; XML compresses about 10 to 1, rarely past 100).
	ZipRatio int64 `yaml:"zip_ratio"`
	// XMLDepth is the deepest element nesting an XML part may have.
	XMLDepth int `yaml:"xml_depth"`
	// XMLTokens is the most XML tokens one document's parts may hold in all.
	XMLTokens int `yaml:"xml_tokens"`
	// PDFPages is the most pages a PDF may have.
	PDFPages int `yaml:"pdf_pages"`
	// PDFObjects is the most objects (content operators and cross-reference
	// entries) a PDF may have read.
	PDFObjects int `yaml:"pdf_objects"`
	// PDFStreamBytes is the most bytes all of a PDF's streams may decompress to.
	PDFStreamBytes int64 `yaml:"pdf_stream_bytes"`
	// SheetCells is the most cells all sheets of a workbook may hold.
	SheetCells int `yaml:"sheet_cells"`
	// ConverterOutputBytes is the most output an external converter (wvWare, for
	// binary Word files) may write.
	ConverterOutputBytes int64 `yaml:"converter_output_bytes"`
	// Timeout is the wall time one attachment may take to read.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultLimits returns the defaults: 2,000 zip entries of at most 64 MiB each and
// 128 MiB in all at a ratio of at most 200; XML 256 deep and 5 million tokens; PDFs
// of 200 pages, 2 million objects and 256 MiB of stream data; 1 million sheet
// cells; 16 MiB of converter output; 30 seconds per attachment.
func DefaultLimits() Limits {
	return Limits{
		ZipEntries:           2000,
		ZipEntryBytes:        64 << 20,
		ZipTotalBytes:        128 << 20,
		ZipRatio:             200,
		XMLDepth:             256,
		XMLTokens:            5_000_000,
		PDFPages:             200,
		PDFObjects:           2_000_000,
		PDFStreamBytes:       256 << 20,
		SheetCells:           1_000_000,
		ConverterOutputBytes: 16 << 20,
		Timeout:              30 * time.Second,
	}
}

// Validate checks that every limit is set; prefix names the configuration key
// ("extractor.attachments").
func (l Limits) Validate(prefix string) error {
	var errs []error
	positive := func(name string, v int64) {
		if v <= 0 {
			errs = append(errs, fmt.Errorf("%s.%s: %d, want more than 0", prefix, name, v))
		}
	}
	positive("zip_entries", int64(l.ZipEntries))
	positive("zip_entry_bytes", l.ZipEntryBytes)
	positive("zip_total_bytes", l.ZipTotalBytes)
	positive("zip_ratio", l.ZipRatio)
	positive("xml_depth", int64(l.XMLDepth))
	positive("xml_tokens", int64(l.XMLTokens))
	positive("pdf_pages", int64(l.PDFPages))
	positive("pdf_objects", int64(l.PDFObjects))
	positive("pdf_stream_bytes", l.PDFStreamBytes)
	positive("sheet_cells", int64(l.SheetCells))
	positive("converter_output_bytes", l.ConverterOutputBytes)
	if l.Timeout < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("%s.timeout: %s, want at least 100ms", prefix, l.Timeout))
	}
	if l.ZipEntryBytes > l.ZipTotalBytes && l.ZipTotalBytes > 0 {
		errs = append(errs, fmt.Errorf("%s.zip_entry_bytes: %d is over zip_total_bytes (%d)", prefix, l.ZipEntryBytes, l.ZipTotalBytes))
	}
	return errors.Join(errs...)
}

// OrDefault returns l, or DefaultLimits when l is the zero value.
func (l Limits) OrDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits()
	}
	return l
}
