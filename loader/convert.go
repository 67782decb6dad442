package loader

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// ErrConvert marks a record or rejection that cannot become rows: it will never
// load, however often it is retried.
var ErrConvert = errors.New("cannot convert")

// AddRecord converts a record into rows of reports, application_cells,
// review_cells, disclosure_cells, findings and raw_documents (status parsed). raw
// is the record's JSON as received, stored in reports.record (nil: encode rec). An
// error wraps ErrConvert and leaves r unchanged.
func (r *Rows) AddRecord(rec *report.Record, raw []byte) error {
	m, published, err := checkRecord(rec)
	if err != nil {
		return fmt.Errorf("%w: record %s: %w", ErrConvert, rec.Meta.DocID, err)
	}
	if raw == nil {
		if raw, err = rec.Marshal(); err != nil {
			return fmt.Errorf("%w: record %s: encode: %w", ErrConvert, rec.Meta.DocID, err)
		}
	}
	r.addApplications(rec, m)
	r.addReview(rec, m)
	r.addDisclosure(rec, m)
	errorsN := r.addFindings(rec, m)
	r.addReport(rec, m, published, errorsN, raw)

	d := &r.rawDocuments
	d.docID = append(d.docID, m.docID)
	d.version = append(d.version, m.version)
	d.url = append(d.url, rec.Meta.SourceURL)
	d.site = append(d.site, rec.Meta.Site)
	d.kind = append(d.kind, "") // a record does not say whether it came from a page or an attachment
	d.fetchedAt = append(d.fetchedAt, dateTime(rec.Meta.FetchedAt))
	d.contentSHA256 = append(d.contentSHA256, rec.Meta.ContentSHA256)
	d.size = append(d.size, 0) // nor its size
	d.status = append(d.status, statusParsed)
	d.reason = append(d.reason, "")
	d.detail = append(d.detail, "")
	d.parserVersion = append(d.parserVersion, rec.Meta.ParserVersion)
	d.province = append(d.province, m.province)
	d.city = append(d.city, m.city)
	d.county = append(d.county, m.county)
	d.township = append(d.township, m.township)
	d.regionCode = append(d.regionCode, m.regionCode)
	d.townshipCode = append(d.townshipCode, m.townshipCode)
	return nil
}

// AddRejection converts a rejection into a raw_documents row (status rejected). An
// error wraps ErrConvert and leaves r unchanged.
func (r *Rows) AddRejection(rej *report.Rejection) error {
	if err := checkRejection(rej); err != nil {
		return fmt.Errorf("%w: rejection %s: %w", ErrConvert, rej.DocID, err)
	}
	d := &r.rawDocuments
	d.docID = append(d.docID, rej.DocID)
	d.version = append(d.version, rej.Version())
	d.url = append(d.url, rej.URL)
	d.site = append(d.site, rej.Site)
	d.kind = append(d.kind, rej.Kind)
	d.fetchedAt = append(d.fetchedAt, dateTime(rej.FetchedAt))
	d.contentSHA256 = append(d.contentSHA256, rej.ContentSHA256)
	d.size = append(d.size, uint64(rej.Size))
	d.status = append(d.status, statusRejected)
	d.reason = append(d.reason, string(rej.Reason))
	d.detail = append(d.detail, rej.Detail)
	d.parserVersion = append(d.parserVersion, rej.ParserVersion)
	d.province = append(d.province, rej.Region.Province)
	d.city = append(d.city, rej.Region.City)
	d.county = append(d.county, rej.Region.County)
	d.township = append(d.township, rej.Region.Township)
	d.regionCode = append(d.regionCode, rej.Region.Code)
	d.townshipCode = append(d.townshipCode, rej.Region.TownshipCode)
	return nil
}

// checkRecord checks everything that could make a record's rows fail, so that the
// appends after it cannot fail half-way.
func checkRecord(rec *report.Record) (*meta, *time.Time, error) {
	if err := rec.Validate(); err != nil {
		return nil, nil, err
	}
	md := rec.Meta
	if md.DocID == "" {
		return nil, nil, errors.New("no doc_id")
	}
	if md.ExtractedAt.IsZero() {
		return nil, nil, errors.New("no extracted_at: the version that orders re-extractions")
	}
	if err := checkDateTime("extracted_at", md.ExtractedAt); err != nil {
		return nil, nil, err
	}
	if err := checkDateTime("fetched_at", md.FetchedAt); err != nil {
		return nil, nil, err
	}
	if md.Year < 0 || md.Year > math.MaxUint16 {
		return nil, nil, fmt.Errorf("year %d out of range", md.Year)
	}
	if len(rec.Findings) > math.MaxUint16 {
		return nil, nil, fmt.Errorf("%d findings, more than a UInt16 counts", len(rec.Findings))
	}
	if math.IsNaN(rec.Confidence) || rec.Confidence < 0 || rec.Confidence > 1 {
		return nil, nil, fmt.Errorf("confidence %v outside [0,1]", rec.Confidence)
	}
	if p := md.Placement; p != nil && (math.IsNaN(p.Confidence) || p.Confidence < 0 || p.Confidence > 1) {
		return nil, nil, fmt.Errorf("placement confidence %v outside [0,1]", p.Confidence)
	}
	var published *time.Time
	if md.PublishedAt != "" {
		d, err := time.Parse(time.DateOnly, md.PublishedAt)
		if err != nil {
			return nil, nil, fmt.Errorf("published_at %q is not YYYY-MM-DD", md.PublishedAt)
		}
		if d.Year() < 1970 || d.Year() > 2105 {
			return nil, nil, fmt.Errorf("published_at %q outside ClickHouse's Date range", md.PublishedAt)
		}
		published = &d
	}
	for row, cols := range rec.Applications {
		for col, c := range cols {
			if err := checkCount(c); err != nil {
				return nil, nil, fmt.Errorf("application cell %s: %w", report.CellAddr(row, col), err)
			}
		}
	}
	for g, outs := range rec.Review {
		for o, c := range outs {
			if err := checkCount(c); err != nil {
				return nil, nil, fmt.Errorf("review cell %s: %w", report.ReviewAddr(g, o), err)
			}
		}
	}
	for it, ms := range rec.Disclosure {
		for mt, c := range ms {
			if err := checkCell(c); err != nil {
				return nil, nil, fmt.Errorf("disclosure cell %s: %w", report.DisclosureAddr(it, mt), err)
			}
			if c.State == report.StateNumber && (math.IsNaN(c.Value) || math.IsInf(c.Value, 0)) {
				return nil, nil, fmt.Errorf("disclosure cell %s: value %v is not a number", report.DisclosureAddr(it, mt), c.Value)
			}
		}
	}
	for i, f := range rec.Findings {
		if math.IsNaN(f.LHS) || math.IsNaN(f.RHS) {
			return nil, nil, fmt.Errorf("finding %d (%s %s): NaN side", i, f.Rule, f.Scope)
		}
	}
	return &meta{
		docID: md.DocID, version: rec.Version(), body: md.Body, year: uint16(md.Year), level: string(md.Level),
		province: md.Region.Province, city: md.Region.City, county: md.Region.County, township: md.Region.Township,
		regionCode: md.Region.Code, townshipCode: md.Region.TownshipCode, template: string(rec.Template),
	}, published, nil
}

func checkRejection(rej *report.Rejection) error {
	if rej.DocID == "" {
		return errors.New("no doc_id")
	}
	if rej.ExtractedAt.IsZero() {
		return errors.New("no extracted_at: the version that orders re-extractions")
	}
	if rej.Size < 0 {
		return fmt.Errorf("size %d is negative", rej.Size)
	}
	if err := checkDateTime("extracted_at", rej.ExtractedAt); err != nil {
		return err
	}
	return checkDateTime("fetched_at", rej.FetchedAt)
}

// Range of ClickHouse's DateTime.
var (
	minDateTime = time.Unix(0, 0)
	maxDateTime = time.Date(2105, 12, 31, 23, 59, 59, 0, time.UTC)
)

// checkDateTime accepts the zero time (stored as 1970-01-01 00:00:00) and times
// inside DateTime's range.
func checkDateTime(name string, t time.Time) error {
	if t.IsZero() || !t.Before(minDateTime) && !t.After(maxDateTime) {
		return nil
	}
	return fmt.Errorf("%s %s outside ClickHouse's DateTime range", name, t.Format(time.RFC3339))
}

// dateTime maps the zero time to the Unix epoch (DateTime's zero) and drops the
// sub-second part.
func dateTime(t time.Time) time.Time {
	if t.IsZero() {
		return minDateTime.UTC()
	}
	return t.UTC().Truncate(time.Second)
}

// checkCell checks a cell's state and that only number cells carry a value.
func checkCell(c report.Cell) error {
	if !c.State.Valid() {
		return fmt.Errorf("state %q", c.State)
	}
	if c.State != report.StateNumber && c.Value != 0 {
		return fmt.Errorf("%s cell with value %v", c.State, c.Value)
	}
	return nil
}

// checkCount checks a count cell: a number must be an integer that fits Int64.
func checkCount(c report.Cell) error {
	if err := checkCell(c); err != nil {
		return err
	}
	if c.State == report.StateNumber && (c.Value != math.Trunc(c.Value) || math.Abs(c.Value) >= 1<<63 || math.IsNaN(c.Value)) {
		return fmt.Errorf("value %v is not an integer count", c.Value)
	}
	return nil
}

func (r *Rows) addReport(rec *report.Record, m *meta, published *time.Time, errorsN int, raw []byte) {
	md, t := rec.Meta, &r.reports
	t.docID = append(t.docID, m.docID)
	t.version = append(t.version, m.version)
	t.schemaVersion = append(t.schemaVersion, uint16(rec.Schema))
	t.parserVersion = append(t.parserVersion, md.ParserVersion)
	t.extractedAt = append(t.extractedAt, dateTime(md.ExtractedAt))
	t.sourceURL = append(t.sourceURL, md.SourceURL)
	t.site = append(t.site, md.Site)
	t.body = append(t.body, md.Body)
	t.title = append(t.title, md.Title)
	t.year = append(t.year, m.year)
	t.level = append(t.level, m.level)
	t.province = append(t.province, m.province)
	t.city = append(t.city, m.city)
	t.county = append(t.county, m.county)
	t.township = append(t.township, m.township)
	t.regionCode = append(t.regionCode, m.regionCode)
	t.townshipCode = append(t.townshipCode, m.townshipCode)
	var pl report.Placement
	if md.Placement != nil {
		pl = *md.Placement
	}
	t.divisionLevel = append(t.divisionLevel, string(pl.DivisionLevel))
	t.department = append(t.department, pl.Department)
	t.zone = append(t.zone, pl.Zone)
	t.regionConfidence = append(t.regionConfidence, float32(pl.Confidence))
	t.regionReason = append(t.regionReason, pl.Reason)
	t.template = append(t.template, m.template)
	t.publishedDate = append(t.publishedDate, published)
	t.fetchedAt = append(t.fetchedAt, dateTime(md.FetchedAt))
	t.contentSHA256 = append(t.contentSHA256, md.ContentSHA256)
	t.siteIDCode = append(t.siteIDCode, md.SiteIDCode)
	t.confidence = append(t.confidence, float32(rec.Confidence))
	t.findingsErrors = append(t.findingsErrors, uint16(errorsN))
	t.findingsTotal = append(t.findingsTotal, uint16(len(rec.Findings)))
	t.record = append(t.record, string(raw))
}

// Every cell of the record becomes a row, in document order; codes the record does
// not hold produce no row. Values are NULL unless the state is number.

func (r *Rows) addApplications(rec *report.Record, m *meta) {
	t := &r.application
	vals := make([]int64, 0, countCells(rec.Applications))
	for _, row := range report.AllRows {
		for _, col := range report.Cols {
			c, ok := rec.Applications[row][col]
			if !ok {
				continue
			}
			t.common.add(m)
			t.cellCols.add(c)
			t.template = append(t.template, m.template)
			t.row = append(t.row, string(row))
			t.col = append(t.col, string(col))
			var v *int64
			if c.State == report.StateNumber {
				vals = append(vals, int64(c.Value))
				v = &vals[len(vals)-1]
			}
			t.value = append(t.value, v)
		}
	}
}

func (r *Rows) addReview(rec *report.Record, m *meta) {
	t := &r.review
	vals := make([]int64, 0, countCells(rec.Review))
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			c, ok := rec.Review[g][o]
			if !ok {
				continue
			}
			t.common.add(m)
			t.cellCols.add(c)
			t.template = append(t.template, m.template)
			t.group = append(t.group, string(g))
			t.outcome = append(t.outcome, string(o))
			var v *int64
			if c.State == report.StateNumber {
				vals = append(vals, int64(c.Value))
				v = &vals[len(vals)-1]
			}
			t.value = append(t.value, v)
		}
	}
}

func (r *Rows) addDisclosure(rec *report.Record, m *meta) {
	t := &r.disclosure
	vals := make([]float64, 0, countCells(rec.Disclosure))
	for _, it := range report.Items {
		for _, mt := range report.Metrics {
			c, ok := rec.Disclosure[it][mt]
			if !ok {
				continue
			}
			t.common.add(m)
			t.cellCols.add(c)
			t.template = append(t.template, m.template)
			t.item = append(t.item, string(it))
			t.metric = append(t.metric, string(mt))
			t.unit = append(t.unit, string(c.Unit))
			var v *float64
			if c.State == report.StateNumber {
				vals = append(vals, c.Value)
				v = &vals[len(vals)-1]
			}
			t.value = append(t.value, v)
		}
	}
}

// addFindings adds the record's findings and returns how many are errors.
func (r *Rows) addFindings(rec *report.Record, m *meta) int {
	t, errorsN := &r.findings, 0
	for i, f := range rec.Findings {
		if f.Severity == report.SeverityError {
			errorsN++
		}
		t.common.add(m)
		t.rule = append(t.rule, string(f.Rule))
		t.severity = append(t.severity, string(f.Severity))
		t.status = append(t.status, string(f.Status))
		t.scope = append(t.scope, f.Scope)
		t.seq = append(t.seq, uint16(i))
		t.cells = append(t.cells, nonNil(f.Cells))
		t.lhs = append(t.lhs, f.LHS)
		t.rhs = append(t.rhs, f.RHS)
		t.blankAsZero = append(t.blankAsZero, nonNil(f.BlankAsZero))
		t.unassessable = append(t.unassessable, nonNil(f.Unassessable))
		t.message = append(t.message, f.Message)
	}
	return errorsN
}

func countCells[K comparable, L comparable](t map[K]map[L]report.Cell) int {
	n := 0
	for _, m := range t {
		n += len(m)
	}
	return n
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
