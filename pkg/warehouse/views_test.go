package warehouse

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
)

// fixtureStatements returns testdata/fixture.sql for a database.
func fixtureStatements(t testing.TB, database string) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	stmts := SplitStatements(string(b))
	for i, s := range stmts {
		stmts[i] = strings.ReplaceAll(s, DatabasePlaceholder, database)
	}
	return stmts
}

func loadFixture(t testing.TB, ctx context.Context, conn driver.Conn, database string) {
	t.Helper()
	for i, s := range fixtureStatements(t, database) {
		if err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("fixture statement %d: %v\n%s", i+1, err, s)
		}
	}
}

// allViews are the views every engine and layout must agree on.
func allViews() []string { return append(append([]string{}, Views...), AnalystViews...) }

// migratedFixture opens a database on the shared server with the schema and the
// fixture loaded.
func migratedFixture(t *testing.T) (driver.Conn, string) {
	t.Helper()
	conn, db := openTest(t)
	ctx := context.Background()
	if _, err := Migrate(ctx, conn, db); err != nil {
		t.Fatal(err)
	}
	loadFixture(t, ctx, conn, db)
	return conn, db
}

// TestAnalystViewsOnFixture checks what the fixture was built to show: the copy
// reports_primary picks, replays and re-extraction, and the missing reports.
func TestAnalystViewsOnFixture(t *testing.T) {
	conn, _ := migratedFixture(t)
	ctx := context.Background()
	tsv := func(q string) string {
		t.Helper()
		res, err := Query(ctx, conn, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var b strings.Builder
		for _, r := range res.Rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
		return b.String()
	}
	tests := []struct{ name, query, want string }{
		{"copies", "SELECT doc_id, year FROM reports_primary WHERE body IN ('body0', 'body1', 'body2', 'body3') AND year = 2019 ORDER BY doc_id",
			"c0\t2019\nc2\t2019\nc3\t2019\nd1\t2019\n"},
		{"re-extracted and replayed", "SELECT doc_id, version, year, level FROM reports_primary WHERE doc_id IN ('d5', 'd7') ORDER BY doc_id",
			"d5\t500\t2020\ttownship\nd7\t107\t2019\ttownship\n"},
		{"one copy per body and year", "SELECT count(), uniqExact(body, year) FROM reports_primary WHERE body != ''", "28\t28\n"},
		{"no body is its own report", "SELECT doc_id FROM reports_primary WHERE body = ''", "d29\n"},
		{"missing", "SELECT body, missing_year, first_year, last_year, years_reported FROM missing_reports ORDER BY body, missing_year",
			"body5\t2022\t2020\t2021\t2\nbody6\t2022\t2019\t2021\t3\nbody7\t2022\t2019\t2021\t3\n"},
		{"per report only primaries", "SELECT count() FROM applications_by_report", "29\n"},
		{"regions add up", "SELECT sum(reports), sum(received_sum) = (SELECT sum(received) FROM applications_by_report) FROM applications_by_region", "29\t1\n"},
		{"outcomes add up", "SELECT province, level, year, sum(cases) FROM outcome_shares GROUP BY province, level, year ORDER BY province, level, year",
			tsv("SELECT province, level, year, sum(granted + partially_granted + withheld + unable + not_processed + other_processed) FROM applications_by_report GROUP BY province, level, year ORDER BY province, level, year")},
		{"shares", "SELECT countIf(processed > 0 AND abs(share - cases / processed) > 1e-12), countIf(processed = 0 AND share IS NOT NULL) FROM outcome_shares", "0\t0\n"},
		{"mix adds up", "SELECT countIf(abs(s - 1) > 1e-9) FROM (SELECT province, level, year, sum(share) AS s FROM applicant_mix WHERE all_requests > 0 GROUP BY province, level, year)", "0\n"},
		{"reasons add up", "SELECT countIf(abs(s - 1) > 1e-9) FROM (SELECT province, level, year, outcome, sum(share) AS s FROM outcome_reasons WHERE outcome_cases > 0 GROUP BY province, level, year, outcome)", "0\n"},
		{"review decided", "SELECT countIf(decided != upheld + corrected + other_result), countIf(correction_rate > 1) FROM review_outcomes", "0\t0\n"},
		{"rule failures", "SELECT sum(failing_reports) FROM rule_failures",
			tsv("SELECT count() FROM (SELECT DISTINCT doc_id, rule FROM findings_current WHERE status = 'violated' AND doc_id IN (SELECT doc_id FROM reports_primary))")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsv(tt.query); got != tt.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", tt.query, got, tt.want)
			}
		})
	}
}

// viewDumps returns the contents of every view as TSV, read over HTTP.
func viewDumps(t *testing.T, httpAddr, database string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range allViews() {
		s, err := httpQuery(httpAddr, "", "", database, "SELECT * FROM "+database+"."+v+" FORMAT TSV")
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if strings.TrimSpace(s) == "" && v != ViewRawDocumentsCurrent {
			// Every view shows something of the fixture, so that comparing them means something.
			t.Fatalf("%s is empty on the fixture", v)
		}
		out[v] = s
	}
	return out
}

// TestViewsOnCurrentEngine runs every migration twice, the fixture and every view on
// a current ClickHouse (chDB) and compares the views with 18.16's.
func TestViewsOnCurrentEngine(t *testing.T) {
	eng := chdbOpen(t)
	_, db := migratedFixture(t)
	want := viewDumps(t, chtest.Shared(t).HTTPAddr(), db)

	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	steps := []chdbStep{{SQL: "CREATE DATABASE IF NOT EXISTS " + db}, {SQL: migrationsTableDDL(db + "." + MigrationsTable)}}
	for pass := range 2 { // idempotent
		for _, m := range ms {
			for _, s := range m.statementsFor(db) {
				if pass == 1 && strings.HasPrefix(s, "ALTER TABLE ") {
					continue // the runner skips columns that exist (TestMigrateIsIdempotent)
				}
				steps = append(steps, chdbStep{SQL: s})
			}
		}
	}
	for _, s := range fixtureStatements(t, db) {
		steps = append(steps, chdbStep{SQL: s})
	}
	first := len(steps)
	for _, v := range allViews() {
		steps = append(steps, chdbStep{SQL: "SELECT * FROM " + db + "." + v, Format: "TSV"})
	}
	version, res := chdbRun(t, eng, steps)
	for i, r := range res[:first] {
		if r.Err != "" {
			t.Fatalf("step %d on ClickHouse %s: %s\n%s", i+1, version, r.Err, steps[i].SQL)
		}
	}
	for i, v := range allViews() {
		r := res[first+i]
		if r.Err != "" {
			t.Errorf("%s on ClickHouse %s: %s", v, version, r.Err)
			continue
		}
		if err := sameTSV(r.Out, want[v]); err != nil {
			t.Errorf("%s differs between ClickHouse %s and 18.16: %v", v, version, err)
		}
	}
}
