package history

import (
	"sort"
	"strconv"
	"time"

	"github.com/govreport/govreport/pkg/regions"
	"github.com/govreport/govreport/pkg/report"
)

// cellState is a cell's state as the cell tables store it (the numbers of their
// Enum8 state); stateAbsent means the table has no row for the cell.
type cellState uint8

const (
	stateAbsent cellState = iota
	stateNumber
	stateBlank
	stateText
	stateMissing
)

// cell is one value a rule reads.
type cell struct {
	state cellState
	value float64
}

// num returns the value for arithmetic: the number, or 0 for a blank. ok is false
// for text, missing and absent cells, which make a rule not assessable.
func (c cell) num() (v float64, ok bool) {
	switch c.state {
	case stateNumber:
		return c.value, true
	case stateBlank:
		return 0, true
	}
	return 0, false
}

// String renders the cell for an alert's CellValues, as report.Cell does.
func (c cell) String() string {
	switch c.state {
	case stateNumber:
		return formatNum(c.value)
	case stateBlank:
		return "blank"
	case stateText:
		return "text"
	case stateMissing:
		return "missing"
	}
	return "absent"
}

// formatNum prints a count or an amount without exponent or trailing zeros.
func formatNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// doc is the primary copy of one report (one row of reports_primary).
type doc struct {
	id      string
	version uint64
	// body is the body as the report names itself; bodyKey the name as bodies are
	// matched across years (see bodyKey): a body whose page was in traditional
	// characters one year and simplified the next is one body.
	body, bodyKey string
	year          int
	level         report.Level
	region        report.Region
	sourceURL     string
	// published is the publication date (UTC midnight), zero when unknown.
	published time.Time
	sha       string
	// fig holds the cells the rules read; nil when the report's year was not loaded.
	fig *figures
}

// figures are the cells of one report the R5, R6, jump and peer rules read.
type figures struct {
	carriedOver, carriedForward  [7]cell // per report.Cols
	received, granted, processed cell    // new_received, granted and total, column total
	stock                        [2][3]cell
}

// Stock items and metrics in the order of figures.stock.
var (
	stockItems   = [2]report.Item{report.ItemRegulations, report.ItemNormativeDocs}
	stockMetrics = [3]report.Metric{report.MetricIssued, report.MetricRepealed, report.MetricInForce}
)

// evidenceVersion names a document's version for an alert ID: its content hash, or
// its extraction version when the hash is unknown.
func (d *doc) evidenceVersion() string {
	if d.sha != "" {
		return d.id + "@" + d.sha
	}
	return d.id + "@v" + strconv.FormatUint(d.version, 10)
}

// bodyYear identifies a report.
type bodyYear struct {
	body string
	year int
}

// dataset is every primary report, and the figures of the years the rules read.
type dataset struct {
	docs       []*doc // sorted by year, body, doc_id
	byID       map[string]*doc
	byBodyYear map[bodyYear]*doc
	years      []int // the years with reports, ascending
}

// get returns a body's report for a year, or nil; body is a bodyKey.
func (d *dataset) get(body string, year int) *doc { return d.byBodyYear[bodyYear{body, year}] }

// bodyKey is the name bodies are matched by across years: full-width forms folded,
// spaces dropped and the traditional characters of division names and body words
// made simplified (pkg/regions' normalization). Without the division table the
// name is matched as it is.
func bodyKey(name string) string {
	t, err := regions.Default()
	if err != nil {
		return name
	}
	return t.Normalize(name)
}

// inYear returns the reports of a year, in (body, doc_id) order.
func (d *dataset) inYear(year int) []*doc {
	lo := sort.Search(len(d.docs), func(i int) bool { return d.docs[i].year >= year })
	hi := sort.Search(len(d.docs), func(i int) bool { return d.docs[i].year > year })
	return d.docs[lo:hi]
}
