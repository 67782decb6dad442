package loader

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/nats-io/nats.go/jetstream"
)

// backlogRecords is the size of the backlog BenchmarkBacklog loads.
const backlogRecords = 20_000

// BenchmarkBacklog measures the loader working through a backlog of 20,000 records
// (template 2021, every cell filled) in the PARSED stream, next to clickhouse-client
// inserting the same rows of every table from TSV files into the same server (the
// practical ceiling). It reports application cells per second for both and the
// loader's share of the client's rate. Run it alone:
//
//	go test ./loader -run '^$' -bench BenchmarkBacklog -benchtime 1x
func BenchmarkBacklog(b *testing.B) {
	if os.Getenv("GOVREPORT_BENCH_BACKLOG") == "" {
		b.Skip("minutes long and ~10 GB of memory: run it with make bench-backlog")
	}
	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		b.Skip("no clickhouse-client in PATH")
	}
	srv := chtest.Shared(b)
	recs := make([]*report.Record, backlogRecords)
	raws := make([][]byte, backlogRecords)
	for i := range recs {
		recs[i] = testRecord(fmt.Sprintf("backlog-%05d", i), report.Template2021, t0, i)
		if raws[i], err = recs[i].Marshal(); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		// The loader: the backlog is in the stream before it starts.
		conn := openWarehouse(b, srv)
		bs := openBus(b)
		ctx := context.Background()
		for i := 0; i < len(recs); i += 500 {
			var fs []jetstream.PubAckFuture
			for j := i; j < min(i+500, len(recs)); j++ {
				f, err := bs.JS.PublishAsync(bus.ParsedSubject(recs[j].Meta.Region.ProvinceCode()), raws[j])
				if err != nil {
					b.Fatal(err)
				}
				fs = append(fs, f)
			}
			for _, f := range fs {
				select {
				case <-f.Ok():
				case err := <-f.Err():
					b.Fatal(err)
				case <-ctx.Done():
				}
			}
		}
		l, stop := runLoader(b, DefaultConfig(), bs.JS, conn, nil)
		began := time.Now()
		waitFor(b, "the backlog", 10*time.Minute, func() bool { return l.Stats().Records == backlogRecords })
		loaderTook := time.Since(began)
		stop()
		cells := l.Stats().Rows[warehouse.TableApplicationCells]
		b.Logf("loader: %d application cells in %s", cells, loaderTook.Round(time.Millisecond))

		// clickhouse-client: the same rows, one INSERT … FORMAT TabSeparated per
		// table from a file, into a fresh database on the same server.
		var rows Rows
		for i, r := range recs {
			if err := rows.AddRecord(r, raws[i]); err != nil {
				b.Fatal(err)
			}
		}
		dir := b.TempDir()
		files, err := writeTSV(dir, &rows)
		if err != nil {
			b.Fatal(err)
		}
		cconn := openWarehouse(b, srv)
		var db string
		if err := cconn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&db); err != nil {
			b.Fatal(err)
		}
		host, port, _ := strings.Cut(srv.TCPAddr(), ":")
		began = time.Now()
		for _, f := range files {
			cmd := exec.Command(client, "--host", host, "--port", port, "--database", db, "--max_memory_usage", "8000000000",
				"--query", "INSERT INTO "+f.table+" ("+strings.Join(f.columns, ", ")+") FORMAT TabSeparated")
			in, err := os.Open(f.path)
			if err != nil {
				b.Fatal(err)
			}
			cmd.Stdin = in
			if out, err := cmd.CombinedOutput(); err != nil {
				in.Close()
				b.Fatalf("clickhouse-client into %s: %v: %s", f.table, err, out)
			}
			in.Close()
		}
		clientTook := time.Since(began)
		if n := count(b, cconn, "SELECT count() FROM application_cells"); n != uint64(cells) {
			b.Fatalf("clickhouse-client inserted %d application cells, the loader %d", n, cells)
		}
		loaderRate := float64(cells) / loaderTook.Seconds()
		clientRate := float64(cells) / clientTook.Seconds()
		b.ReportMetric(loaderRate, "loader_app_cells/s")
		b.ReportMetric(clientRate, "client_app_cells/s")
		b.ReportMetric(loaderRate/clientRate, "loader/client")
		b.Logf("%d records, %d application cells, %d rows in all: loader %s (%.0f cells/s), clickhouse-client %s (%.0f cells/s): %.0f%%",
			backlogRecords, cells, rows.Len(), loaderTook.Round(time.Millisecond), loaderRate,
			clientTook.Round(time.Millisecond), clientRate, 100*loaderRate/clientRate)
	}
}

// tsvFile is one table's rows as a TabSeparated file.
type tsvFile struct {
	table   string
	columns []string
	path    string
}

// writeTSV writes every non-empty table of rows as ClickHouse TabSeparated.
func writeTSV(dir string, rows *Rows) ([]tsvFile, error) {
	var out []tsvFile
	for _, t := range rows.tables() {
		if t.rows == 0 {
			continue
		}
		f := tsvFile{table: t.name, path: filepath.Join(dir, t.name+".tsv")}
		for _, c := range t.columns {
			f.columns = append(f.columns, c.name)
		}
		file, err := os.Create(f.path)
		if err != nil {
			return nil, err
		}
		w := bufio.NewWriterSize(file, 1<<20)
		for i := range t.rows {
			for j, c := range t.columns {
				if j > 0 {
					w.WriteByte('\t')
				}
				w.WriteString(tsvValue(c.values, i))
			}
			w.WriteByte('\n')
		}
		if err := w.Flush(); err != nil {
			file.Close()
			return nil, err
		}
		if err := file.Close(); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

var tsvEscape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)

// tsvValue renders value i of a column slice as TabSeparated.
func tsvValue(values any, i int) string {
	switch v := values.(type) {
	case []string:
		return tsvEscape.Replace(v[i])
	case []uint64:
		return strconv.FormatUint(v[i], 10)
	case []uint16:
		return strconv.FormatUint(uint64(v[i]), 10)
	case []uint8:
		return strconv.FormatUint(uint64(v[i]), 10)
	case []float32:
		return strconv.FormatFloat(float64(v[i]), 'g', -1, 32)
	case []float64:
		return formatFloatTSV(v[i])
	case []time.Time:
		return v[i].UTC().Format(time.DateTime)
	case []*time.Time:
		if v[i] == nil {
			return `\N`
		}
		return v[i].Format(time.DateOnly)
	case []*int64:
		if v[i] == nil {
			return `\N`
		}
		return strconv.FormatInt(*v[i], 10)
	case []*float64:
		if v[i] == nil {
			return `\N`
		}
		return formatFloatTSV(*v[i])
	case [][]string:
		parts := make([]string, len(v[i]))
		for k, s := range v[i] {
			parts[k] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
		}
		return tsvEscape.Replace("[" + strings.Join(parts, ",") + "]")
	}
	panic(fmt.Sprintf("tsvValue: unhandled column type %T", values))
}

func formatFloatTSV(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
