package chdbtest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Environment variables that configure the tests.
const (
	// RequireEnv set to 1 turns a missing chDB into a test failure instead of a skip.
	RequireEnv = "GOVREPORT_REQUIRE_CHDB"
	// DirEnv is the npm --prefix chdb was installed under (it holds
	// node_modules/chdb); the default is $HOME/.cache/govreport/chdb.
	DirEnv = "GOVREPORT_CHDB_DIR"
)

// InstallHint is the command that installs chDB where Find looks by default.
const InstallHint = `npm install --prefix "$HOME/.cache/govreport/chdb" chdb@3.4.0`

// ErrNotInstalled is returned by Find when node or the chdb package is missing.
var ErrNotInstalled = errors.New("chdb is not installed")

//go:embed runner.js
var runnerJS []byte

// Engine runs statements in chDB through node.
type Engine struct {
	node    string // the node executable
	modules string // the node_modules directory holding chdb
}

// Step is one statement and the format of its output (TSV when empty).
type Step struct {
	SQL    string `json:"sql"`
	Format string `json:"format,omitempty"`
}

// Result is the output of one step, or its error message.
type Result struct {
	Out string `json:"out"`
	Err string `json:"err"`
}

// Find locates node and the chdb package (see DirEnv). The error wraps
// ErrNotInstalled when either is missing.
func Find() (*Engine, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: no node in PATH", ErrNotInstalled)
	}
	dir := os.Getenv(DirEnv)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("%w: no home directory to look in (set %s)", ErrNotInstalled, DirEnv)
		}
		dir = filepath.Join(home, ".cache", "govreport", "chdb")
	}
	modules := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, "chdb", "package.json")); err != nil {
		return nil, fmt.Errorf("%w: no %s", ErrNotInstalled, filepath.Join(modules, "chdb"))
	}
	return &Engine{node: node, modules: modules}, nil
}

// Open returns the engine for a test. When chDB is missing it skips the test, or
// fails it when RequireEnv is set to 1.
func Open(t testing.TB) *Engine {
	t.Helper()
	e, err := Find()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%v; install it with: %s", err, InstallHint)
		}
		t.Skipf("current-engine check skipped: %v (install with %s; set %s=1 to fail instead)", err, InstallHint, RequireEnv)
	}
	return e
}

// Run executes the steps in order in a chDB session stored in dir (created when
// missing; a later Run on the same dir sees the same databases) and returns the
// engine's version and one Result per step. Every step runs, whatever the ones
// before it did; err is set only when the runner itself failed.
func (e *Engine) Run(ctx context.Context, dir string, steps []Step) (version string, results []Result, err error) {
	script := filepath.Join(dir, "govreport-chdb-runner.js")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("chdb session: %w", err)
	}
	if err := os.WriteFile(script, runnerJS, 0o644); err != nil {
		return "", nil, fmt.Errorf("chdb runner: %w", err)
	}
	job, err := json.Marshal(struct {
		Path  string `json:"path"`
		Steps []Step `json:"steps"`
	}{filepath.Join(dir, "session"), steps})
	if err != nil {
		return "", nil, err
	}
	cmd := exec.CommandContext(ctx, e.node, script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+e.modules)
	cmd.Stdin = bytes.NewReader(job)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", nil, fmt.Errorf("chdb runner: %w: %s", err, tail(stderr.String(), 2000))
	}
	var out struct {
		Version string   `json:"version"`
		Results []Result `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return "", nil, fmt.Errorf("chdb runner output: %w: %s", err, tail(stdout.String()+stderr.String(), 2000))
	}
	if len(out.Results) != len(steps) {
		return "", nil, fmt.Errorf("chdb runner: %d results for %d steps", len(out.Results), len(steps))
	}
	return out.Version, out.Results, nil
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// RunChecked runs steps like Run within five minutes and fails the test when the
// runner fails or any of the first setup steps (the schema and the data the
// others read) reports an error. It logs the engine's version and returns it with
// the results of the steps after the setup.
func (e *Engine) RunChecked(t testing.TB, dir string, steps []Step, setup int) (string, []Result) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	version, res, err := e.Run(ctx, dir, steps)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("current engine: ClickHouse %s", version)
	for i, r := range res[:setup] {
		if r.Err != "" {
			t.Fatalf("setup step %d on ClickHouse %s: %s\n%s", i+1, version, r.Err, steps[i].SQL)
		}
	}
	return version, res[setup:]
}
