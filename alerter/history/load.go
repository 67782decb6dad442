package history

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/report"
)

// identifier is what a database name must look like: it is pasted into SQL.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// metaQuery reads every primary report (reports_primary: one copy per body and
// year). doc_id is the sorting key of reports, so filtering on it before FINAL
// cannot let an old version through (a filter on year could, where a
// re-extraction changed the year).
func metaQuery(db string) string {
	return fmt.Sprintf(`SELECT doc_id, version, body, year, level, province, city, county, township,
    region_code, township_code, source_url, published_date, content_sha256
FROM %[1]s.reports FINAL
WHERE doc_id IN (SELECT doc_id FROM %[1]s.reports_primary)`, db)
}

// The cell tables are read without FINAL and without a subquery: each query
// groups the cells by (doc_id, version), and only the groups whose version is the
// primary copy's current one are used (Go filters them). Rows repeated in unmerged
// parts are equal and are counted once. A group's cells come as arrays printed as
// text ('[1,2,3]', toString of the array): decoding a String column is a fast
// path of the driver, an array is decoded element by element by reflection.
//
// A cell's address is sent as a number: in the figures, the 1-based indexes of its
// two codes in the table's code lists, ×256 and +, and its state (the Enum8
// number) in the three low bits; in the vectors, the token itself (see token),
// computed by the server. Cells with codes this build does not know
// are left out (an unknown code has index 0: Go skips the figures' cells, the
// vector queries filter them).

// cellTable is one of the three cell tables: its name, the two columns that
// address a cell with their known codes, the prefix of its addresses in messages,
// and the base of its address numbers.
type cellTable struct {
	name, k1, k2   string
	codes1, codes2 []string
	prefix         byte
	base           uint16
}

var cellTables = func() []cellTable {
	ts := []cellTable{
		{name: "application_cells", k1: "row", k2: "col", codes1: codes(report.AllRows), codes2: codes(report.Cols), prefix: 'a'},
		{name: "review_cells", k1: "review_group", k2: "outcome", codes1: codes(report.ReviewGroups), codes2: codes(report.Outcomes), prefix: 'r'},
		{name: "disclosure_cells", k1: "item", k2: "metric", codes1: codes(report.Items), codes2: codes(report.Metrics), prefix: 'd'},
	}
	base := uint16(0)
	for i := range ts {
		ts[i].base = base
		base += uint16(len(ts[i].codes1) * len(ts[i].codes2))
	}
	return ts
}()

func codes[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// addr returns the number of the cell at the 1-based code indexes i1, i2.
func (t *cellTable) addr(i1, i2 int) uint16 {
	return t.base + uint16((i1-1)*len(t.codes2)+(i2-1)) + 1
}

// decode splits a cell code sent by the queries into its code indexes; ok is false
// for an index out of range.
func (t *cellTable) decode(code uint64) (i1, i2 int, ok bool) {
	i1, i2 = int(code/256), int(code%256)
	return i1, i2, i1 >= 1 && i1 <= len(t.codes1) && i2 >= 1 && i2 <= len(t.codes2)
}

// cellCode is the SQL of a cell's code in table t: index1 × 256 + index2.
func (t *cellTable) cellCode() string {
	return fmt.Sprintf("indexOf([%s], %s) * 256 + indexOf([%s], %s)", quoted(t.codes1), t.k1, quoted(t.codes2), t.k2)
}

// addrSQL is the SQL of a cell's address number in table t (see addr).
func (t *cellTable) addrSQL() string {
	return fmt.Sprintf("toUInt64(indexOf([%s], %s) * %d + indexOf([%s], %s) + %d) - %d",
		quoted(t.codes1), t.k1, len(t.codes2), quoted(t.codes2), t.k2, t.base, len(t.codes2))
}

// known is the SQL condition that a cell's codes are known.
func (t *cellTable) known() string {
	return fmt.Sprintf("%s IN (%s) AND %s IN (%s)", t.k1, quoted(t.codes1), t.k2, quoted(t.codes2))
}

// figuresQuery reads, for the reports of years, the application cells R5 and the
// jump and peer rules read — the carry-over rows in every column, received,
// granted and processed in the total column: per (doc_id, version), the cells'
// codes with their states, and their values (0 when NULL).
func figuresQuery(db string, years []int) string {
	t := &cellTables[0]
	return fmt.Sprintf(`SELECT doc_id, version, toString(groupArray((%[3]s) * 8 + toUInt64(toInt8(state)))),
    toString(groupArray(ifNull(value, 0)))
FROM %[1]s.application_cells
WHERE year IN (%[2]s)
    AND (row IN ('carried_over', 'carried_forward') OR col = 'total' AND row IN ('new_received', 'granted', 'total'))
GROUP BY doc_id, version`, db, intList(years), t.cellCode())
}

// stockQuery reads, for the reports of years, the disclosure cells R6 reads.
func stockQuery(db string, years []int) string {
	t := &cellTables[2]
	return fmt.Sprintf(`SELECT doc_id, version, toString(groupArray((%[3]s) * 8 + toUInt64(toInt8(state)))),
    toString(groupArray(ifNull(value, 0)))
FROM %[1]s.disclosure_cells
WHERE year IN (%[2]s) AND item IN (%[4]s) AND metric IN (%[5]s)
GROUP BY doc_id, version`, db, intList(years), t.cellCode(), quoted(stockItems[:]), quoted(stockMetrics[:]))
}

// nonEmpty selects the cells that carry something: non-zero numbers and text.
const nonEmpty = "(state = 'text' OR (state = 'number' AND value != 0))"

// vectorQuery reads the non-empty cells of table t of every report: per (doc_id,
// version), their tokens — the address in the high 16 bits, below it 48 bits of
// the hash of the text or of the value (+ 0 makes −0 and 0 one value).
func vectorQuery(db string, t cellTable) string {
	return fmt.Sprintf(`SELECT doc_id, version, toString(groupArray(bitOr(bitShiftLeft(%[3]s, 48),
    bitAnd(if(state = 'text', cityHash64(raw), cityHash64(toFloat64(ifNull(value, 0)) + 0)), %[4]d))))
FROM %[1]s.%[2]s
WHERE %[5]s AND %[6]s
GROUP BY doc_id, version`, db, t.name, t.addrSQL(), uint64(1)<<valueBits-1, nonEmpty, t.known())
}

// cellsQuery reads the non-empty cells of table t of some reports (their doc_ids
// bound as a clickhouse.GroupSet), with their texts.
func cellsQuery(db string, t cellTable) string {
	return fmt.Sprintf(`SELECT doc_id, version, %[2]s, %[3]s, toFloat64(ifNull(value, 0)), if(state = 'text', raw, '')
FROM %[1]s.%[4]s
WHERE doc_id IN ? AND `+nonEmpty, db, t.k1, t.k2, t.name)
}

func intList(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// quoted lists codes as SQL string literals. Codes are canonical identifiers
// (letters, digits, '_' and '.'), never user input.
func quoted[T ~string](codes []T) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = "'" + string(c) + "'"
	}
	return strings.Join(s, ", ")
}

// query runs q and calls scan for every row, then checks the rows' error.
func query(ctx context.Context, q Querier, sql string, scan func(driver.Rows) error, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// interner shares the strings many rows repeat (provinces, levels, bodies).
type interner map[string]string

func (in interner) of(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

// loadDocs reads every primary report.
func loadDocs(ctx context.Context, q Querier, db string) (*dataset, error) {
	ds := &dataset{byID: map[string]*doc{}, byBodyYear: map[bodyYear]*doc{}}
	in := interner{}
	var (
		id, body, level, province, city, county, township, code, townshipCode, url, sha string
		version                                                                         uint64
		year                                                                            uint16
		published                                                                       *time.Time
	)
	err := query(ctx, q, metaQuery(db), func(rows driver.Rows) error {
		if err := rows.Scan(&id, &version, &body, &year, &level, &province, &city, &county, &township,
			&code, &townshipCode, &url, &published, &sha); err != nil {
			return err
		}
		d := &doc{
			id: id, version: version, body: in.of(body), bodyKey: in.of(bodyKey(body)), year: int(year), level: report.Level(in.of(level)),
			region: report.Region{Province: in.of(province), City: in.of(city), County: in.of(county),
				Township: in.of(township), Code: in.of(code), TownshipCode: townshipCode},
			sourceURL: url, sha: sha,
		}
		if published != nil {
			p := published.UTC()
			d.published = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
		}
		ds.docs = append(ds.docs, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read reports: %w", err)
	}
	sort.Slice(ds.docs, func(i, j int) bool { return docLess(ds.docs[i], ds.docs[j]) })
	for _, d := range ds.docs {
		ds.byID[d.id] = d
		if d.bodyKey != "" && d.year > 0 {
			ds.byBodyYear[bodyYear{d.bodyKey, d.year}] = d
		}
		if n := len(ds.years); n == 0 || ds.years[n-1] != d.year {
			ds.years = append(ds.years, d.year)
		}
	}
	return ds, nil
}

// docLess orders reports by year, body and doc_id.
func docLess(a, b *doc) bool {
	if a.year != b.year {
		return a.year < b.year
	}
	if a.body != b.body {
		return a.body < b.body
	}
	return a.id < b.id
}

// current returns the primary report a group of cells belongs to: the report
// with that doc_id whose current version is version; nil for cells of another
// copy or version.
func (d *dataset) current(id string, version uint64) *doc {
	if x := d.byID[id]; x != nil && x.version == version {
		return x
	}
	return nil
}

// loadFigures reads the cells the rules read for the reports of years.
func loadFigures(ctx context.Context, q Querier, db string, ds *dataset, years []int) error {
	if len(years) == 0 {
		return nil
	}
	want := map[int]bool{}
	for _, y := range years {
		want[y] = true
	}
	for _, d := range ds.docs {
		if want[d.year] {
			d.fig = &figures{}
		}
	}
	var (
		id, codeText, valueText string
		version                 uint64
		codes                   []uint64
		values                  []float64
	)
	// read decodes the current group's arrays; nil when the group is not a
	// primary report of the years.
	read := func(rows driver.Rows) (*doc, error) {
		if err := rows.Scan(&id, &version, &codeText, &valueText); err != nil {
			return nil, err
		}
		d := ds.current(id, version)
		if d == nil || d.fig == nil {
			return nil, nil
		}
		var err error
		if codes, err = parseArray(codes[:0], codeText, parseUint); err != nil {
			return nil, fmt.Errorf("report %s: %w", id, err)
		}
		if values, err = parseArray(values[:0], valueText, parseFloat); err != nil {
			return nil, fmt.Errorf("report %s: %w", id, err)
		}
		if len(values) != len(codes) {
			return nil, fmt.Errorf("report %s: %d codes, %d values", id, len(codes), len(values))
		}
		return d, nil
	}
	app, disc := &cellTables[0], &cellTables[2]
	err := query(ctx, q, figuresQuery(db, years), func(rows driver.Rows) error {
		d, err := read(rows)
		if d == nil {
			return err
		}
		for i, code := range codes {
			if r, c, ok := app.decode(code >> 3); ok {
				d.fig.setApplication(report.Row(app.codes1[r-1]), c-1, cell{state: cellState(code & 7), value: values[i]})
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read application figures: %w", err)
	}
	err = query(ctx, q, stockQuery(db, years), func(rows driver.Rows) error {
		d, err := read(rows)
		if d == nil {
			return err
		}
		for i, code := range codes {
			it, mt, ok := disc.decode(code >> 3)
			if !ok {
				continue
			}
			si := slices.Index(stockItems[:], report.Item(disc.codes1[it-1]))
			sm := slices.Index(stockMetrics[:], report.Metric(disc.codes2[mt-1]))
			if si >= 0 && sm >= 0 {
				d.fig.stock[si][sm] = cell{state: cellState(code & 7), value: values[i]}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read disclosure figures: %w", err)
	}
	return nil
}

// setApplication stores an application cell the rules read; col is the index in
// report.Cols.
func (f *figures) setApplication(row report.Row, col int, c cell) {
	total := report.Cols[col] == report.ColTotal
	switch {
	case row == report.RowCarriedOver:
		f.carriedOver[col] = c
	case row == report.RowCarriedForward:
		f.carriedForward[col] = c
	case row == report.RowNewReceived && total:
		f.received = c
	case row == report.RowGranted && total:
		f.granted = c
	case row == report.RowTotal && total:
		f.processed = c
	}
}

// loadVectors streams, table by table, the non-empty cells of every primary
// report to fn as tokens (fn must not keep the slice). A report's tables arrive in
// separate calls.
func loadVectors(ctx context.Context, q Querier, db string, ds *dataset, fn func(d *doc, tokens []token)) error {
	var (
		id, text string
		version  uint64
		buf      []token
	)
	for i := range cellTables {
		t := &cellTables[i]
		err := query(ctx, q, vectorQuery(db, *t), func(rows driver.Rows) error {
			if err := rows.Scan(&id, &version, &text); err != nil {
				return err
			}
			d := ds.current(id, version)
			if d == nil {
				return nil
			}
			var err error
			if buf, err = parseArray(buf[:0], text, parseUint); err != nil {
				return fmt.Errorf("report %s: %w", id, err)
			}
			fn(d, buf)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", t.name, err)
		}
	}
	return nil
}

// loadCells reads the non-empty cells of a few reports: by report, the value (as
// report.Cell.String renders it) by address with its table prefix ("a", "r", "d").
func loadCells(ctx context.Context, q Querier, db string, ds *dataset, ids []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		set := clickhouse.GroupSet{}
		for _, id := range ids[start:min(start+chunk, len(ids))] {
			set.Value = append(set.Value, id)
		}
		for _, t := range cellTables {
			var (
				id, k1, k2, text string
				version          uint64
				value            float64
			)
			err := query(ctx, q, cellsQuery(db, t), func(rows driver.Rows) error {
				if err := rows.Scan(&id, &version, &k1, &k2, &value, &text); err != nil {
					return err
				}
				if ds.current(id, version) == nil {
					return nil
				}
				m := out[id]
				if m == nil {
					m = map[string]string{}
					out[id] = m
				}
				v := formatNum(value)
				if text != "" {
					v = report.Text(text).String()
				}
				m[string(t.prefix)+k1+"."+k2] = v
				return nil
			}, set)
			if err != nil {
				return nil, fmt.Errorf("read cells of %s: %w", t.name, err)
			}
		}
	}
	return out, nil
}
