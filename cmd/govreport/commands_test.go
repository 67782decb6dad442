package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sites"
)

// run runs the program in-process with args and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := (&Main{Stdout: &stdout, Stderr: &stderr}).Run(context.Background(), args)
	return stdout.String(), stderr.String(), err
}

func TestHelpOfEveryCommand(t *testing.T) {
	m := &Main{}
	for name := range m.commands() {
		_, stderr, err := run(t, name, "--help")
		if err != nil {
			t.Errorf("%s --help: %v", name, err)
		}
		if !strings.Contains(stderr, "Usage: govreport "+name) {
			t.Errorf("%s --help printed %q", name, stderr)
		}
	}
	_, stderr, err := run(t, "--help")
	if err != nil || !strings.Contains(stderr, "Commands:") {
		t.Errorf("--help: %v %q", err, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"run", "--bogus"},
		{"run", "extra"},
		{"parse"},
		{"sql"},
		{"sql", "--format", "xml", "SELECT 1"},
		{"samplesite", "extra"},
		{"alerts", "extra"},
		{"alerts", "--status", "closed"},
		{"alerts", "--severity", "fatal"},
		{"alerts", "--year", "99"},
		{"alerts", "--since", "yesterday"},
		{"alerts", "--limit", "-1"},
		{"alerts", "--lang", "fr"},
		{"alerts", "--format", "xml"},
		{"alert", "--once", "--years", "2023,nope"},
	} {
		_, _, err := run(t, args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%q: err %v (exit %d), want a usage error (exit 2)", args, err, exitCode(err))
		}
	}
	if exitCode(errors.New("x")) != 1 || exitCode(flag.ErrHelp) != 2 {
		t.Error("exit codes")
	}
}

func TestVersion(t *testing.T) {
	stdout, _, err := run(t, "version")
	if err != nil || stdout != "govreport "+version+"\n" {
		t.Errorf("version: %q %v", stdout, err)
	}
}

func TestParseFiles(t *testing.T) {
	seed := filepath.Join("..", "..", "extractor", "testdata", "seeds", "000_649a0d222900ab96.txt")
	html := filepath.Join("..", "..", "extractor", "testdata", "html", "ucap_2021_one_table.html")
	notice := filepath.Join(t.TempDir(), "notice.html")
	if err := os.WriteFile(notice, []byte("<html><head><title>关于开展政务公开培训的通知</title></head><body><p>各单位：定于下周开展培训。</p></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "absent.html")

	stdout, stderr, err := run(t, "parse", seed, html, missing, notice)
	if err == nil || !strings.Contains(err.Error(), "1 of 4 files") || !strings.Contains(stderr, "absent.html") {
		t.Errorf("err %v, stderr %q: the missing file must be reported and fail the command", err, stderr)
	}
	var lines []parseLine
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var l struct {
			File      string          `json:"file"`
			Record    json.RawMessage `json:"record"`
			Rejection json.RawMessage `json:"rejection"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d is not JSON: %v", len(lines)+1, err)
		}
		pl := parseLine{File: l.File}
		if l.Record != nil {
			rec, err := report.Unmarshal(l.Record)
			if err != nil {
				t.Fatalf("%s: record does not validate: %v", l.File, err)
			}
			pl.Record = rec
		}
		if l.Rejection != nil {
			rej, err := report.UnmarshalRejection(l.Rejection)
			if err != nil {
				t.Fatalf("%s: rejection: %v", l.File, err)
			}
			pl.Rejection = rej
		}
		lines = append(lines, pl)
	}
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (one per readable file):\n%s", len(lines), stdout)
	}
	for i, want := range []string{seed, html, notice} {
		if lines[i].File != want {
			t.Errorf("line %d names %q, want %q", i+1, lines[i].File, want)
		}
	}
	if r := lines[0].Record; r == nil || r.Applications.Get(report.RowNewReceived, report.ColTotal).State != report.StateNumber ||
		!strings.HasPrefix(r.Meta.SourceURL, "file:///") {
		t.Errorf("seed: %+v", lines[0])
	}
	if r := lines[1].Record; r == nil || r.Template != report.Template2021 {
		t.Errorf("html: %+v", lines[1])
	}
	if r := lines[2].Rejection; r == nil || r.Reason != report.ReasonNotReport {
		t.Errorf("notice: %+v", lines[2])
	}
}

// configWithDSN writes a configuration that uses database db of a test server.
func configWithDSN(t *testing.T, dsn, db string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "govreport.yaml")
	data := fmt.Sprintf("data_dir: %s\nlog: {level: warn}\nmetrics: {listen: \"\"}\nclickhouse: {dsn: %q, database: %s}\n", filepath.Join(dir, "data"), dsn, db)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMigrateAndSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("needs clickhouse-server")
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	config := configWithDSN(t, srv.DSN(""), db)

	stdout, _, err := run(t, "migrate", "--config", config)
	if err != nil || !strings.Contains(stdout, "schema of database "+db+" is current") {
		t.Fatalf("migrate: %v %q", err, stdout)
	}
	stdout, _, err = run(t, "migrate", "--config", config)
	if err != nil || !strings.Contains(stdout, "(0 migrations applied now)") {
		t.Errorf("second migrate must apply nothing: %v %q", err, stdout)
	}

	stdout, _, err = run(t, "sql", "--config", config, "SELECT name FROM system.tables WHERE database = '"+db+"' AND name IN ('reports', 'application_cells_current') ORDER BY name")
	want := "name\n-------------------------\napplication_cells_current\nreports\n(2 rows)\n"
	if err != nil || stdout != want {
		t.Errorf("sql table:\n%s\nerr %v, want:\n%s", stdout, err, want)
	}
	stdout, _, err = run(t, "sql", "--config", config, "--format", "tsv", "SELECT count() AS n FROM reports")
	if err != nil || stdout != "n\n0\n" {
		t.Errorf("sql tsv: %q %v", stdout, err)
	}
	if _, _, err := run(t, "sql", "--config", config, "SELECT nonsense FROM nowhere"); err == nil {
		t.Error("a bad query must fail")
	}
}

// While one process runs the local server of a data directory, another (`sql`
// while `run` serves) uses it instead of failing to start a second one.
func TestSQLSharesRunningLocalServer(t *testing.T) {
	if testing.Short() {
		t.Skip("needs clickhouse-server")
	}
	if chserver.FindBinary() == "" {
		if os.Getenv(chtest.RequireEnv) == "1" {
			t.Fatal(chserver.ErrNotFound)
		}
		t.Skip(chserver.ErrNotFound)
	}
	dir := t.TempDir()
	cfg := chserver.DefaultConfig()
	cfg.Dir = filepath.Join(dir, "data", "clickhouse")
	ctx := context.Background()
	srv, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(ctx)
	config := filepath.Join(dir, "govreport.yaml")
	data := fmt.Sprintf("data_dir: %s\nlog: {level: warn}\nmetrics: {listen: \"\"}\n", filepath.Join(dir, "data"))
	if err := os.WriteFile(config, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	// A database only that server has proves which server answered.
	conn := openDB(t, srv.DSN(""))
	if err := conn.Exec(ctx, "CREATE DATABASE shared_marker"); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := run(t, "sql", "--config", config, "--format", "tsv", "SELECT name FROM system.databases WHERE name = 'shared_marker'")
	if err != nil || stdout != "name\nshared_marker\n" {
		t.Errorf("sql against the running server: %q %v\n%s", stdout, err, stderr)
	}
	select {
	case <-srv.Exited():
		t.Fatal("the running server stopped")
	default:
	}
}

func TestSampleSiteWritesOracle(t *testing.T) {
	dir := t.TempDir()
	sitesFile := filepath.Join(dir, "sites.yaml")
	_, _, err := run(t, "samplesite", "--listen", "127.0.0.1:0", "--seed", "3", "--sites", "4", "--reports", "5",
		"--write-expected", filepath.Join(dir, "expected"), "--write-sites", sitesFile, "--no-serve")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := sites.Load(sitesFile)
	if err != nil || len(ss) != 4 {
		t.Fatalf("sites file: %d sites, %v", len(ss), err)
	}
	var records int
	err = filepath.WalkDir(filepath.Join(dir, "expected"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		records++
		return nil
	})
	if err != nil || records < 20 {
		t.Errorf("expected files: %d JSON files for 20 reports, %v", records, err)
	}
}

func TestParseScore(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := run(t, "samplesite", "--listen", "127.0.0.1:0", "--seed", "5", "--sites", "3", "--reports", "4",
		"--write-pages", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "parse", "--score", dir)
	if err != nil || !strings.Contains(stdout, "12 documents scored (12 exact)") || !strings.Contains(stdout, "cell accuracy 100.00%") {
		t.Fatalf("clean portal: %v\n%s", err, stdout)
	}

	// Break one expected cell: that document is no longer exact, the accuracy drops
	// below 100%, and --min-accuracy 1 fails the command.
	files, _ := filepath.Glob(filepath.Join(dir, "site-001", "*.expected.json"))
	if len(files) == 0 {
		t.Fatal("no expected files written")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Record *report.Record `json:"record"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	c := e.Record.Applications.Get(report.RowNewReceived, report.ColTotal)
	c.Value++
	e.Record.Applications.Set(report.RowNewReceived, report.ColTotal, c)
	b, _ = json.Marshal(e)
	if err := os.WriteFile(files[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	// A document without an expected record is counted apart.
	if err := os.WriteFile(filepath.Join(dir, "stray.html"), []byte("<html></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = run(t, "parse", "--score", dir, "--diffs")
	if err != nil || !strings.Contains(stdout, "12 documents scored (11 exact)") || strings.Contains(stdout, "cell accuracy 100.00%") ||
		!strings.Contains(stdout, "app new_received.total: got ") || !strings.Contains(stdout, "1 documents have no expected record") {
		t.Errorf("broken expectation: %v\n%s", err, stdout)
	}
	if _, _, err := run(t, "parse", "--score", dir, "--min-accuracy", "1"); err == nil || !strings.Contains(err.Error(), "below --min-accuracy") {
		t.Errorf("--min-accuracy 1: %v", err)
	}

	// Bad input: an unreadable expected record fails the command; an empty
	// directory has nothing to score; flags are checked.
	if err := os.WriteFile(files[0], []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := run(t, "parse", "--score", dir); err == nil || !strings.Contains(stderr, "expected record") {
		t.Errorf("bad expected file: %v %q", err, stderr)
	}
	if _, _, err := run(t, "parse", "--score", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no document has an expected record") {
		t.Errorf("empty dir: %v", err)
	}
	for _, args := range [][]string{{"parse", "--score", dir, "file.html"}, {"parse", "--score", dir, "--min-accuracy", "2"}} {
		if _, _, err := run(t, args...); exitCode(err) != 2 {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// TestAlertsQuery checks the filters of govreport alerts become a query with bound
// arguments (no value is spliced into the SQL).
func TestAlertsQuery(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	c := &alertsCmd{status: "open", rules: "R5, jump", severity: "warning", province: "吉林省", body: "德惠'", year: 2023,
		since: "72h", limit: 10, format: "table", lang: "en"}
	q, args, err := c.alertsQuery(now)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT raised_at, rule, severity, status, body, year, province, county, message_en AS message, source_url FROM alerts_current " +
		"WHERE status = ? AND rule IN (?, ?) AND severity = ? AND province = ? AND position(body, ?) > 0 AND year = ? AND raised_at >= toDateTime(?, 'UTC') " +
		"ORDER BY raised_at DESC, alert_id LIMIT 10"
	if q != want {
		t.Errorf("query\n%s\nwant\n%s", q, want)
	}
	wantArgs := []any{"open", "R5", "jump", "warning", "吉林省", "德惠'", 2023, "2026-11-20 12:00:00"}
	if fmt.Sprint(args) != fmt.Sprint(wantArgs) {
		t.Errorf("args %v, want %v", args, wantArgs)
	}
	all := &alertsCmd{status: "all", format: "json", lang: "zh"}
	q, args, err = all.alertsQuery(now)
	if err != nil || strings.Contains(q, "WHERE") || strings.Contains(q, "LIMIT") || len(args) != 0 || !strings.Contains(q, "message_zh, message_en") {
		t.Errorf("all: %s %v %v", q, args, err)
	}
}

// migrate sets up the NATS streams, object store and buckets on an external server
// (here an embedded one listening on loopback), and checks its flags.
func TestMigrateNATS(t *testing.T) {
	srv, err := bus.StartEmbedded(bus.EmbeddedConfig{Listen: "127.0.0.1:0", MaxPayload: 1 << 20}, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	}()
	dir := t.TempDir()
	config := filepath.Join(dir, "govreport.yaml")
	data := fmt.Sprintf("data_dir: %s\nlog: {level: warn}\nnats: {url: %q}\n", filepath.Join(dir, "data"), srv.ClientURL())
	if err := os.WriteFile(config, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}

	// A stage that does not manage streams cannot start before migrate.
	cfg := bus.DefaultConfig()
	cfg.URL, cfg.ManageStreams, cfg.ConnectTimeout = srv.ClientURL(), false, 3*time.Second
	if _, err := bus.Open(context.Background(), cfg, dir, nil); !errors.Is(err, bus.ErrNotSetUp) {
		t.Fatalf("open before migrate: %v", err)
	}
	for i := 0; i < 2; i++ { // idempotent
		stdout, _, err := run(t, "migrate", "--config", config, "--nats-only")
		if err != nil || !strings.Contains(stdout, "nats streams RAW, PARSED") || strings.Contains(stdout, "schema of database") {
			t.Fatalf("migrate --nats-only: %v %q", err, stdout)
		}
	}
	b, err := bus.Open(context.Background(), cfg, dir, nil)
	if err != nil {
		t.Fatalf("open after migrate: %v", err)
	}
	b.Close()

	noNATS := filepath.Join(dir, "embedded.yaml")
	if err := os.WriteFile(noNATS, []byte("data_dir: "+filepath.Join(dir, "data")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"migrate", "--config", config, "--nats-only", "--clickhouse-only"},
		{"migrate", "--config", noNATS, "--nats-only"},
	} {
		var usage usageError
		if _, _, err := run(t, args...); !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
