package loader

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// ValueError marks a value the ClickHouse client could not encode for its column:
// the batch's data is at fault, not the server.
type ValueError struct {
	Table, Column string
	Err           error
}

// Error names the table and column the value was for.
func (e *ValueError) Error() string {
	return fmt.Sprintf("insert into %s: column %s: %v", e.Table, e.Column, e.Err)
}

// Unwrap returns the client's error.
func (e *ValueError) Unwrap() error { return e.Err }

// Server error codes that say nothing about the rows: the server, the schema or the
// access rights are at fault, and a retry later may succeed. A batch that fails with
// one is retried whole.
var unavailableCodes = map[int32]bool{
	3: true, 16: true, 47: true, 60: true, 81: true, 159: true, 164: true, 173: true, 192: true,
	193: true, 194: true, 202: true, 209: true, 210: true, 225: true, 236: true, 241: true,
	242: true, 243: true, 252: true, 285: true, 286: true, 291: true, 319: true, 394: true,
	425: true, 497: true, 516: true, 999: true,
}

// Server error codes that blame a value (throwIf, type mismatches, parse errors,
// values out of range, constraints): a record that fails alone with one is rejected
// at once.
var valueCodes = map[int32]bool{
	6: true, 27: true, 36: true, 38: true, 41: true, 43: true, 53: true, 69: true, 70: true,
	72: true, 117: true, 131: true, 190: true, 321: true, 349: true, 395: true, 469: true,
}

// errorClass says whom an insert error blames.
type errorClass int

const (
	// classUnavailable: the connection or the server (retry the whole batch later).
	classUnavailable errorClass = iota
	// classValue: a value of the batch (find the record and reject it).
	classValue
	// classUnknown: a server error that may blame the data: find the record, but
	// reject it only when the rest of its batch loads.
	classUnknown
)

func classify(err error) errorClass {
	var ve *ValueError
	if errors.As(err, &ve) {
		return classValue
	}
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) {
		return classUnavailable // network, timeout, closed connection
	}
	switch {
	case unavailableCodes[ex.Code]:
		return classUnavailable
	case valueCodes[ex.Code]:
		return classValue
	}
	return classUnknown
}

// rejected is a message ClickHouse would not take when inserted alone.
type rejected struct {
	entry
	err error
}

// isolation is what inserting a failed batch part by part found.
type isolation struct {
	loaded   []entry    // inserted and acknowledged
	rejected []rejected // failed alone
	rest     []entry    // not tried: the server became unavailable, or nothing loads at all
	counts   RowCounts
	cause    error // the error that stopped the search, if any
}

// isolate inserts the entries of a batch that failed as a whole in halves, recursively,
// acknowledging every part that loads, until each failure is narrowed to one
// message. It stops when the server turns out to be unavailable, or when several
// messages failed alone and none loaded (the table is gone, say: then nothing
// would load, and narrowing further would cost an insert per message).
func (l *Loader) isolate(ctx context.Context, entries []entry, timeout time.Duration) *isolation {
	iso := &isolation{counts: RowCounts{}}
	mid := len(entries) / 2
	l.insertPart(ctx, entries[:mid], timeout, iso)
	l.insertPart(ctx, entries[mid:], timeout, iso)
	return iso
}

// maxBlindRejects is how many messages may fail alone before any loads.
const maxBlindRejects = 2

func (l *Loader) insertPart(ctx context.Context, part []entry, timeout time.Duration, iso *isolation) {
	if len(part) == 0 {
		return
	}
	if iso.cause != nil || len(iso.loaded) == 0 && len(iso.rejected) >= maxBlindRejects {
		iso.rest = append(iso.rest, part...)
		return
	}
	var rows Rows
	for _, e := range part {
		if err := e.addTo(&rows); err != nil { // checked when it was added to the batch
			iso.rejected = append(iso.rejected, rejected{e, err})
			return
		}
	}
	ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	counts, err := rows.Insert(ictx, l.conn)
	cancel()
	if err == nil {
		l.ack(part)
		iso.loaded = append(iso.loaded, part...)
		for t, n := range counts {
			iso.counts[t] += n
		}
		return
	}
	if classify(err) == classUnavailable {
		iso.cause = err
		iso.rest = append(iso.rest, part...)
		return
	}
	if len(part) == 1 {
		iso.rejected = append(iso.rejected, rejected{part[0], err})
		return
	}
	mid := len(part) / 2
	l.insertPart(ctx, part[:mid], timeout, iso)
	l.insertPart(ctx, part[mid:], timeout, iso)
}
