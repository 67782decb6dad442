package extractor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govreport/govreport/extractor/attach"
	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/decode"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/htmldoc"
	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/extractor/prose"
	"github.com/govreport/govreport/extractor/sections"
	"github.com/govreport/govreport/extractor/textreader"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

// DefaultMaxBodyBytes is the largest body Parse reads by default (20 MiB).
const DefaultMaxBodyBytes = 20 << 20

// minHeadings is how many of the six report section headings a document without
// statistics tables must show to count as a report (read as the legacy template).
const minHeadings = 3

// Parser parses documents. The zero value uses DefaultMaxBodyBytes and the default
// attachment limits.
type Parser struct {
	// MaxBodyBytes rejects larger bodies as too_large; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Attachments configures the readers of PDF, Word and Excel attachments; the
	// zero value means attach.DefaultConfig.
	Attachments attach.Config
}

// Parse parses one document with the default limits. See Parser.Parse.
func Parse(in Input) (*report.Record, error) { return Parser{}.Parse(in) }

// Parse reads one document into a record. See ParseContext.
func (p Parser) Parse(in Input) (*report.Record, error) {
	return p.ParseContext(context.Background(), in)
}

// ParseContext reads one document into a record: a page, a text file, or an
// attachment (PDF, .docx/.wps, .xlsx/.xls, .doc). A document that is not a readable
// report returns a *report.Rejection as the error (use errors.As), with its reason:
// empty, too_large (over a size limit, or an attachment over one of the reader
// limits or its time limit), unsupported (an attachment kind no reader handles, a
// scanned PDF, a broken or encrypted file, a missing converter), bad_encoding,
// not_report. ctx bounds the reading of an attachment. Any other error is a bug.
func (p Parser) ParseContext(ctx context.Context, in Input) (*report.Record, error) {
	now := in.ExtractedAt
	if now.IsZero() {
		now = time.Now().UTC()
	}
	if in.SHA256 == "" && len(in.Body) > 0 {
		in.SHA256 = rawdoc.Hash(in.Body)
	}
	limit := p.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	var reject rejectFunc = func(reason report.Reason, title, format string, args ...any) error {
		return &report.Rejection{
			Schema: report.SchemaVersion, DocID: docID(in.URL), URL: in.URL, Site: in.Site.ID, Kind: in.Kind,
			Title: title, Reason: reason, Detail: fmt.Sprintf(format, args...), ContentSHA256: in.SHA256,
			Size: int64(len(in.Body)), FetchedAt: in.FetchedAt, ExtractedAt: now, ParserVersion: Version,
			Region: region(in.Site),
		}
	}
	switch {
	case len(in.Body) == 0:
		return nil, reject(report.ReasonEmpty, in.LinkText, "no body")
	case int64(len(in.Body)) > limit:
		return nil, reject(report.ReasonTooLarge, in.LinkText, "body of %d bytes is over the %d byte limit", len(in.Body), limit)
	}
	format := decode.Detect(in.Body, in.ContentType)
	if isAttachment(format) {
		ad, kind, err := attach.Read(ctx, in.Body, format, p.Attachments)
		switch {
		case bounds.IsExceeded(err):
			return nil, reject(report.ReasonTooLarge, in.LinkText, "%s attachment: %v", kindName(kind, format), err)
		case bounds.IsUnsupported(err):
			return nil, reject(report.ReasonUnsupported, in.LinkText, "%s attachment: %v", kindName(kind, format), err)
		case err != nil:
			return nil, fmt.Errorf("read %s attachment %s: %w", kindName(kind, format), in.URL, err)
		}
		return finish(readAttachment(ad, in), in, now, string(kind), reject)
	}
	if !format.Readable() {
		return nil, reject(report.ReasonUnsupported, in.LinkText, "%s documents are not read yet (content type %q)", format, in.ContentType)
	}
	text, err := decode.Decode(in.Body, in.ContentType, format == decode.FormatHTML)
	if err != nil {
		if errors.Is(err, decode.ErrBadEncoding) {
			return nil, reject(report.ReasonBadEncoding, in.LinkText, "%v", err)
		}
		return nil, fmt.Errorf("decode %s: %w", in.URL, err)
	}

	var d document
	if format == decode.FormatHTML {
		d, err = readHTML(text.Text, in)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", in.URL, err)
		}
	} else {
		d = readText(text.Text, in)
	}
	return finish(d, in, now, string(format), reject)
}

// rejectFunc builds the rejection of the document being parsed.
type rejectFunc func(reason report.Reason, title, format string, args ...any) error

// finish decides whether what a document holds is a report, and assembles its record.
func finish(d document, in Input, now time.Time, format string, reject rejectFunc) (*report.Record, error) {
	if len(d.lines) == 0 {
		return nil, reject(report.ReasonEmpty, d.title, "no text in the %s document", format)
	}
	if d.sections.Total() == 0 && d.headings < minHeadings {
		return nil, reject(report.ReasonNotReport, d.title,
			"no statistics tables and no report structure (%d of 6 section headings)", d.headings)
	}
	if d.sections.Total() == 0 {
		// No table gave a value: read the counts the sentences state, if any.
		if p := prose.Read(d.lines, 1); p.Total() > 0 {
			d.sections, d.byProse = p, true
		}
	}
	rec := assemble(d, in, now)
	return rec, nil
}

// document is what the readers found in a document, whatever its format.
type document struct {
	title    string
	meta     map[string]string // standard <meta> tags
	lines    []string          // the article's text
	dated    []string          // texts around publication-date labels
	sections *sections.Result
	fromText bool // the statistics were read from text, not tables
	byProse  bool // the statistics were read from sentences (package prose)
	headings int  // distinct report section headings found
}

// readHTML reads a page: its tables first; the text reader when the tables gave no
// application table (a table pasted as paragraphs).
func readHTML(text string, in Input) (document, error) {
	page, err := htmldoc.Parse(text, in.ContentSelector)
	if err != nil {
		return document{}, err
	}
	meta := pageMeta(page.Meta)
	d := document{
		title:    chooseTitle(meta, page.H1, page.Title, in.LinkText),
		meta:     meta,
		lines:    page.Lines,
		dated:    page.Dated,
		sections: sections.Read(page.Grids),
		headings: countHeadings(page.Lines),
	}
	if d.sections.Cells[labels.SectionRequests] == 0 {
		if alt := sections.Read(textreader.Read(page.Lines, 1)); alt.Total() > d.sections.Total() {
			d.sections, d.fromText = alt, true
		}
	}
	return d, nil
}

// readText reads a plain-text document.
func readText(text string, _ Input) document {
	lines := textreader.Lines(text)
	d := document{
		title:    textTitle(lines),
		sections: sections.Read(textreader.Read(lines, 1)),
		headings: countHeadings(lines),
		fromText: true,
	}
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			d.lines = lines
			break
		}
	}
	return d
}

// isAttachment reports whether a format is read by package attach.
func isAttachment(f decode.Format) bool {
	return f == decode.FormatPDF || f == decode.FormatOffice || f == decode.FormatZip
}

// kindName names what an attachment was found to be, or its format when reading
// stopped before that.
func kindName(k attach.Kind, f decode.Format) string {
	if k != "" {
		return string(k)
	}
	return string(f)
}

// readAttachment reads what an attachment reader found like a page: its tables
// first; the text reader over its lines when the tables gave no application table.
func readAttachment(ad *grid.Document, in Input) document {
	title := ad.Title
	if title == "" {
		title = textTitle(ad.Lines)
	}
	if title == "" {
		title = normalize.Space(in.LinkText)
	}
	d := document{
		title:    title,
		lines:    ad.Lines,
		sections: sections.Read(ad.Grids),
		headings: countHeadings(ad.Lines),
	}
	if d.sections.Cells[labels.SectionRequests] == 0 {
		if alt := sections.Read(textreader.Read(ad.Lines, 1)); alt.Total() > d.sections.Total() {
			d.sections, d.fromText = alt, true
		}
	}
	return d
}

// countHeadings counts the distinct report sections whose heading a text shows.
func countHeadings(lines []string) int {
	seen := map[int]bool{}
	for _, l := range lines {
		if s := labels.Heading(l); s != labels.SectionNone {
			seen[s] = true
		}
	}
	return len(seen)
}
