package chserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// portAttempts is how many times Start picks new ports when one was taken between
// picking it and the server binding it.
const portAttempts = 5

// pickPorts chooses the ports of a start (replaced in tests).
var pickPorts = FreePorts

// ErrPortInUse is returned (wrapped) by Start when a port was taken: after
// portAttempts tries with picked ports, or at once when a port is fixed in the
// Config (the caller may pick new ones and start again).
var ErrPortInUse = errors.New("address already in use")

// Server is a running clickhouse-server child process.
type Server struct {
	cfg      Config
	layout   layout
	host     string // address clients dial
	tcpPort  int
	httpPort int
	cmd      *exec.Cmd
	log      *slog.Logger

	exited  chan struct{} // closed when the process has exited
	waitErr error         // the process's exit status, set before exited closes

	stopOnce sync.Once
	stopErr  error
}

// Start starts a clickhouse-server with cfg and returns once it answers SELECT 1 over
// the native protocol. ctx bounds the start-up only; the server runs until Stop (or
// until this process exits). A missing binary yields an error wrapping ErrNotFound;
// a server that dies during start-up yields an error with the tail of its error log.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Binary == "" {
		cfg.Binary = FindBinary()
	}
	bin, err := resolveBinary(cfg.Binary)
	if err != nil {
		return nil, err
	}
	cfg.Binary = bin
	// The server runs in its directory and reads paths from its config file, so a
	// relative Dir would be resolved twice.
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("start clickhouse-server: %w", err)
	}
	l := newLayout(dir)
	if err := l.mkdirs(); err != nil {
		return nil, fmt.Errorf("start clickhouse-server: %w", err)
	}
	for attempt := 1; ; attempt++ {
		s, err := launch(ctx, cfg, l, log)
		if err == nil {
			return s, nil
		}
		fixed := cfg.TCPPort != 0 || cfg.HTTPPort != 0
		if !errors.Is(err, ErrPortInUse) || fixed || attempt == portAttempts {
			return nil, err
		}
		log.Warn("clickhouse-server port taken; retrying with new ports", "attempt", attempt, "err", err)
	}
}

// launch picks ports, writes the configuration, starts the process and waits until
// it answers.
func launch(ctx context.Context, cfg Config, l layout, log *slog.Logger) (*Server, error) {
	ports, err := pickPorts(cfg.Listen, 2)
	if err != nil {
		return nil, err
	}
	// Fixed ports win; a picked port equal to the other fixed one is replaced.
	for i, fixed := range []int{cfg.TCPPort, cfg.HTTPPort} {
		if fixed != 0 {
			ports[i] = fixed
		}
	}
	if ports[0] == ports[1] {
		more, err := pickPorts(cfg.Listen, 3)
		if err != nil {
			return nil, err
		}
		for _, p := range more {
			if p != ports[0] {
				if cfg.TCPPort == 0 {
					ports[0] = p
				} else {
					ports[1] = p
				}
				break
			}
		}
	}
	token := make([]byte, 8)
	if _, err := rand.Read(token); err != nil {
		return nil, fmt.Errorf("start clickhouse-server: %w", err)
	}
	settings := serverSettings{
		Layout: l, Listen: cfg.Listen, TCPPort: ports[0], HTTPPort: ports[1],
		DisplayName: "govreport-" + hex.EncodeToString(token),
		LogLevel:    cfg.LogLevel, MaxMemory: cfg.MaxMemory, Networks: networks(cfg.Listen),
		Clusters: clusterConfig(cfg.Clusters),
	}
	if err := writeConfig(settings); err != nil {
		return nil, fmt.Errorf("start clickhouse-server: %w", err)
	}
	console, err := os.Create(l.ConsoleLog)
	if err != nil {
		return nil, fmt.Errorf("start clickhouse-server: %w", err)
	}
	errMark, consoleMark := markLog(l.ErrorLog), logMark{path: l.ConsoleLog}

	cmd := exec.Command(cfg.Binary, serverArgs(cfg.Binary, l.ConfigFile)...)
	cmd.Dir = l.Dir
	cmd.Stdout, cmd.Stderr = console, console
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:   true,            // its own process group: Stop signals the whole group
		Pdeathsig: syscall.SIGKILL, // never outlive this process
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		console.Close()
		return nil, fmt.Errorf("start %s: %w", cfg.Binary, err)
	}
	s := &Server{
		cfg: cfg, layout: l, host: dialHost(cfg.Listen), tcpPort: ports[0], httpPort: ports[1],
		cmd: cmd, log: log, exited: make(chan struct{}),
	}
	go func() {
		s.waitErr = cmd.Wait()
		console.Close()
		close(s.exited)
	}()

	tail := func() string {
		t := errMark.tail(20, 8<<10)
		if c := consoleMark.tail(10, 4<<10); c != "" {
			t = strings.TrimSpace(t + "\n" + c)
		}
		return t
	}
	err = s.waitReady(ctx, settings.DisplayName)
	if err == nil {
		err = writeEndpoint(l.Dir, Endpoint{PID: cmd.Process.Pid, TCPAddr: s.TCPAddr(), HTTPAddr: s.HTTPAddr()})
	}
	if err == nil {
		log.Info("clickhouse-server started", "tcp", s.TCPAddr(), "http", s.HTTPAddr(), "dir", l.Dir,
			"pid", cmd.Process.Pid, "took", time.Since(began).Round(time.Millisecond))
		return s, nil
	}
	s.kill()
	t := tail()
	if strings.Contains(t, "Address already in use") {
		return nil, fmt.Errorf("clickhouse-server on ports %d/%d: %w", ports[0], ports[1], ErrPortInUse)
	}
	if t == "" {
		t = "(no log output; see " + l.LogDir + ")"
	}
	return nil, fmt.Errorf("%w; its log says:\n%s", err, t)
}

// waitReady polls SELECT 1 until it answers, the process dies, ctx ends or the
// start timeout passes. It checks that the server answering is this one (by its
// display name) and not another process that took the port.
func (s *Server) waitReady(ctx context.Context, displayName string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StartTimeout)
	defer cancel()
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{s.TCPAddr()},
		DialTimeout: time.Second,
		ReadTimeout: 5 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("clickhouse-server readiness client: %w", err)
	}
	defer conn.Close()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("clickhouse-server exited during start-up (%v)", s.waitErr)
		case <-ctx.Done():
			if last == nil {
				last = ctx.Err()
			}
			return fmt.Errorf("clickhouse-server did not answer within %s: %v", s.cfg.StartTimeout, last)
		case <-tick.C:
		}
		qctx, qcancel := context.WithTimeout(ctx, 2*time.Second)
		var one uint8
		last = conn.QueryRow(qctx, "SELECT 1").Scan(&one)
		qcancel()
		if last != nil {
			continue
		}
		if v, err := conn.ServerVersion(); err == nil && v.DisplayName != "" && v.DisplayName != displayName {
			return fmt.Errorf("another server (%q) answers on %s: %w", v.DisplayName, s.TCPAddr(), ErrPortInUse)
		}
		return nil
	}
}

// dialHost is the address clients use for a listen address: loopback for a
// wildcard.
func dialHost(listen string) string {
	ip := net.ParseIP(listen)
	switch {
	case ip == nil:
		return listen
	case ip.IsUnspecified() && ip.To4() != nil:
		return "127.0.0.1"
	case ip.IsUnspecified():
		return "::1"
	}
	return listen
}

// TCPAddr is the host:port of the native protocol.
func (s *Server) TCPAddr() string { return hostPort(s.host, s.tcpPort) }

// HTTPAddr is the host:port of the HTTP interface.
func (s *Server) HTTPAddr() string { return hostPort(s.host, s.httpPort) }

// DSN returns a clickhouse-go DSN for the native protocol and a database (empty for
// the server's default database), e.g. clickhouse://127.0.0.1:40123/govreport?dial_timeout=5s.
func (s *Server) DSN(database string) string {
	u := url.URL{Scheme: "clickhouse", Host: s.TCPAddr(), Path: "/" + database, RawQuery: "dial_timeout=5s"}
	return u.String()
}

// Dir is the server's directory.
func (s *Server) Dir() string { return s.layout.Dir }

// LogDir is the directory of the server's logs.
func (s *Server) LogDir() string { return s.layout.LogDir }

// PID is the server's process ID (also its process group ID).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Exited is closed when the server process has exited, whether stopped or crashed.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// Stop stops the server: SIGTERM to its process group, then SIGKILL when it has not
// exited within the configured StopTimeout or by ctx's deadline, whichever is
// sooner. It waits for the process to exit and is safe to call more than once. It
// returns an error when the server had to be killed.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	if err := removeEndpoint(s.layout.Dir); err != nil {
		s.log.Warn("remove clickhouse-server endpoint file", "err", err)
	}
	select {
	case <-s.exited:
		s.log.Warn("clickhouse-server had already exited", "status", s.waitErr)
		return nil
	default:
	}
	began := time.Now()
	s.signal(syscall.SIGTERM)
	timer := time.NewTimer(s.cfg.StopTimeout)
	defer timer.Stop()
	select {
	case <-s.exited:
		s.log.Info("clickhouse-server stopped", "took", time.Since(began).Round(time.Millisecond))
		return nil
	case <-timer.C:
	case <-ctx.Done():
	}
	s.kill()
	return fmt.Errorf("clickhouse-server (pid %d) did not stop within %s of SIGTERM; killed", s.PID(), time.Since(began).Round(time.Millisecond))
}

// kill sends SIGKILL to the process group and waits for the process to exit.
func (s *Server) kill() {
	s.signal(syscall.SIGKILL)
	<-s.exited
}

// signal signals the server's process group (the server may have started children).
func (s *Server) signal(sig syscall.Signal) {
	if err := syscall.Kill(-s.cmd.Process.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		s.log.Warn("signal clickhouse-server", "signal", sig, "err", err)
		_ = s.cmd.Process.Signal(sig)
	}
}
