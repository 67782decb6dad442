package warehouse

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Result is a query's answer with every value rendered as text.
type Result struct {
	// Columns are the column names; Types their ClickHouse types.
	Columns []string
	Types   []string
	// Rows hold the values as text, ClickHouse style: numbers as written, dates as
	// YYYY-MM-DD, date-times as YYYY-MM-DD hh:mm:ss in the column's time zone, arrays
	// as ['a','b'], tuples as (1,'x'), NULL as "NULL" (see IsNull).
	Rows [][]string

	nulls [][]bool
}

// IsNull reports whether the value at row i, column j is NULL (its text is "NULL",
// which a string could also be).
func (r *Result) IsNull(i, j int) bool { return r.nulls[i][j] }

// Query runs any SELECT-like statement and returns its columns and rows as text,
// whatever the column types. args bind the statement's ? placeholders (quoted by
// the driver).
func Query(ctx context.Context, conn driver.Conn, sql string, args ...any) (*Result, error) {
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	cts := rows.ColumnTypes()
	res := &Result{Columns: rows.Columns(), Types: make([]string, len(cts))}
	dest := make([]any, len(cts))
	for i, ct := range cts {
		res.Types[i] = ct.DatabaseTypeName()
		st := ct.ScanType()
		if st == nil { // Nullable(Nothing): the type of SELECT NULL
			st = reflect.TypeOf((*any)(nil)).Elem()
		}
		dest[i] = reflect.New(st).Interface()
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("query: scan row %d: %w", len(res.Rows)+1, err)
		}
		row := make([]string, len(dest))
		nulls := make([]bool, len(dest))
		for i, d := range dest {
			v := reflect.ValueOf(d).Elem()
			nulls[i] = isNil(v)
			row[i] = formatValue(v, res.Types[i], false)
		}
		res.Rows = append(res.Rows, row)
		res.nulls = append(res.nulls, nulls)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return res, nil
}

func isNil(v reflect.Value) bool {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	return false
}

// unwrapType removes the wrappers that do not change how a value is written.
func unwrapType(t string) string {
	for _, w := range []string{"Nullable(", "LowCardinality(", "SimpleAggregateFunction("} {
		for strings.HasPrefix(t, w) && strings.HasSuffix(t, ")") {
			t = t[len(w) : len(t)-1]
		}
	}
	return t
}

// innerType returns the element type of Array(T), or "".
func innerType(t string) string {
	t = unwrapType(t)
	if strings.HasPrefix(t, "Array(") && strings.HasSuffix(t, ")") {
		return t[len("Array(") : len(t)-1]
	}
	return ""
}

// formatValue renders a scanned value. Nested strings are quoted, as ClickHouse
// prints them inside arrays and tuples.
func formatValue(v reflect.Value, chType string, nested bool) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "NULL"
		}
		v = v.Elem()
	}
	t := unwrapType(chType)
	switch x := v.Interface().(type) {
	case time.Time:
		return quoteIf(formatTime(x, t), nested)
	case big.Int:
		return x.String()
	case fmt.Stringer:
		return quoteIf(x.String(), nested && v.Kind() != reflect.Struct)
	}
	switch v.Kind() {
	case reflect.String:
		return quoteIf(v.String(), nested)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return formatFloat(v.Float(), 32)
	case reflect.Float64:
		return formatFloat(v.Float(), 64)
	case reflect.Slice, reflect.Array:
		open, close, elem := "[", "]", innerType(t)
		if strings.HasPrefix(t, "Tuple(") {
			open, close, elem = "(", ")", ""
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i), elem, true)
		}
		return open + strings.Join(parts, ",") + close
	case reflect.Map:
		keys := v.MapKeys()
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = formatValue(k, "", true) + ":" + formatValue(v.MapIndex(k), "", true)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprint(v.Interface())
}

func formatTime(x time.Time, chType string) string {
	switch {
	case strings.HasPrefix(chType, "DateTime64("):
		digits := 3
		if p := strings.TrimPrefix(chType, "DateTime64("); len(p) > 0 && p[0] >= '0' && p[0] <= '9' {
			digits = int(p[0] - '0')
		}
		layout := "2006-01-02 15:04:05"
		if digits > 0 {
			layout += "." + strings.Repeat("0", digits)
		}
		return x.Format(layout)
	case strings.HasPrefix(chType, "Date") && !strings.HasPrefix(chType, "DateTime"):
		return x.Format("2006-01-02")
	}
	return x.Format("2006-01-02 15:04:05")
}

func formatFloat(f float64, bits int) string {
	switch {
	case f != f:
		return "nan"
	case f > 0 && f*0 != 0:
		return "inf"
	case f < 0 && f*0 != 0:
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

func quoteIf(s string, quote bool) string {
	if !quote {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
