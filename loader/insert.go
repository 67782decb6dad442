package loader

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/report"
)

// Conn is what the loader needs of a ClickHouse connection: prepared batch inserts,
// and Exec for a health check. A clickhouse-go driver.Conn has both.
type Conn interface {
	PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error)
	Exec(ctx context.Context, query string, args ...any) error
}

// RowCounts is a number of rows per table.
type RowCounts map[string]int

// Total is the number of rows over all tables.
func (c RowCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// InsertBatch converts records and rejections and inserts them, one insert per
// table, returning the rows inserted per table. It stops at the first record that
// cannot be converted (an error wrapping ErrConvert) before inserting anything.
func InsertBatch(ctx context.Context, conn Conn, recs []*report.Record, rejs []*report.Rejection) (RowCounts, error) {
	var rows Rows
	for _, r := range recs {
		if err := rows.AddRecord(r, nil); err != nil {
			return nil, err
		}
	}
	for _, r := range rejs {
		if err := rows.AddRejection(r); err != nil {
			return nil, err
		}
	}
	return rows.Insert(ctx, conn)
}

// Insert sends every non-empty table of the batch, one columnar insert per table,
// children before reports and raw_documents. It returns the rows inserted per table;
// on error some tables may have been inserted already, which is harmless: a retry
// replaces them.
func (r *Rows) Insert(ctx context.Context, conn Conn) (RowCounts, error) {
	done := RowCounts{}
	for _, t := range r.tables() {
		if t.rows == 0 {
			continue
		}
		if err := insertTable(ctx, conn, t); err != nil {
			return done, err
		}
		done[t.name] = t.rows
	}
	return done, nil
}

func insertTable(ctx context.Context, conn Conn, t table) error {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+t.name+" ("+strings.Join(names, ", ")+")")
	if err != nil {
		return fmt.Errorf("insert into %s: prepare: %w", t.name, err)
	}
	defer b.Close() // ends the INSERT when Send was not reached
	for i, c := range t.columns {
		if err := b.Column(i).Append(c.values); err != nil {
			return &ValueError{Table: t.name, Column: c.name, Err: err}
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("insert into %s: send %d rows: %w", t.name, t.rows, err)
	}
	return nil
}
