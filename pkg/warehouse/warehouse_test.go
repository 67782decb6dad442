package warehouse

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/regions"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// openTest opens a fresh database on the shared test server.
func openTest(t *testing.T) (driver.Conn, string) {
	t.Helper()
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	cfg := DefaultConfig()
	cfg.DSN, cfg.Database = srv.DSN(""), db
	conn, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, db
}

func TestOpenCreatesDatabase(t *testing.T) {
	srv := chtest.Shared(t)
	db := "open_creates_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "_")
	cfg := DefaultConfig()
	cfg.DSN, cfg.Database = srv.DSN(db), db // the DSN may name the same database
	ctx := context.Background()
	conn, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	defer conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
	var cur string
	if err := conn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&cur); err != nil || cur != db {
		t.Fatalf("current database %q, %v; want %s", cur, err, db)
	}
	// Opening again finds it.
	conn2, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	conn2.Close()
}

func TestOpenUnreachable(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DSN, cfg.DialTimeout = "clickhouse://127.0.0.1:1", 500*time.Millisecond
	if _, err := Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("err = %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := map[string]func(*Config){
		"database empty":  func(c *Config) { c.Database = "" },
		"database quoted": func(c *Config) { c.Database = "gov-report" },
		"database sql":    func(c *Config) { c.Database = "x; DROP TABLE y" },
		"http dsn":        func(c *Config) { c.DSN = "http://127.0.0.1:8123" },
		"dsn other db":    func(c *Config) { c.DSN = "clickhouse://127.0.0.1:9000/analytics" },
		"dsn bad":         func(c *Config) { c.DSN = "clickhouse://" },
		"dial timeout":    func(c *Config) { c.DialTimeout = 0 },
		"query timeout":   func(c *Config) { c.QueryTimeout = 10 * time.Millisecond },
		"max open conns":  func(c *Config) { c.MaxOpenConns = 0 },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			c := DefaultConfig()
			mutate(&c)
			if err := c.Validate(); err == nil {
				t.Fatalf("accepted %+v", c)
			}
		})
	}
	for _, dsn := range []string{"", "clickhouse://127.0.0.1:9000", "clickhouse://u:p@h1:9000,h2:9000/govreport?dial_timeout=1s"} {
		c := DefaultConfig()
		c.DSN = dsn
		if err := c.Validate(); err != nil {
			t.Errorf("%q: %v", dsn, err)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	conn, db := openTest(t)
	ctx := context.Background()
	applied, err := Migrate(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := Migrations()
	if len(applied) != len(ms) || applied[0] != 1 {
		t.Fatalf("first run applied %v, want all %d", applied, len(ms))
	}
	again, err := Migrate(ctx, conn, db)
	if err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v, %v", again, err)
	}
	// Every table and view exists, with the engine intended.
	rows, err := conn.Query(ctx, "SELECT name, engine FROM system.tables WHERE database = ?", db)
	if err != nil {
		t.Fatal(err)
	}
	engines := map[string]string{}
	for rows.Next() {
		var n, e string
		if err := rows.Scan(&n, &e); err != nil {
			t.Fatal(err)
		}
		engines[n] = e
	}
	rows.Close()
	for _, tbl := range Tables {
		if engines[tbl] != "ReplacingMergeTree" {
			t.Errorf("table %s engine %q", tbl, engines[tbl])
		}
	}
	for _, v := range Views {
		if engines[v] != "View" {
			t.Errorf("view %s engine %q", v, engines[v])
		}
	}
	if engines[MigrationsTable] != "MergeTree" {
		t.Errorf("%s engine %q", MigrationsTable, engines[MigrationsTable])
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+MigrationsTable).Scan(&n); err != nil || n != uint64(len(ms)) {
		t.Fatalf("%s holds %d rows, %v", MigrationsTable, n, err)
	}
	// Every view can be read on this server.
	for _, v := range Views {
		if _, err := Query(ctx, conn, "SELECT * FROM "+v); err != nil {
			t.Errorf("read %s: %v", v, err)
		}
	}
}

func TestMigrateNewAndChanged(t *testing.T) {
	conn, db := openTest(t)
	ctx := context.Background()
	one := Migration{Version: 1, Name: "a", Checksum: "c1", Statements: []string{"CREATE TABLE IF NOT EXISTS ${database}.a (x UInt8) ENGINE = Memory"}}
	two := Migration{Version: 2, Name: "b", Checksum: "c2", Statements: []string{
		"CREATE TABLE IF NOT EXISTS ${database}.b (x UInt8) ENGINE = Memory",
		"CREATE VIEW IF NOT EXISTS ${database}.b_view AS SELECT x FROM ${database}.b",
	}}
	if got, err := migrate(ctx, conn, db, []Migration{one}); err != nil || len(got) != 1 {
		t.Fatalf("applied %v, %v", got, err)
	}
	if got, err := migrate(ctx, conn, db, []Migration{one, two}); err != nil || len(got) != 1 || got[0] != 2 {
		t.Fatalf("applied %v, %v; want [2]", got, err)
	}
	changed := one
	changed.Checksum = "edited"
	_, err := migrate(ctx, conn, db, []Migration{changed, two})
	if err == nil || !strings.Contains(err.Error(), "0001_a was applied with checksum") {
		t.Fatalf("changed migration: %v", err)
	}
	// A failing statement stops the run and is not recorded.
	bad := Migration{Version: 3, Name: "bad", Checksum: "c3", Statements: []string{"CREATE TABLE ${database}.c (x NoSuchType) ENGINE = Memory"}}
	if _, err := migrate(ctx, conn, db, []Migration{one, two, bad}); err == nil || !strings.Contains(err.Error(), "0003_bad statement 1") {
		t.Fatalf("bad migration: %v", err)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+MigrationsTable+" WHERE version = 3").Scan(&n); err != nil || n != 0 {
		t.Fatalf("failed migration recorded: %d, %v", n, err)
	}
	if _, err := migrate(ctx, conn, "bad-name", nil); err == nil {
		t.Fatal("accepted a database name that needs quoting")
	}
}

func TestServerVersion(t *testing.T) {
	conn, _ := openTest(t)
	v, err := ServerVersion(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("server version %s", v)
	hs, err := conn.ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.Major != int(hs.Version.Major) || v.Minor != int(hs.Version.Minor) || v.Major < 18 {
		t.Fatalf("version() %s, handshake %d.%d", v, hs.Version.Major, hs.Version.Minor)
	}
}

func TestQueryRendersEveryType(t *testing.T) {
	conn, _ := openTest(t)
	q := `SELECT
    toUInt8(1) AS u8, toInt64(-5) AS i64, toUInt64(18446744073709551615) AS u64,
    'a\tb' AS s, NULL AS nul, toNullable(3) AS n3, CAST(NULL AS Nullable(String)) AS ns,
    [1, 2] AS arr, ['x', 'y''z'] AS sarr, [NULL, 1] AS narr, emptyArrayString() AS earr,
    toDate('2021-01-20') AS d, toDateTime('2021-02-01 03:04:05', 'UTC') AS dt,
    [toDate('2020-01-01')] AS darr,
    CAST('b' AS Enum8('a' = 1, 'b' = 2)) AS e, (1, 'x') AS tup,
    1.5 AS f, toFloat32(0.25) AS f32, 1e6 AS big, toDecimal32(1.25, 2) AS dec,
    toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0') AS uuid, toFixedString('ab', 2) AS fs,
    '德惠市' AS cjk, nan AS fnan, -inf AS fninf`
	res, err := Query(context.Background(), conn, q)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"u8": "1", "i64": "-5", "u64": "18446744073709551615", "s": "a\tb", "nul": "NULL", "n3": "3",
		"ns": "NULL", "arr": "[1,2]", "sarr": `['x','y\'z']`, "narr": "[NULL,1]", "earr": "[]",
		"d": "2021-01-20", "dt": "2021-02-01 03:04:05", "darr": "['2020-01-01']",
		"e": "b", "tup": "(1,'x')", "f": "1.5", "f32": "0.25", "big": "1000000", "dec": "1.25",
		"uuid": "61f0c404-5cb3-11e7-907b-a6006ad3dba0", "fs": "ab", "cjk": "德惠市", "fnan": "nan", "fninf": "-inf",
	}
	if len(res.Rows) != 1 || len(res.Columns) != len(want) {
		t.Fatalf("%d rows, columns %v", len(res.Rows), res.Columns)
	}
	for j, c := range res.Columns {
		if got := res.Rows[0][j]; got != want[c] {
			t.Errorf("%s (%s) = %q, want %q", c, res.Types[j], got, want[c])
		}
	}
	for j, c := range res.Columns {
		if null := res.IsNull(0, j); null != (c == "nul" || c == "ns") {
			t.Errorf("IsNull(%s) = %v", c, null)
		}
	}
	var b bytes.Buffer
	if err := res.WriteTSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\ta\\tb\t\\N\t3\t\\N\t") {
		t.Errorf("TSV line: %q", b.String())
	}
}

func TestQueryEmptyAndError(t *testing.T) {
	conn, _ := openTest(t)
	ctx := context.Background()
	res, err := Query(ctx, conn, "SELECT number AS n FROM system.numbers LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	res.WriteTable(&b)
	if b.String() != "n\n-\n(0 rows)\n" || len(res.Columns) != 1 {
		t.Fatalf("empty result:\n%s", b.String())
	}
	if _, err := Query(ctx, conn, "SELECT no_such_column FROM system.one"); err == nil {
		t.Fatal("no error for a bad query")
	}
}

// TestAlertsCurrent checks the view the alerter reads: one row per alert, the
// newest version, NULL resolved_at kept (argMax would skip it on 18.16).
func TestAlertsCurrent(t *testing.T) {
	conn, db := openTest(t)
	ctx := context.Background()
	if _, err := Migrate(ctx, conn, db); err != nil {
		t.Fatal(err)
	}
	raised := time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC)
	resolved := raised.Add(48 * time.Hour)
	insert := func(id string, version uint64, status string, resolvedAt *time.Time) {
		b, err := conn.PrepareBatch(ctx, `INSERT INTO alerts (alert_id, version, rule, severity, status, doc_id, body, year, level,
			province, city, county, region_code, source_url, cells, cell_values, message_zh, message_en, raised_at, resolved_at)`)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Append(id, version, "R1", "error", status, "d1", "某镇人民政府", uint16(2023), "township",
			"吉林省", "长春市", "德惠市", "220183", "http://x.gov.cn/a.html", []string{"total.total"}, []string{"0"},
			"勾稽关系不成立", "R1 violated", raised, resolvedAt); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(); err != nil {
			t.Fatal(err)
		}
	}
	insert("a1", 1, "resolved", &resolved)
	insert("a1", 2, "open", nil) // re-opened: NULL must win over the older non-NULL
	insert("a1", 2, "open", nil) // a replay
	insert("a2", 1, "open", nil)
	res, err := Query(ctx, conn, "SELECT alert_id, version, status, resolved_at FROM alerts_current ORDER BY alert_id")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	res.WriteTSV(&b)
	want := "alert_id\tversion\tstatus\tresolved_at\na1\t2\topen\t\\N\na2\t1\topen\t\\N\n"
	if b.String() != want {
		t.Fatalf("alerts_current:\n%s\nwant\n%s", b.String(), want)
	}
}

// TestMigrateInterruptedAlter repeats a migration whose ALTER ran before the run
// was interrupted (the migration not recorded): the columns that exist are skipped,
// the missing one is added, and a malformed ALTER is refused before it runs.
func TestMigrateInterruptedAlter(t *testing.T) {
	conn, db := openTest(t)
	ctx := context.Background()
	base := Migration{Version: 1, Name: "t", Checksum: "c1", Statements: []string{"CREATE TABLE IF NOT EXISTS ${database}.t (x UInt8) ENGINE = MergeTree ORDER BY x"}}
	if _, err := migrate(ctx, conn, db, []Migration{base}); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, "ALTER TABLE "+db+".t ADD COLUMN a String"); err != nil {
		t.Fatal(err)
	}
	alter := Migration{Version: 2, Name: "alter", Checksum: "c2", Statements: []string{
		"ALTER TABLE ${database}.t\n    ADD COLUMN a String AFTER x,\n    ADD COLUMN b UInt16 AFTER a",
		"ALTER TABLE ${database}.t\n    ADD COLUMN a String",
	}}
	if got, err := migrate(ctx, conn, db, []Migration{base, alter}); err != nil || len(got) != 1 {
		t.Fatalf("applied %v, %v", got, err)
	}
	cols, err := columnsOf(ctx, conn, db, "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 3 || !cols["a"] || !cols["b"] {
		t.Fatalf("columns %v, want x, a, b", cols)
	}
	for _, bad := range []string{
		"ALTER TABLE ${database}.t\n    ADD COLUMN c String\n    ADD COLUMN d String",
		"ALTER TABLE ${database}.t\n    DROP COLUMN a",
	} {
		m := Migration{Version: 3, Name: "bad", Checksum: "c3", Statements: []string{bad}}
		if _, err := migrate(ctx, conn, db, []Migration{base, alter, m}); err == nil || !strings.Contains(err.Error(), "ALTER TABLE:") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestLoadDivisions loads the embedded division table once per edition and checks
// that its rows place divisions as the resolver places reports.
func TestLoadDivisions(t *testing.T) {
	conn, db := openTest(t)
	ctx := context.Background()
	if _, err := Migrate(ctx, conn, db); err != nil {
		t.Fatal(err)
	}
	tbl, err := regions.Default()
	if err != nil {
		t.Fatal(err)
	}
	n, err := LoadDivisions(ctx, conn, db, tbl, regions.Edition)
	if err != nil || n != tbl.Len() {
		t.Fatalf("loaded %d of %d, %v", n, tbl.Len(), err)
	}
	if again, err := LoadDivisions(ctx, conn, db, tbl, regions.Edition); err != nil || again != 0 {
		t.Fatalf("second load wrote %d, %v", again, err)
	}
	res, err := Query(ctx, conn, "SELECT level, count() FROM "+ViewDivisionsCurrent+" WHERE is_grouping = 0 AND is_zone = 0 AND is_city_itself = 0 GROUP BY level ORDER BY level")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, d := range tbl.Divisions() {
		if !d.Grouping() && !d.Zone() && !d.CityItself() {
			want[string(d.Level())]++
		}
	}
	for _, r := range res.Rows {
		if strconv.Itoa(want[r[0]]) != r[1] {
			t.Errorf("%s: %s divisions, want %d", r[0], r[1], want[r[0]])
		}
		delete(want, r[0])
	}
	if len(want) != 0 {
		t.Errorf("levels missing: %v", want)
	}
	// 岔路口镇 is where seed 000's body is; its row places it as the resolver does.
	d := tbl.Lookup("220183105")
	if d == nil {
		t.Fatal("220183105 not in the table")
	}
	r := d.Region()
	res, err = Query(ctx, conn, "SELECT province, city, county, township, code, county_code, parent_code FROM "+ViewDivisionsCurrent+" WHERE code = '220183105'")
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	if got, want := strings.Join(res.Rows[0], " "), strings.Join([]string{r.Province, r.City, r.County, r.Township, r.TownshipCode, r.Code, r.Code}, " "); got != want {
		t.Errorf("岔路口镇: %s, want %s", got, want)
	}
	if _, err := LoadDivisions(ctx, conn, "bad-name", tbl, regions.Edition); err == nil {
		t.Error("accepted a database name that needs quoting")
	}
}
