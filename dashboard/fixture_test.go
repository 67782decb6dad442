package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/warehouse/warehousetest"
	"github.com/nats-io/nats.go/jetstream"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// The fixture's figures (testdata/fixture.sql), computed by hand: primary reports
// d1–d5 (d6 is d3's lower-confidence copy).
const (
	fixtureReports2023  = 4   // d2, d3, d4, d5
	fixtureReceived2023 = 183 // 120 + 50 + 10 + 3
	fixtureGranted2023  = 118 // 70 + 40 + 5 + 3
	fixtureTotal2023    = 148 // 100 + 40 + 5 + 3
)

// openFixture returns a connection to a fresh migrated database holding
// testdata/fixture.sql, and the database's name.
func openFixture(t testing.TB) (driver.Conn, string) {
	t.Helper()
	conn, db := warehousetest.Open(t, nil)
	ctx := context.Background()
	sql, err := os.ReadFile("testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range strings.Split(strings.ReplaceAll(string(sql), "${database}", db), ";\n") {
		for _, ins := range selectInserts(stripComments(stmt)) {
			if err := conn.Exec(ctx, ins); err != nil {
				t.Fatalf("fixture: %v\n%s", err, ins)
			}
		}
	}
	return conn, db
}

// selectInserts turns "INSERT INTO t (cols) VALUES (row), (row)" — one row per
// line — into one "INSERT INTO t (cols) SELECT row" per row: through the native
// protocol, 18.16 waits forever for the data of an INSERT … VALUES sent as a query.
func selectInserts(stmt string) []string {
	var head string
	var out []string
	for _, line := range strings.Split(stmt, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "INSERT INTO"):
			head = line
		case strings.HasPrefix(line, "("):
			row := strings.TrimSuffix(strings.TrimSuffix(line, ";"), ",")
			out = append(out, head+" SELECT "+strings.TrimSuffix(strings.TrimPrefix(row, "("), ")"))
		}
	}
	return out
}

func stripComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// newTestServer returns a dashboard over the fixture (js may be nil).
func newTestServer(t testing.TB, cfg Config, js jetstream.JetStream) *Server {
	t.Helper()
	conn, db := openFixture(t)
	s, err := New(cfg, Deps{Warehouse: conn, Database: db, JS: js}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// get requests path from h and returns the status and body.
func get(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}
