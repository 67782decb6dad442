package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/alerter"
	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/govreport/govreport/pkg/warehouse"
	"gopkg.in/yaml.v3"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// e2ePortal is the generated portal of the end-to-end tests: 9 sites × 7 reports (63)
// plus one notice per site, with planted anomalies.
var e2ePortal = sampleportal.Config{
	Seed: 20261123, Sites: 9, ReportsPerSite: 7, Years: []int{2019, 2020, 2021, 2022, 2023},
	ListPageSize: 3, NoticesPerSite: 1, AnomalyRate: 0.3,
}

// servePortal serves a generated portal and writes a sites file to crawl it.
func servePortal(t *testing.T, cfg sampleportal.Config) (*sampleportal.Portal, string, string) {
	t.Helper()
	portal, err := sampleportal.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(portal.Handler())
	t.Cleanup(srv.Close)
	data, err := yaml.Marshal(sites.File{Sites: portal.Sites(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	sitesFile := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(sitesFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return portal, srv.URL, sitesFile
}

// writeRunConfig writes a configuration that crawls sitesFile into database db of the
// test's ClickHouse, with an embedded NATS under a temporary data directory.
func writeRunConfig(t *testing.T, dsn, db, sitesFile string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`data_dir: %s
log: {level: warn, format: text}
metrics: {listen: ""}
clickhouse: {dsn: %q, database: %s}
crawler:
  sites: %s
  allow_private: true
  host_concurrency: 4
  host_delay: 0s
extractor: {fetch_max_wait: 200ms}
loader: {batch_age: 200ms, fetch_max_wait: 200ms}
alerter: {fetch_max_wait: 200ms}
`, filepath.Join(dir, "data"), dsn, db, sitesFile)
	path := filepath.Join(dir, "govreport.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runOnce runs `govreport run --once` in-process and returns its summary.
func runOnce(t *testing.T, config string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := m.Run(ctx, []string{"run", "--once", "--config", config}); err != nil {
		t.Fatalf("run --once: %v\nstderr:\n%s", err, stderr.String())
	}
	return stdout.String()
}

// summaryCount returns the first number on the summary line that starts with label.
func summaryCount(t *testing.T, summary, label string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `\s+(\d+)`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("summary has no %q line:\n%s", label, summary)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func openDB(t *testing.T, dsn string) driver.Conn {
	t.Helper()
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// cellString renders a cell as the end-to-end test compares it: state, value, unit
// and raw text (stricter than pkg/score, which leaves raw text out).
func cellString(c report.Cell) string {
	s := string(c.State)
	if c.State == report.StateNumber {
		s += " " + strconv.FormatFloat(c.Value, 'g', -1, 64)
	}
	if c.Unit != "" {
		s += " " + string(c.Unit)
	}
	return s + " raw=" + strconv.Quote(c.Raw)
}

// expectedCells flattens a record's three sections into address → cell string.
func expectedCells(r *report.Record) map[string]string {
	out := map[string]string{}
	for row, cols := range r.Applications {
		for col, c := range cols {
			out["app "+report.CellAddr(row, col)] = cellString(c)
		}
	}
	for g, outs := range r.Review {
		for o, c := range outs {
			out["review "+report.ReviewAddr(g, o)] = cellString(c)
		}
	}
	for i, ms := range r.Disclosure {
		for m, c := range ms {
			out["disclosure "+report.DisclosureAddr(i, m)] = cellString(c)
		}
	}
	return out
}

// loadedCells reads every current cell of the database into doc → address → cell string.
func loadedCells(t *testing.T, ctx context.Context, conn driver.Conn, db string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	queries := []struct{ section, sql string }{
		{"app", "SELECT doc_id, row, col, toString(state), toFloat64(value), '', raw FROM " + db + ".application_cells_current"},
		{"review", "SELECT doc_id, review_group, outcome, toString(state), toFloat64(value), '', raw FROM " + db + ".review_cells_current"},
		{"disclosure", "SELECT doc_id, item, metric, toString(state), value, unit, raw FROM " + db + ".disclosure_cells_current"},
	}
	for _, q := range queries {
		rows, err := conn.Query(ctx, q.sql)
		if err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
		for rows.Next() {
			var doc, a, b, state, unit, raw string
			var value *float64
			if err := rows.Scan(&doc, &a, &b, &state, &value, &unit, &raw); err != nil {
				t.Fatal(err)
			}
			c := report.Cell{State: report.State(state), Raw: raw, Unit: report.Unit(unit)}
			if value != nil {
				c.Value = *value
			}
			if out[doc] == nil {
				out[doc] = map[string]string{}
			}
			out[doc][q.section+" "+a+"."+b] = cellString(c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// queryStrings runs a query whose columns are all strings and returns its rows joined by "|".
func queryStrings(t *testing.T, ctx context.Context, conn driver.Conn, sql string) []string {
	t.Helper()
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	n := len(rows.Columns())
	var out []string
	for rows.Next() {
		vals := make([]string, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(vals, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// diffSets reports what one sorted list has that the other lacks, a few of each.
func diffSets(t *testing.T, what string, want, got []string) {
	t.Helper()
	missing, extra := setMinus(want, got), setMinus(got, want)
	if len(missing) == 0 && len(extra) == 0 {
		return
	}
	t.Errorf("%s: %d expected not found, %d found not expected\n missing: %v\n extra:   %v",
		what, len(missing), len(extra), head(missing, 8), head(extra, 8))
}

func setMinus(a, b []string) []string {
	counts := map[string]int{}
	for _, s := range b {
		counts[s]++
	}
	var out []string
	for _, s := range a {
		if counts[s] > 0 {
			counts[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

// TestRunOnceEndToEnd crawls a generated portal of 63 reports with `run --once` and
// checks that ClickHouse holds exactly the generated values, cell by cell, with the
// expected findings, rejections and alerts.
func TestRunOnceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs clickhouse-server")
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	portal, base, sitesFile := servePortal(t, e2ePortal)
	expected := portal.Expected(base)
	notices := portal.Notices(base)
	if len(expected) < 50 {
		t.Fatalf("portal has %d reports, want at least 50", len(expected))
	}
	planted := 0
	for _, e := range expected {
		if e.Planted != sampleportal.PlantedNone {
			planted++
		}
	}
	if planted == 0 {
		t.Fatal("no planted anomalies: the findings check would prove nothing")
	}

	config := writeRunConfig(t, srv.DSN(""), db, sitesFile)
	summary := runOnce(t, config)
	t.Logf("run --once over %d reports (%d with a planted anomaly) and %d notices:\n%s", len(expected), planted, len(notices), summary)
	for label, want := range map[string]int{
		"sites crawled":      e2ePortal.Sites,
		"documents fetched":  len(expected) + len(notices),
		"documents parsed":   len(expected),
		"documents rejected": len(notices),
		"records loaded":     len(expected),
		"dead letters":       0,
	} {
		if got := summaryCount(t, summary, label); got != want {
			t.Errorf("summary %q = %d, want %d", label, got, want)
		}
	}

	ctx := context.Background()
	conn := openDB(t, srv.DSN(""))

	// Cell by cell: every generated cell is loaded with its state, value, unit and
	// raw text, and nothing else is.
	cells, wrong := compareLoadedCells(t, ctx, conn, db, expected)
	t.Logf("%d cells compared, %d wrong", cells, wrong)

	// The report rows carry the generated metadata.
	var wantMeta, wantFindings, wantAlerts []string
	enabled := map[report.Rule]bool{}
	for _, r := range alerter.DefaultConfig().Rules {
		enabled[report.Rule(r)] = true
	}
	for _, e := range expected {
		m := e.Record.Meta
		wantMeta = append(wantMeta, strings.Join([]string{m.DocID, m.Body, strconv.Itoa(m.Year), string(m.Level),
			m.Region.Province, m.Region.City, m.Region.County, m.Region.Code, string(e.Record.Template), m.PublishedAt}, "|"))
		for _, f := range e.Record.Findings {
			wantFindings = append(wantFindings, strings.Join([]string{m.DocID, string(f.Rule), string(f.Status), f.Scope}, "|"))
		}
		for _, a := range alert.FromRecord(e.Record, enabled, time.Now()) {
			wantAlerts = append(wantAlerts, strings.Join([]string{m.DocID, string(a.Rule), "open"}, "|"))
		}
	}
	slices.Sort(wantMeta)
	diffSets(t, "reports", wantMeta, queryStrings(t, ctx, conn,
		"SELECT doc_id, body, toString(year), level, province, city, county, region_code, template, "+
			"ifNull(toString(published_date), '') FROM "+db+".reports_current"))
	diffSets(t, "findings", wantFindings, queryStrings(t, ctx, conn,
		"SELECT doc_id, rule, status, scope FROM "+db+".findings_current"))
	if len(wantAlerts) == 0 {
		t.Fatal("the generated reports raise no alerts")
	}
	diffSets(t, "alerts", wantAlerts, queryStrings(t, ctx, conn,
		"SELECT doc_id, rule, toString(status) FROM "+db+".alerts_current WHERE rule IN "+perReportRules))
	// The generated bodies' histories are consistent (carry-over, stock, no jumps,
	// no copies, every report on time): the cross-report rules find nothing.
	diffSets(t, "cross-report alerts", nil, queryStrings(t, ctx, conn,
		"SELECT concat(rule, ' ', body, ' ', toString(year), ' ', message_en) FROM "+db+".alerts_current WHERE rule NOT IN "+perReportRules))
	if n := summaryCount(t, summary, "cross-report rules"); n != 0 {
		t.Errorf("cross-report rules found %d alerts on the generated portal", n)
	}

	// govreport alerts lists them: all of them as JSON lines, or filtered.
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr}
	if err := m.Run(ctx, []string{"alerts", "--config", config, "--status", "all", "--limit", "0", "--format", "json"}); err != nil {
		t.Fatalf("alerts: %v\n%s", err, stderr.String())
	}
	if n := strings.Count(stdout.String(), "\n"); n != len(wantAlerts) {
		t.Errorf("alerts --format json printed %d lines, want %d", n, len(wantAlerts))
	}
	stdout.Reset()
	if err := m.Run(ctx, []string{"alerts", "--config", config, "--rule", "R3", "--limit", "0", "--format", "tsv", "--lang", "en"}); err != nil {
		t.Fatalf("alerts --rule R3: %v\n%s", err, stderr.String())
	}
	r3 := 0
	for _, a := range wantAlerts {
		if strings.Contains(a, "|R3|") {
			r3++
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines)-1 != r3 { // a header line
		t.Errorf("alerts --rule R3 printed %d alerts, want %d:\n%s", len(lines)-1, r3, stdout.String())
	}
	for _, l := range lines[1:] {
		if f := strings.Split(l, "\t"); len(f) < 9 || f[1] != "R3" || !strings.Contains(f[8], "(R3)") {
			t.Errorf("alerts --rule R3 line %q", l)
		}
	}

	// Every planted anomaly is a violation of its rule.
	for _, e := range expected {
		if e.Planted == sampleportal.PlantedNone {
			continue
		}
		n := queryStrings(t, ctx, conn, fmt.Sprintf(
			"SELECT scope FROM %s.findings_current WHERE doc_id = '%s' AND rule = '%s' AND status = 'violated'",
			db, e.Record.Meta.DocID, e.Planted))
		if len(n) == 0 {
			t.Errorf("%s: planted %s, but no %s violation was loaded", e.Path, e.Planted, e.Planted)
		}
	}

	// Notices are recorded as rejected raw documents with the expected reason.
	var wantRejected []string
	for _, n := range notices {
		wantRejected = append(wantRejected, n.DocID+"|"+string(n.Reason))
	}
	diffSets(t, "rejected documents", wantRejected, queryStrings(t, ctx, conn,
		"SELECT doc_id, reason FROM "+db+".raw_documents_current WHERE status = 'rejected'"))
	if n := queryStrings(t, ctx, conn, "SELECT toString(count()) FROM "+db+".raw_documents_current WHERE status = 'parsed'"); n[0] != strconv.Itoa(len(expected)) {
		t.Errorf("raw documents parsed = %s, want %d", n[0], len(expected))
	}

	// The README's analyst queries run on this data and return rows.
	readmeConn := openDB(t, srv.DSN(db))
	for i, q := range readmeSQL(t) {
		res, err := warehouse.Query(ctx, readmeConn, q)
		if err != nil {
			t.Errorf("README query %d: %v\n%s", i+1, err, q)
			continue
		}
		if len(res.Rows) == 0 {
			t.Errorf("README query %d returned no rows:\n%s", i+1, q)
		}
	}

	// A second run over the same data directory finds every document unchanged (by
	// conditional requests and content hashes kept in NATS),
	// and the tables still hold one current row per key.
	counts := func() []string {
		return queryStrings(t, ctx, conn, "SELECT concat('reports ', toString(count())) FROM "+db+".reports_current "+
			"UNION ALL SELECT concat('application cells ', toString(count())) FROM "+db+".application_cells_current "+
			"UNION ALL SELECT concat('findings ', toString(count())) FROM "+db+".findings_current "+
			"UNION ALL SELECT concat('alerts ', toString(count())) FROM "+db+".alerts_current")
	}
	before := counts()
	again := runOnce(t, config)
	if n := summaryCount(t, again, "documents published"); n != 0 {
		t.Errorf("second run published %d documents, want 0:\n%s", n, again)
	}
	// Every document is skipped or answered 304 (list pages count as unchanged too).
	if m := regexp.MustCompile(`\((\d+) unchanged`).FindStringSubmatch(again); m == nil || atoi(m[1]) < len(expected)+len(notices) {
		t.Errorf("second run: want at least the %d documents unchanged:\n%s", len(expected)+len(notices), again)
	}
	if after := counts(); !slices.Equal(before, after) {
		t.Errorf("row counts changed on replay: %v, then %v", before, after)
	}
}

// Without --once, run crawls, keeps serving until interrupted, and then stops
// cleanly with everything it fetched loaded.
func TestRunServesUntilInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs clickhouse-server")
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	small := e2ePortal
	small.Sites, small.ReportsPerSite = 2, 3
	_, _, sitesFile := servePortal(t, small)
	config := writeRunConfig(t, srv.DSN(""), db, sitesFile)
	conn := openDB(t, srv.DSN(""))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- (&Main{Stdout: &stdout, Stderr: &stderr}).Run(ctx, []string{"run", "--config", config})
	}()

	deadline := time.Now().Add(time.Minute)
	for {
		var n uint64
		err := conn.QueryRow(context.Background(), "SELECT count() FROM "+db+".reports_current").Scan(&n)
		if err == nil && n == 6 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before it was interrupted: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("reports loaded: %d (%v) after a minute, want 6\n%s", n, err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after interrupt: %v\n%s", err, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not stop within a minute of the interrupt")
	}
}

// readmeSQL returns the ```sql blocks of the README.
func readmeSQL(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) < 5 {
		t.Fatalf("README has %d SQL examples", len(out))
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// compareLoadedCells checks every generated cell is loaded with its state, value,
// unit and raw text, and that nothing else is; it returns the cells compared and
// how many were wrong (the first ten are reported).
func compareLoadedCells(t *testing.T, ctx context.Context, conn driver.Conn, db string, expected []sampleportal.Expected) (cells, wrong int) {
	t.Helper()
	got := loadedCells(t, ctx, conn, db)
	for _, e := range expected {
		want := expectedCells(e.Record)
		have := got[e.Record.Meta.DocID]
		delete(got, e.Record.Meta.DocID)
		for addr, w := range want {
			cells++
			if g, ok := have[addr]; !ok || g != w {
				if wrong++; wrong <= 10 {
					t.Errorf("%s %s: loaded %q, generated %q", e.Path, addr, g, w)
				}
			}
		}
		for addr, g := range have {
			if _, ok := want[addr]; !ok {
				if wrong++; wrong <= 10 {
					t.Errorf("%s %s: loaded %q, not generated", e.Path, addr, g)
				}
			}
		}
	}
	for doc := range got {
		t.Errorf("cells loaded for document %s that is not a generated report", doc)
	}
	return cells, wrong
}
