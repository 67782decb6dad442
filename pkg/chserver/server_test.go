package chserver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

func open(t *testing.T, dsn string) clickhouse.Conn {
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

func processGone(pid int) bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }

func testConfig(t *testing.T) chserver.Config {
	cfg := chserver.DefaultConfig()
	if cfg.Binary = chserver.FindBinary(); cfg.Binary == "" {
		if os.Getenv(chtest.RequireEnv) == "1" {
			t.Fatal(chserver.ErrNotFound)
		}
		t.Skip(chserver.ErrNotFound)
	}
	cfg.Dir = t.TempDir()
	return cfg
}

func TestStartAnswersAndStops(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	began := time.Now()
	s, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s", time.Since(began).Round(time.Millisecond))
	pid := s.PID()

	conn := open(t, s.DSN(""))
	var one uint8
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	var tz string
	if err := conn.QueryRow(ctx, "SELECT timezone()").Scan(&tz); err != nil || (tz != "UTC" && tz != "Etc/UTC") {
		t.Errorf("server timezone %q, %v; want UTC", tz, err)
	}
	// Everything lives under Dir.
	for _, f := range []string{"config.xml", "users.xml", "data", "tmp", "user_files", "logs/console.log"} {
		if _, err := os.Stat(filepath.Join(cfg.Dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	// The HTTP interface answers too.
	resp, err := http.Get("http://" + s.HTTPAddr() + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.TrimSpace(string(body)) != "Ok." {
		t.Errorf("/ping = %q", body)
	}

	stopBegan := time.Now()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// An idle client connection is still open: the server must notice the shutdown
	// quickly anyway (poll_interval).
	if took := time.Since(stopBegan); took > 5*time.Second {
		t.Errorf("Stop took %s with an idle connection open", took)
	}
	t.Logf("stopped in %s", time.Since(stopBegan).Round(time.Millisecond))
	select {
	case <-s.Exited():
	default:
		t.Fatal("Exited not closed after Stop")
	}
	if !processGone(pid) {
		t.Fatalf("process %d still exists after Stop", pid)
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

func TestRestartKeepsData(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	s, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn := open(t, s.DSN(""))
	for _, q := range []string{
		"CREATE DATABASE keep",
		"CREATE TABLE keep.t (x UInt32) ENGINE = MergeTree ORDER BY x",
		"INSERT INTO keep.t (x) SELECT 7", /* INSERT … VALUES through Exec hangs on 18.16 */
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	s2, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Stop(ctx)
	var x uint32
	if err := open(t, s2.DSN("keep")).QueryRow(ctx, "SELECT x FROM t").Scan(&x); err != nil || x != 7 {
		t.Fatalf("after restart x = %d, %v", x, err)
	}
}

func TestStopKillsAServerThatIgnoresSIGTERM(t *testing.T) {
	cfg := testConfig(t)
	cfg.StopTimeout = 500 * time.Millisecond
	s, err := chserver.Start(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A stopped process cannot act on SIGTERM; SIGKILL still ends it.
	if err := syscall.Kill(s.PID(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	err = s.Stop(context.Background())
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Stop = %v, want a killed error", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("Stop took %s with a 500ms stop timeout", took)
	}
	if !processGone(s.PID()) {
		t.Fatal("process survived SIGKILL")
	}
}

func TestStartErrors(t *testing.T) {
	stub := func(t *testing.T, script string) string {
		p := filepath.Join(t.TempDir(), "clickhouse-server")
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		binary   func(t *testing.T) string
		notFound bool
		want     []string
	}{
		{"missing path", func(*testing.T) string { return "/nonexistent/clickhouse-server" }, true, []string{"clickhouse-server not found", "apt-get install clickhouse-server"}},
		{"not in PATH", func(*testing.T) string { return "clickhouse-server-does-not-exist" }, true, []string{"not in PATH"}},
		{"not executable", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "clickhouse-server")
			os.WriteFile(p, []byte("x"), 0o644)
			return p
		}, true, []string{"not an executable"}},
		{"dies at start-up", func(t *testing.T) string {
			return stub(t, "#!/bin/sh\necho 'DB::Exception: stand-in failure for the test' >&2\nexit 70\n")
		}, false, []string{"exited during start-up", "exit status 70", "stand-in failure for the test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := chserver.DefaultConfig()
			cfg.Binary, cfg.Dir = tt.binary(t), t.TempDir()
			_, err := chserver.Start(context.Background(), cfg, nil)
			if err == nil {
				t.Fatal("started")
			}
			if errors.Is(err, chserver.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v for %v", !tt.notFound, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

// TestStartFailureShowsErrorLog breaks the real server's metadata so that it fails
// while loading tables: the error must carry the tail of its error log.
func TestStartFailureShowsErrorLog(t *testing.T) {
	cfg := testConfig(t)
	meta := filepath.Join(cfg.Dir, "data", "metadata", "default")
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(meta, "broken.sql"), []byte("ATTACH TABLE broken (x NoSuchType) ENGINE = Memory\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := chserver.Start(context.Background(), cfg, nil)
	if err == nil {
		t.Fatal("started with broken metadata")
	}
	if !strings.Contains(err.Error(), "exited during start-up") || !strings.Contains(err.Error(), "<Error>") || !strings.Contains(err.Error(), "metadata") {
		t.Fatalf("error without the log tail: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := map[string]func(*chserver.Config){
		"no dir":        func(c *chserver.Config) { c.Dir = "" },
		"listen host":   func(c *chserver.Config) { c.Listen = "localhost" },
		"listen port":   func(c *chserver.Config) { c.Listen = "127.0.0.1:9000" },
		"start timeout": func(c *chserver.Config) { c.StartTimeout = 0 },
		"stop timeout":  func(c *chserver.Config) { c.StopTimeout = -time.Second },
		"memory":        func(c *chserver.Config) { c.MaxMemory = -1 },
		"log level":     func(c *chserver.Config) { c.LogLevel = "verbose" },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			c := chserver.DefaultConfig()
			c.Dir = "/tmp/x"
			mutate(&c)
			if err := c.Validate(); err == nil {
				t.Fatalf("accepted %+v", c)
			}
		})
	}
	c := chserver.DefaultConfig()
	c.Dir = "/tmp/x"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestChtestDatabaseIsolation(t *testing.T) {
	s := chtest.Shared(t)
	a, b := chtest.Database(t, s), chtest.Database(t, s)
	if a == b {
		t.Fatalf("two databases named %s", a)
	}
	ctx := context.Background()
	conn := open(t, s.DSN(a))
	if err := conn.Exec(ctx, "CREATE TABLE t (x UInt8) ENGINE = Memory"); err != nil {
		t.Fatal(err)
	}
	if err := open(t, s.DSN(b)).Exec(ctx, "SELECT count() FROM t"); err == nil {
		t.Fatal("database b sees a's table")
	}
	if s2 := chtest.Shared(t); s2 != s {
		t.Fatal("Shared started a second server")
	}
}

// A relative Dir (a data directory given relative to the working directory, as the
// configs do) is resolved before the server, which runs in Dir, reads it.
func TestStartRelativeDir(t *testing.T) {
	cfg := testConfig(t)
	t.Chdir(cfg.Dir)
	cfg.Dir = filepath.Join("data", "clickhouse")
	ctx := context.Background()
	s, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	if !filepath.IsAbs(s.Dir()) {
		t.Errorf("Dir() = %q, want an absolute path", s.Dir())
	}
	var one uint8
	if err := open(t, s.DSN("")).QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
}

// A running server announces itself in its directory, so that another process can
// use it instead of starting a second server on the same data.
func TestRunningEndpoint(t *testing.T) {
	cfg := testConfig(t)
	if _, ok := chserver.Running(cfg.Dir); ok {
		t.Fatal("Running before Start")
	}
	ctx := context.Background()
	s, err := chserver.Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := chserver.Running(cfg.Dir)
	if !ok || e.PID != s.PID() || e.TCPAddr != s.TCPAddr() || e.HTTPAddr != s.HTTPAddr() {
		t.Errorf("Running = %+v, %v; server pid %d tcp %s", e, ok, s.PID(), s.TCPAddr())
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := chserver.Running(cfg.Dir); ok {
		t.Error("Running after Stop")
	}
	// A file left by a process that died is stale.
	stale := `{"pid": 999999999, "tcp": "127.0.0.1:1", "http": "127.0.0.1:2"}`
	if err := os.WriteFile(filepath.Join(cfg.Dir, "endpoint.json"), []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	if e, ok := chserver.Running(cfg.Dir); ok {
		t.Errorf("stale endpoint reported running: %+v", e)
	}
}
