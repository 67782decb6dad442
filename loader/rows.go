package loader

import (
	"time"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
)

// column is one column of a table with its values for a batch.
type column struct {
	name   string
	values any // a slice of the column's Go type
}

// common holds the columns every fact table repeats so that GROUP BY needs no join.
type common struct {
	docID, body, level, province, city, county, township, regionCode, townshipCode []string
	version                                                                        []uint64
	year                                                                           []uint16
}

// meta is what a record contributes to the common columns.
type meta struct {
	docID, body, level, province, city, county, township, regionCode, townshipCode, template string
	version                                                                                  uint64
	year                                                                                     uint16
}

func (c *common) add(m *meta) {
	c.docID = append(c.docID, m.docID)
	c.version = append(c.version, m.version)
	c.body = append(c.body, m.body)
	c.year = append(c.year, m.year)
	c.level = append(c.level, m.level)
	c.province = append(c.province, m.province)
	c.city = append(c.city, m.city)
	c.county = append(c.county, m.county)
	c.township = append(c.township, m.township)
	c.regionCode = append(c.regionCode, m.regionCode)
	c.townshipCode = append(c.townshipCode, m.townshipCode)
}

func (c *common) columns() []column {
	return []column{
		{"doc_id", c.docID}, {"version", c.version}, {"body", c.body}, {"year", c.year}, {"level", c.level},
		{"province", c.province}, {"city", c.city}, {"county", c.county}, {"township", c.township},
		{"region_code", c.regionCode}, {"township_code", c.townshipCode},
	}
}

// cellCols are the state, raw text and provenance columns every cell table has.
type cellCols struct {
	state, raw, src []string
	byPosition      []uint8
}

func (c *cellCols) add(cell report.Cell) {
	c.state = append(c.state, string(cell.State))
	c.raw = append(c.raw, cell.Raw)
	c.src = append(c.src, cell.Src)
	c.byPosition = append(c.byPosition, boolByte(cell.ByPosition))
}

type reportRows struct {
	docID, parserVersion, sourceURL, site, body, title, level, divisionLevel, department, zone,
	province, city, county, township, regionCode, townshipCode, regionReason, template,
	contentSHA256, siteIDCode, record []string
	version                                            []uint64
	schemaVersion, year, findingsErrors, findingsTotal []uint16
	extractedAt, fetchedAt                             []time.Time
	publishedDate                                      []*time.Time
	confidence, regionConfidence                       []float32
}

func (t *reportRows) columns() []column {
	return []column{
		{"doc_id", t.docID}, {"version", t.version}, {"schema_version", t.schemaVersion},
		{"parser_version", t.parserVersion}, {"extracted_at", t.extractedAt}, {"source_url", t.sourceURL},
		{"site", t.site}, {"body", t.body}, {"title", t.title}, {"year", t.year}, {"level", t.level},
		{"division_level", t.divisionLevel}, {"department", t.department}, {"zone", t.zone},
		{"province", t.province}, {"city", t.city}, {"county", t.county}, {"township", t.township},
		{"region_code", t.regionCode}, {"township_code", t.townshipCode},
		{"region_confidence", t.regionConfidence}, {"region_reason", t.regionReason}, {"template", t.template},
		{"published_date", t.publishedDate}, {"fetched_at", t.fetchedAt}, {"content_sha256", t.contentSHA256},
		{"site_id_code", t.siteIDCode}, {"confidence", t.confidence}, {"findings_errors", t.findingsErrors},
		{"findings_total", t.findingsTotal}, {"record", t.record},
	}
}

type applicationRows struct {
	common
	cellCols
	template, row, col []string
	value              []*int64
}

func (t *applicationRows) columns() []column {
	return append(t.common.columns(),
		column{"template", t.template}, column{"row", t.row}, column{"col", t.col}, column{"state", t.state},
		column{"value", t.value}, column{"raw", t.raw}, column{"by_position", t.byPosition}, column{"src", t.src})
}

type reviewRows struct {
	common
	cellCols
	template, group, outcome []string
	value                    []*int64
}

func (t *reviewRows) columns() []column {
	return append(t.common.columns(),
		column{"template", t.template}, column{"review_group", t.group}, column{"outcome", t.outcome},
		column{"state", t.state}, column{"value", t.value}, column{"raw", t.raw},
		column{"by_position", t.byPosition}, column{"src", t.src})
}

type disclosureRows struct {
	common
	cellCols
	template, item, metric, unit []string
	value                        []*float64
}

func (t *disclosureRows) columns() []column {
	return append(t.common.columns(),
		column{"template", t.template}, column{"item", t.item}, column{"metric", t.metric},
		column{"state", t.state}, column{"value", t.value}, column{"unit", t.unit}, column{"raw", t.raw},
		column{"by_position", t.byPosition}, column{"src", t.src})
}

type findingRows struct {
	common
	rule, severity, status, scope, message []string
	seq                                    []uint16
	cells, blankAsZero, unassessable       [][]string
	lhs, rhs                               []float64
}

func (t *findingRows) columns() []column {
	return append(t.common.columns(),
		column{"rule", t.rule}, column{"severity", t.severity}, column{"status", t.status},
		column{"scope", t.scope}, column{"seq", t.seq}, column{"cells", t.cells}, column{"lhs", t.lhs},
		column{"rhs", t.rhs}, column{"blank_as_zero", t.blankAsZero}, column{"unassessable", t.unassessable},
		column{"message", t.message})
}

type rawDocumentRows struct {
	docID, url, site, kind, contentSHA256, status, reason, detail, parserVersion,
	province, city, county, township, regionCode, townshipCode []string
	version, size []uint64
	fetchedAt     []time.Time
}

func (t *rawDocumentRows) columns() []column {
	return []column{
		{"doc_id", t.docID}, {"version", t.version}, {"url", t.url}, {"site", t.site}, {"kind", t.kind},
		{"fetched_at", t.fetchedAt}, {"content_sha256", t.contentSHA256}, {"size", t.size},
		{"status", t.status}, {"reason", t.reason}, {"detail", t.detail}, {"parser_version", t.parserVersion},
		{"province", t.province}, {"city", t.city}, {"county", t.county}, {"township", t.township},
		{"region_code", t.regionCode}, {"township_code", t.townshipCode},
	}
}

// Raw document statuses (the raw_documents.status enum).
const (
	statusParsed   = "parsed"
	statusRejected = "rejected"
)

// Rows holds the rows of a batch for every table, column by column, ready for a
// columnar insert.
type Rows struct {
	reports      reportRows
	application  applicationRows
	review       reviewRows
	disclosure   disclosureRows
	findings     findingRows
	rawDocuments rawDocumentRows
}

// table is one table of a batch: its name, its columns, and its row count.
type table struct {
	name    string
	columns []column
	rows    int
}

// tables returns the batch's tables in insert order: the children first and
// reports and raw_documents last, so that the *_current views (which follow the
// report's version) never point at cells that are not there yet.
func (r *Rows) tables() []table {
	return []table{
		{warehouse.TableApplicationCells, r.application.columns(), len(r.application.docID)},
		{warehouse.TableReviewCells, r.review.columns(), len(r.review.docID)},
		{warehouse.TableDisclosureCells, r.disclosure.columns(), len(r.disclosure.docID)},
		{warehouse.TableFindings, r.findings.columns(), len(r.findings.docID)},
		{warehouse.TableReports, r.reports.columns(), len(r.reports.docID)},
		{warehouse.TableRawDocuments, r.rawDocuments.columns(), len(r.rawDocuments.docID)},
	}
}

// Len is the number of rows over all tables.
func (r *Rows) Len() int {
	n := 0
	for _, t := range r.tables() {
		n += t.rows
	}
	return n
}

// Counts returns the number of rows per table.
func (r *Rows) Counts() RowCounts {
	c := RowCounts{}
	for _, t := range r.tables() {
		c[t.name] = t.rows
	}
	return c
}
