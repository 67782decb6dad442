package chtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/govreport/govreport/pkg/chserver"
)

// RequireEnv is the environment variable that turns a missing clickhouse-server
// into a test failure instead of a skip.
const RequireEnv = "GOVREPORT_REQUIRE_CLICKHOUSE"

// Start starts a clickhouse-server for one test in a temporary directory and stops
// it when the test ends.
func Start(t testing.TB) *chserver.Server {
	t.Helper()
	cfg := config(t)
	cfg.Dir = t.TempDir()
	s, err := chserver.Start(context.Background(), cfg, nil)
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("stop clickhouse-server: %v", err)
		}
	})
	return s
}

// config returns the configuration tests use, skipping or failing when there is no
// binary.
func config(t testing.TB) chserver.Config {
	t.Helper()
	cfg := testConfig()
	if cfg.Binary = chserver.FindBinary(); cfg.Binary == "" {
		fail(t, chserver.ErrNotFound)
	}
	return cfg
}

// testConfig is the configuration of test servers (without Dir).
func testConfig() chserver.Config {
	cfg := chserver.DefaultConfig()
	cfg.MaxMemory = 2 << 30
	cfg.StopTimeout = 20 * time.Second
	return cfg
}

// fail skips the test when the binary is missing (unless RequireEnv is set) and
// fails it otherwise.
func fail(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, chserver.ErrNotFound) && os.Getenv(RequireEnv) != "1" {
		t.Skipf("%v (set %s=1 to fail instead of skipping)", err, RequireEnv)
	}
	t.Fatalf("clickhouse-server for tests: %v", err)
}

// shared is the per-binary server of Main and Shared.
var shared struct {
	sync.Mutex
	installed bool
	dir       string
	srv       *chserver.Server
	err       error
}

// Main runs the tests of a package (call it from TestMain) and stops the shared
// server, if a test started one, before exiting:
//
//	func TestMain(m *testing.M) { chtest.Main(m) }
func Main(m *testing.M) {
	shared.Lock()
	shared.installed = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	if shared.srv != nil {
		if err := shared.srv.Stop(context.Background()); err != nil {
			fmt.Fprintf(os.Stderr, "chtest: stop shared clickhouse-server: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.Unlock()
	os.Exit(code)
}

// Shared returns the test binary's clickhouse-server, starting it on first use. The
// package must run its tests through Main, which stops the server at exit. Use
// Database to keep tests apart.
func Shared(t testing.TB) *chserver.Server {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if !shared.installed {
		t.Fatal("chtest.Shared needs the package's TestMain to call chtest.Main(m)")
	}
	if shared.srv == nil && shared.err == nil {
		shared.err = startShared(t)
	}
	if shared.err != nil {
		fail(t, shared.err)
	}
	return shared.srv
}

func startShared(t testing.TB) error {
	cfg := testConfig()
	if cfg.Binary = chserver.FindBinary(); cfg.Binary == "" {
		return chserver.ErrNotFound
	}
	dir, err := os.MkdirTemp("", "chtest-")
	if err != nil {
		return err
	}
	cfg.Dir = dir
	s, err := chserver.Start(context.Background(), cfg, nil)
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	shared.dir, shared.srv = dir, s
	return nil
}

var (
	dbSeq     atomic.Int64
	nonIdent  = regexp.MustCompile(`[^a-z0-9_]+`)
	maxDBName = 60
)

// Database creates a database with a name unique to the test on s and drops it when
// the test ends. It returns the name.
func Database(t testing.TB, s *chserver.Server) string {
	t.Helper()
	name := nonIdent.ReplaceAllString(strings.ToLower(t.Name()), "_")
	suffix := fmt.Sprintf("_%d_%d", os.Getpid(), dbSeq.Add(1))
	if len(name) > maxDBName-len(suffix)-2 {
		name = name[:maxDBName-len(suffix)-2]
	}
	name = "t_" + name + suffix
	exec := func(q string) error {
		opts, err := clickhouse.ParseDSN(s.DSN(""))
		if err != nil {
			return err
		}
		conn, err := clickhouse.Open(opts)
		if err != nil {
			return err
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return conn.Exec(ctx, q)
	}
	if err := exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		select {
		case <-s.Exited():
			return // the test stopped the server
		default:
		}
		if err := exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return name
}
