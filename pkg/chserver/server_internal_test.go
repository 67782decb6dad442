package chserver

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

// testBinary returns the real binary or skips (this package's own tests cannot use
// chtest, which imports it).
func testBinary(t *testing.T) string {
	t.Helper()
	bin := FindBinary()
	if bin == "" {
		if os.Getenv("GOVREPORT_REQUIRE_CLICKHOUSE") == "1" {
			t.Fatal(ErrNotFound)
		}
		t.Skip(ErrNotFound)
	}
	return bin
}

func TestConfigFilesGolden(t *testing.T) {
	s := serverSettings{
		Layout: newLayout("/srv/ch & co"), Listen: "127.0.0.1", TCPPort: 19000, HTTPPort: 18123,
		DisplayName: "govreport-test", LogLevel: "warning", MaxMemory: 1 << 30, Networks: networks("127.0.0.1"),
	}
	dir := t.TempDir()
	// Render into a temp dir but keep the golden's paths fixed.
	tmp := s
	tmp.Layout = newLayout(dir)
	if err := writeConfig(tmp); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.xml", "users.xml"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got = bytes.ReplaceAll(got, []byte(dir), []byte("/srv/ch &amp; co"))
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, golden, got)
		}
	}
	// The directory name is escaped, not pasted.
	var b bytes.Buffer
	if err := configTemplate.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<path>/srv/ch &amp; co/data/</path>") {
		t.Errorf("path not escaped:\n%s", b.String())
	}
}

func TestNetworks(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1": "127.0.0.1,::1",
		"::1":       "127.0.0.1,::1",
		"0.0.0.0":   "::/0",
		"10.1.2.3":  "::/0",
	}
	for listen, want := range tests {
		if got := strings.Join(networks(listen), ","); got != want {
			t.Errorf("networks(%s) = %s, want %s", listen, got, want)
		}
	}
}

func TestDialHost(t *testing.T) {
	tests := map[string]string{"127.0.0.1": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "::1": "::1", "10.0.0.5": "10.0.0.5"}
	for in, want := range tests {
		if got := dialHost(in); got != want {
			t.Errorf("dialHost(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestLastLines(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 3, ""},
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\n\n  \nb\n\n", 5, "a\nb"},
		{"only", 1, "only"},
		{"a\nb\nc", 0, ""},
		{"<Error> DB::Exception: x, stack trace:\n0. /lib/libclickhouse.so(f+0x16) [0x7f]\n1. /lib/libc.so.6(+0x89) [0x7f]\nLogging errors to e.log\n", 5,
			"<Error> DB::Exception: x, stack trace:\nLogging errors to e.log"},
		{"2. a numbered message, not a frame\n", 1, "2. a numbered message, not a frame"},
		{"5. DB::Exception::Exception(String const&, int) @ 0x9a1b in /usr/bin/clickhouse\nlast\n", 2, "last"},
	}
	for _, tt := range tests {
		if got := lastLines([]byte(tt.in), tt.n); got != tt.want {
			t.Errorf("lastLines(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestLogMarkTailsOnlyNewOutput(t *testing.T) {
	p := filepath.Join(t.TempDir(), "err.log")
	os.WriteFile(p, []byte("old error from yesterday\n"), 0o644)
	m := markLog(p)
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("new 1\nnew 2\n")
	f.Close()
	if got := m.tail(10, 1<<10); got != "new 1\nnew 2" {
		t.Fatalf("tail = %q", got)
	}
	if got := m.tail(10, 6); got != "new 2" {
		t.Fatalf("byte-bounded tail = %q", got)
	}
	if got := (logMark{path: p + ".missing"}).tail(5, 100); got != "" {
		t.Fatalf("missing file tail = %q", got)
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStartRetriesWhenPortTaken makes the first pick return a port another process
// holds: the server fails to bind it, and Start tries again with new ports.
func TestStartRetriesWhenPortTaken(t *testing.T) {
	bin := testBinary(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	calls := 0
	pickPorts = func(host string, n int) ([]int, error) {
		calls++
		ports, err := FreePorts(host, n)
		if calls == 1 && err == nil {
			ports[0] = taken.Addr().(*net.TCPAddr).Port
		}
		return ports, err
	}
	defer func() { pickPorts = FreePorts }()

	var logs syncBuffer
	cfg := DefaultConfig()
	cfg.Binary, cfg.Dir = bin, t.TempDir()
	s, err := Start(context.Background(), cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	if calls != 2 {
		t.Errorf("picked ports %d times, want 2", calls)
	}
	if s.TCPAddr() == taken.Addr().String() {
		t.Errorf("server claims the taken port %s", s.TCPAddr())
	}
	if !strings.Contains(logs.String(), "port taken") {
		t.Errorf("no retry logged:\n%s", logs.String())
	}
}

// TestStartTimesOutAndKills uses a stand-in binary that ignores SIGTERM and never
// answers: Start must give up after StartTimeout and leave no process behind.
func TestStartTimesOutAndKills(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	bin := filepath.Join(dir, "clickhouse-server")
	script := "#!/bin/sh\necho $$ > " + pidFile + "\ntrap '' TERM\nexec sleep 60\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Binary, cfg.Dir, cfg.StartTimeout = bin, filepath.Join(dir, "srv"), 700*time.Millisecond
	began := time.Now()
	_, err := Start(context.Background(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("Start took %s with a 700ms timeout", took)
	}
	assertGone(t, pidFile)
}

// assertGone checks that the process whose pid a stand-in binary wrote has exited.
func assertGone(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the stand-in never ran: %v", err)
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("process %d still exists (kill 0: %v)", pid, err)
	}
}

func TestFixedPorts(t *testing.T) {
	bin := testBinary(t)
	ports, err := FreePorts("127.0.0.1", 2)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Binary, cfg.Dir, cfg.TCPPort, cfg.HTTPPort = bin, t.TempDir(), ports[0], ports[1]
	s, err := Start(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.TCPAddr() != hostPort("127.0.0.1", ports[0]) || s.HTTPAddr() != hostPort("127.0.0.1", ports[1]) {
		t.Errorf("addresses %s %s, want ports %v", s.TCPAddr(), s.HTTPAddr(), ports)
	}
	// A second server cannot have the same fixed port: no retry with other ports.
	cfg2 := cfg
	cfg2.Dir, cfg2.HTTPPort = t.TempDir(), 0
	calls := 0
	pickPorts = func(host string, n int) ([]int, error) { calls++; return FreePorts(host, n) }
	defer func() { pickPorts = FreePorts }()
	if _, err := Start(context.Background(), cfg2, nil); !errors.Is(err, ErrPortInUse) || calls != 1 {
		t.Errorf("second server on a taken fixed port: err %v after %d picks", err, calls)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// An empty Binary is looked for at Start; finding none is ErrNotFound with the
// install hint.
func TestStartFindsNoBinary(t *testing.T) {
	saved := candidates
	candidates = []string{"/nonexistent/clickhouse-server", "clickhouse-server-not-in-path"}
	defer func() { candidates = saved }()
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	_, err := Start(context.Background(), cfg, nil)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "apt-get install clickhouse-server") {
		t.Fatalf("Start = %v, want ErrNotFound with the install hint", err)
	}
}
