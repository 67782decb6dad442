package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse/warehousetest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// openWarehouse returns a connection to a fresh migrated database of its own on
// the shared test server, and the database's name.
func openWarehouse(t testing.TB) (driver.Conn, string) { return warehousetest.Open(t, nil) }

// rows holds the rows of reports and of the three cell tables for some records,
// column by column, with the columns the migrations define (an explicit list:
// columns added later keep their defaults).
type rows struct {
	reports             reportCols
	application, review countCols
	disclosure          amountCols
}

type reportCols struct {
	docID, parserVersion, sourceURL, site, body, title, level, province, city, county,
	township, regionCode, townshipCode, template, contentSHA256, siteIDCode, record []string
	version                                            []uint64
	schemaVersion, year, findingsErrors, findingsTotal []uint16
	extractedAt, fetchedAt                             []time.Time
	publishedDate                                      []*time.Time
	confidence                                         []float32
}

// cellCols are the columns every cell table has.
type cellCols struct {
	docID, body, level, province, city, county, regionCode, template, k1, k2, state, raw, src []string
	version                                                                                   []uint64
	year                                                                                      []uint16
	byPosition                                                                                []uint8
}

type countCols struct {
	cellCols
	value []*int64
}

type amountCols struct {
	cellCols
	value []*float64
	unit  []string
}

func (c *cellCols) add(rec *report.Record, k1, k2 string, cell report.Cell) {
	m := rec.Meta
	c.docID = append(c.docID, m.DocID)
	c.version = append(c.version, rec.Version())
	c.body = append(c.body, m.Body)
	c.year = append(c.year, uint16(m.Year))
	c.level = append(c.level, string(m.Level))
	c.province = append(c.province, m.Region.Province)
	c.city = append(c.city, m.Region.City)
	c.county = append(c.county, m.Region.County)
	c.regionCode = append(c.regionCode, m.Region.Code)
	c.template = append(c.template, string(rec.Template))
	c.k1 = append(c.k1, k1)
	c.k2 = append(c.k2, k2)
	c.state = append(c.state, string(cell.State))
	c.raw = append(c.raw, cell.Raw)
	c.src = append(c.src, cell.Src)
	var bp uint8
	if cell.ByPosition {
		bp = 1
	}
	c.byPosition = append(c.byPosition, bp)
}

func (c *cellCols) columns(k1, k2 string) []any {
	return []any{c.docID, c.version, c.body, c.year, c.level, c.province, c.city, c.county, c.regionCode,
		c.template, c.k1, c.k2, c.state, c.raw, c.byPosition, c.src}
}

const cellColumnList = "doc_id, version, body, year, level, province, city, county, region_code, template, %s, %s, state, raw, by_position, src"

// add appends a record's rows.
func (r *rows) add(rec *report.Record) {
	m := rec.Meta
	t := &r.reports
	t.docID = append(t.docID, m.DocID)
	t.version = append(t.version, rec.Version())
	t.schemaVersion = append(t.schemaVersion, uint16(rec.Schema))
	t.parserVersion = append(t.parserVersion, m.ParserVersion)
	t.extractedAt = append(t.extractedAt, m.ExtractedAt.UTC().Truncate(time.Second))
	t.sourceURL = append(t.sourceURL, m.SourceURL)
	t.site = append(t.site, m.Site)
	t.body = append(t.body, m.Body)
	t.title = append(t.title, m.Title)
	t.year = append(t.year, uint16(m.Year))
	t.level = append(t.level, string(m.Level))
	t.province = append(t.province, m.Region.Province)
	t.city = append(t.city, m.Region.City)
	t.county = append(t.county, m.Region.County)
	t.township = append(t.township, m.Region.Township)
	t.regionCode = append(t.regionCode, m.Region.Code)
	t.townshipCode = append(t.townshipCode, m.Region.TownshipCode)
	t.template = append(t.template, string(rec.Template))
	var pub *time.Time
	if m.PublishedAt != "" {
		d, err := time.Parse(time.DateOnly, m.PublishedAt)
		if err != nil {
			panic(err)
		}
		pub = &d
	}
	t.publishedDate = append(t.publishedDate, pub)
	t.fetchedAt = append(t.fetchedAt, time.Unix(0, 0).UTC())
	t.contentSHA256 = append(t.contentSHA256, m.ContentSHA256)
	t.siteIDCode = append(t.siteIDCode, m.SiteIDCode)
	t.confidence = append(t.confidence, float32(rec.Confidence))
	t.findingsErrors = append(t.findingsErrors, 0)
	t.findingsTotal = append(t.findingsTotal, uint16(len(rec.Findings)))
	t.record = append(t.record, "{}")
	for _, row := range report.AllRows {
		for _, col := range report.Cols {
			if c, ok := rec.Applications[row][col]; ok {
				r.application.add(rec, string(row), string(col), c)
				r.application.value = append(r.application.value, intValue(c))
			}
		}
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			if c, ok := rec.Review[g][o]; ok {
				r.review.add(rec, string(g), string(o), c)
				r.review.value = append(r.review.value, intValue(c))
			}
		}
	}
	for _, it := range report.Items {
		for _, mt := range report.Metrics {
			if c, ok := rec.Disclosure[it][mt]; ok {
				r.disclosure.add(rec, string(it), string(mt), c)
				var v *float64
				if c.State == report.StateNumber {
					x := c.Value
					v = &x
				}
				r.disclosure.value = append(r.disclosure.value, v)
				r.disclosure.unit = append(r.disclosure.unit, string(c.Unit))
			}
		}
	}
}

func intValue(c report.Cell) *int64 {
	if c.State != report.StateNumber {
		return nil
	}
	v := int64(c.Value)
	return &v
}

// insert sends the rows, one columnar insert per table.
func (r *rows) insert(ctx context.Context, conn driver.Conn, db string) error {
	t := &r.reports
	if err := insertColumns(ctx, conn, db+".reports", `doc_id, version, schema_version, parser_version, extracted_at,
		source_url, site, body, title, year, level, province, city, county, township, region_code, township_code,
		template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors,
		findings_total, record`, []any{t.docID, t.version, t.schemaVersion, t.parserVersion, t.extractedAt,
		t.sourceURL, t.site, t.body, t.title, t.year, t.level, t.province, t.city, t.county, t.township,
		t.regionCode, t.townshipCode, t.template, t.publishedDate, t.fetchedAt, t.contentSHA256, t.siteIDCode,
		t.confidence, t.findingsErrors, t.findingsTotal, t.record}); err != nil {
		return err
	}
	a := &r.application
	if err := insertColumns(ctx, conn, db+".application_cells", fmt.Sprintf(cellColumnList, "row", "col")+", value",
		append(a.columns("row", "col"), a.value)); err != nil {
		return err
	}
	v := &r.review
	if err := insertColumns(ctx, conn, db+".review_cells", fmt.Sprintf(cellColumnList, "review_group", "outcome")+", value",
		append(v.columns("review_group", "outcome"), v.value)); err != nil {
		return err
	}
	d := &r.disclosure
	return insertColumns(ctx, conn, db+".disclosure_cells", fmt.Sprintf(cellColumnList, "item", "metric")+", value, unit",
		append(d.columns("item", "metric"), d.value, d.unit))
}

func insertColumns(ctx context.Context, conn driver.Conn, table, columns string, values []any) error {
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+table+" ("+columns+")")
	if err != nil {
		return fmt.Errorf("prepare %s: %w", table, err)
	}
	defer b.Close()
	for i, v := range values {
		if err := b.Column(i).Append(v); err != nil {
			return fmt.Errorf("%s column %d: %w", table, i, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

// load inserts records into the test database.
func load(t testing.TB, conn driver.Conn, db string, recs ...*report.Record) {
	t.Helper()
	var r rows
	for _, rec := range recs {
		r.add(rec)
	}
	if err := r.insert(context.Background(), conn, db); err != nil {
		t.Fatal(err)
	}
}

// fixtureTime is the extraction time of fixture records (their version).
var fixtureTime = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

// newRecord returns a consistent report of body for year with every cell of its
// template at 0: template 2019 before 2021, 2021 from then. Its document ID,
// source URL and content hash derive from body and year.
func newRecord(body string, year int, level report.Level, province string) *report.Record {
	r := report.New()
	r.Template = report.Template2021
	if year < 2021 {
		r.Template = report.Template2019
	}
	for _, row := range report.Rows(r.Template) {
		for _, c := range report.Cols {
			r.Applications.Set(row, c, report.Number(0))
		}
	}
	for _, g := range report.ReviewGroups {
		for _, o := range report.Outcomes {
			r.Review.Set(g, o, report.Number(0))
		}
	}
	for _, im := range report.DisclosureLayout(r.Template) {
		r.Disclosure.Set(im.Item, im.Metric, report.Number(0))
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d", body, year)))
	id := hex.EncodeToString(sum[:16])
	r.Meta = report.Meta{
		DocID: id, SourceURL: "http://www.example.gov.cn/" + id + ".html", Body: body, Year: year, Level: level,
		Region:        report.Region{Province: province, City: "某市", County: "某县", Code: "110101"},
		PublishedAt:   fmt.Sprintf("%d-01-15", year+1),
		ContentSHA256: hex.EncodeToString(sum[16:]), ParserVersion: "test", ExtractedAt: fixtureTime,
	}
	r.Confidence = 1
	return r
}

// setApp sets an application cell to a number.
func setApp(r *report.Record, row report.Row, col report.Col, v float64) {
	r.Applications.Set(row, col, report.Number(v))
}

// setReceived makes a consistent table of n requests by natural persons, granted
// g of them and the rest not held (无法提供).
func setReceived(r *report.Record, n, g float64) {
	for _, c := range []report.Col{report.ColNaturalPerson, report.ColTotal} {
		setApp(r, report.RowNewReceived, c, n)
		setApp(r, report.RowGranted, c, g)
		setApp(r, report.RowUnableNotHeld, c, n-g)
		setApp(r, report.RowTotal, c, n)
	}
}
