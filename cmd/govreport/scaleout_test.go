package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// scaleOutPortal is the portal of the scale-out test: 50 sites × 100 reports (20
// bodies × 5 years) = 5,000 reports, plus one notice per site.
var scaleOutPortal = sampleportal.Config{
	Seed: 20261124, Sites: 50, ReportsPerSite: 100, Years: []int{2019, 2020, 2021, 2022, 2023},
	ListPageSize: 25, NoticesPerSite: 1, AnomalyRate: 0.2,
}

// scaleOutStages are the stage subcommands the test runs two processes of, in the
// order they are started (consumers before producers).
var scaleOutStages = []string{"load", "extract", "crawl"}

// scaleOutWork is, per stage, the metric whose sum says how much work a process
// did, and the label value that must be set on it ("" for any).
var scaleOutWork = map[string]struct{ metric, label string }{
	"crawl":   {"govreport_crawler_published_total", ""},
	"extract": {"govreport_extractor_documents_total", `outcome="parsed"`},
	"load":    {"govreport_loader_rows_total", `table="reports"`},
}

// TestScaleOutSurvivesKills is the scale-out proof: a 3-node NATS cluster with
// replicated streams, two processes each of `govreport crawl`, `extract` and
// `load` (the real binary), a generated portal of 5,000 reports crawled through
// the shared work queue; half-way one process of each stage is SIGKILLed and one
// NATS node is shut down. The survivors must finish, and ClickHouse must end with
// every report exactly once, cell for cell.
func TestScaleOutSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("scale-out: builds the binary, runs a NATS cluster, six processes and clickhouse-server")
	}
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()

	bin := buildBinary(t, ctx)
	chs := chtest.Shared(t)
	db := chtest.Database(t, chs)
	cluster := startNATSCluster(t, 3)

	portal, base, sitesFile := servePortal(t, scaleOutPortal)
	expected := portal.Expected(base)
	notices := portal.Notices(base)
	if len(expected) < 5000 {
		t.Fatalf("portal has %d reports, want at least 5,000", len(expected))
	}
	portalSites := portal.Sites(base)

	// The test's own connection creates the replicated streams (and is the
	// scheduler: it publishes the crawl jobs).
	b := openClusterBus(t, ctx, cluster.clientURLs())
	for _, s := range []string{bus.StreamRaw, bus.StreamParsed, bus.StreamCrawlJobs} {
		st, err := b.JS.Stream(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if r := st.CachedInfo().Config.Replicas; r != 3 {
			t.Fatalf("stream %s has %d replicas, want 3", s, r)
		}
	}

	// The configurations and the processes' logs stay when the test fails.
	dir, err := os.MkdirTemp("", "govreport-scaleout-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("process logs and configurations kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	base0 := scaleOutConfig(dir, cluster.clientURLs(), chs.DSN(""), db, sitesFile)
	if _, stderr, err := run(t, "migrate", "--config", writeTestFile(t, dir, "migrate.yaml", base0+"metrics: {listen: \"\"}\n")); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr)
	}

	h := &scaleOut{t: t, b: b, cluster: cluster, db: db, conn: openDB(t, chs.DSN("")), procs: map[string][]*stageProcess{}}
	for _, stage := range scaleOutStages {
		for i := range 2 {
			name := fmt.Sprintf("%s-%d", stage, i+1)
			addr := freeAddr(t)
			cfg := writeTestFile(t, dir, name+".yaml", base0+fmt.Sprintf("metrics: {listen: %q}\n", addr))
			h.procs[stage] = append(h.procs[stage], startStageProcess(t, bin, name, stage, cfg, addr, filepath.Join(dir, name+".log")))
		}
	}
	t.Cleanup(h.dumpOnFailure) // before the processes are killed
	ready := map[string]string{"crawl": "scheduler started", "extract": "extractor running", "load": "loader started"}
	for _, stage := range scaleOutStages {
		for _, p := range h.procs[stage] {
			h.waitLog(ctx, p, ready[stage], time.Minute)
		}
	}
	started := time.Now()
	t.Logf("binary built, cluster, clickhouse and 6 processes up in %s", started.Sub(began).Round(time.Millisecond))

	// The test is the scheduler: one job per site, shared by both crawlers
	// through the CRAWL_JOBS work queue.
	runName := "scaleout-" + strconv.FormatInt(time.Now().Unix(), 10)
	for _, s := range portalSites {
		if _, err := b.PublishCrawlJob(ctx, bus.CrawlJob{Site: s.ID, Run: runName, Scheduled: started}); err != nil {
			t.Fatal(err)
		}
	}

	// Half-way: SIGKILL one process of each stage and shut down one NATS node.
	want := len(expected)
	var crawled time.Time // when the last crawl job was acknowledged
	crawlJobs := func() consumerState {
		jobs := h.consumerState(ctx, bus.StreamCrawlJobs, bus.ConsumerCrawler)
		if crawled.IsZero() && jobs.drained() {
			crawled = time.Now()
		}
		return jobs
	}
	h.waitFor(ctx, "40% of the reports loaded", 5*time.Minute, func() (bool, string) {
		n := h.loaded(ctx)
		return n*10 >= want*4, fmt.Sprintf("%d of %d reports loaded; crawl jobs %s", n, want, crawlJobs())
	})
	kill := h.killHalf(ctx, want)
	t.Logf("half-way after %s: %s", kill.at.Sub(started).Round(time.Millisecond), kill)
	if !crawled.IsZero() {
		t.Errorf("the crawl was over before the kill: the crawler kill proves nothing")
	}

	// The survivors finish: every report loaded, the work queue and RAW/PARSED
	// consumers drained. Everything drained with reports missing, and nothing
	// moving for half a minute, fails at once: nothing is left to bring them.
	var idleSince time.Time
	idle := 0
	h.waitFor(ctx, "every report loaded and every consumer drained", 8*time.Minute, func() (bool, string) {
		jobs := crawlJobs()
		raw := h.consumerState(ctx, bus.StreamRaw, bus.ConsumerExtractor)
		parsed := h.consumerState(ctx, bus.StreamParsed, bus.ConsumerLoader)
		n := h.loaded(ctx)
		status := fmt.Sprintf("%d of %d reports loaded; crawl jobs %s; RAW %s; PARSED %s", n, want, jobs, raw, parsed)
		drained := jobs.drained() && raw.drained() && parsed.drained()
		switch {
		case drained && n == want:
			return true, status
		case drained && n == idle && !idleSince.IsZero() && time.Since(idleSince) > 30*time.Second:
			h.status = status
			h.explainMissing(ctx, expected)
			t.Fatalf("the pipeline is idle with reports missing: %s", status)
		case !drained || n != idle:
			idle, idleSince = n, time.Now()
		}
		return false, status
	})
	finished := time.Now()

	// Exactly once in effect: the expected reports, no more, no fewer, one current
	// row each, cell for cell.
	var wantIDs []string
	for _, e := range expected {
		wantIDs = append(wantIDs, e.Record.Meta.DocID)
	}
	slices.Sort(wantIDs)
	diffSets(t, "reports_current doc IDs", wantIDs, queryStrings(t, ctx, h.conn, "SELECT doc_id FROM "+db+".reports_current"))
	if dup := queryStrings(t, ctx, h.conn, "SELECT doc_id FROM "+db+".reports FINAL GROUP BY doc_id HAVING count() > 1"); len(dup) > 0 {
		t.Errorf("%d reports have more than one row after FINAL: %v", len(dup), head(dup, 8))
	}
	if dup := queryStrings(t, ctx, h.conn, "SELECT doc_id FROM "+db+".reports_current GROUP BY doc_id HAVING count() > 1"); len(dup) > 0 {
		t.Errorf("%d reports have more than one current row: %v", len(dup), head(dup, 8))
	}
	// Rows inserted more than once before merging: the at-least-once replays that
	// the ReplacingMergeTree absorbs (not an error; reported).
	replayed := queryStrings(t, ctx, h.conn, "SELECT doc_id FROM "+db+".reports GROUP BY doc_id HAVING count() > 1")
	cells, wrong := h.compareCells(ctx, expected)
	var wantRejected []string
	for _, n := range notices {
		wantRejected = append(wantRejected, n.DocID+"|"+string(n.Reason))
	}
	slices.Sort(wantRejected)
	diffSets(t, "rejected documents", wantRejected, queryStrings(t, ctx, h.conn,
		"SELECT doc_id, reason FROM "+db+".raw_documents_current WHERE status = 'rejected'"))
	if dead := h.streamMsgs(ctx, bus.StreamDead); dead != 0 {
		t.Errorf("%d messages were dead-lettered", dead)
	}

	// The survivors are connected to the two remaining nodes, and every process of
	// each stage did work.
	for _, p := range h.survivors() {
		if n := h.nodeOf(p); n == "" || n == cluster.names[kill.node] {
			t.Errorf("%s is not connected to a remaining node (was on %s)", p.name, kill.where[p.name])
		}
	}
	if conns := cluster.govreportConns(); sumValues(conns) != 3+1 {
		t.Errorf("connections after the kills: %v, want the 3 surviving processes' and the test's", conns)
	}
	work := map[string]float64{}
	for _, stage := range scaleOutStages {
		for _, p := range h.procs[stage] {
			if !p.killed {
				p.last = h.scrape(p)
			}
			w := scaleOutWork[stage]
			work[p.name] = metricSum(p.last, w.metric, w.label)
			if work[p.name] <= 0 {
				t.Errorf("%s did no work: %s = %v", p.name, w.metric, work[p.name])
			}
		}
	}
	resumed := 0
	reconnected := 0
	for _, p := range h.survivors() {
		resumed += strings.Count(readLog(t, p.log), "resuming crawl job")
		reconnected += strings.Count(readLog(t, p.log), "nats reconnected")
	}
	if len(kill.survivorsOnIt) > 0 && reconnected == 0 {
		t.Errorf("%v were connected to the shut-down node, but none logged a reconnect", kill.survivorsOnIt)
	}
	if kill.victimCrawling && resumed == 0 {
		t.Errorf("the killed crawler was crawling, but no survivor resumed a crawl job")
	}

	// The survivors stop cleanly on SIGTERM.
	for _, p := range h.survivors() {
		if err := p.stop(time.Minute); err != nil {
			t.Errorf("%s: %v", p.name, err)
		}
	}

	raws := h.streamMsgs(ctx, bus.StreamRaw)
	crawlTook := crawled.Sub(started)
	t.Logf("scale-out: %d reports + %d notices over %d sites; %d cells compared, %d wrong", want, len(notices), len(portalSites), cells, wrong)
	t.Logf("work per process: %v", work)
	t.Logf("RAW holds %d messages (%d documents expected); %d reports were inserted more than once (replays merged away); %d crawl jobs resumed by a survivor; %d reconnects logged by survivors",
		raws, want+len(notices), len(replayed), resumed, reconnected)
	t.Logf("timings: total %s (setup %s); crawl %s (%.0f documents/s); load of all reports %s; drained %s after the kills",
		time.Since(began).Round(time.Millisecond), started.Sub(began).Round(time.Millisecond), crawlTook.Round(time.Millisecond),
		float64(want+len(notices))/crawlTook.Seconds(), finished.Sub(started).Round(time.Millisecond), finished.Sub(kill.at).Round(time.Millisecond))
}

// scaleOutConfig is the configuration every process shares (each adds its own
// metrics.listen): the cluster's three URLs with three replicas, politeness relaxed
// for one loopback host, short ack waits so that the killed processes' work is
// redelivered quickly, and a crawl schedule that does not fire during the test (the
// test publishes the jobs).
func scaleOutConfig(dir, natsURL, dsn, db, sitesFile string) string {
	return fmt.Sprintf(`data_dir: %s
log: {level: info, format: json}
nats: {url: %q, replicas: 3, connect_timeout: 20s}
clickhouse: {dsn: %q, database: %s}
crawler:
  sites: %s
  allow_private: true
  host_concurrency: 16
  host_delay: 0s
  site_concurrency: 4
  site_workers: 2
  request_timeout: 20s
  retry: {attempts: 3, base: 200ms, max: 2s}
  backoff: {slow_response: 30s}
  schedule: {specs: ["0 3 1 6 *"], timezone: UTC}
  jobs: {ack_wait: 10s, max_deliver: 10}
extractor:
  ack_wait: 10s
  fetch_max_wait: 200ms
  nak_delay: 500ms
  attachments: {limits: {timeout: 5s}}
loader: {batch_age: 200ms, fetch_max_wait: 200ms, ack_wait: 12s, retry_backoff: 200ms}
`, filepath.Join(dir, "data"), natsURL, dsn, db, sitesFile)
}

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// buildBinary builds govreport from this directory into a temporary directory.
func buildBinary(t *testing.T, ctx context.Context) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "govreport")
	bctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(bctx, "go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// natsCluster is a JetStream cluster of nats-servers in the test process.
type natsCluster struct {
	servers []*server.Server
	names   []string
}

// startNATSCluster starts n servers in cluster "govreport", each routed to every
// other, JetStream on a store of its own, and waits for a meta leader.
func startNATSCluster(t *testing.T, n int) *natsCluster {
	t.Helper()
	var routes []string
	ports := make([]int, n)
	for i := range n {
		addr := freeAddr(t)
		p, err := strconv.Atoi(addr[strings.LastIndexByte(addr, ':')+1:])
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = p
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	c := &natsCluster{}
	for i := range n {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       server.RANDOM_PORT,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			MaxPayload: 1 << 20,
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "govreport", Host: "127.0.0.1", Port: ports[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
		c.servers = append(c.servers, s)
		c.names = append(c.names, opts.ServerName)
	}
	for _, s := range c.servers {
		if !s.ReadyForConnections(30 * time.Second) {
			t.Fatalf("nats %s not ready", s.Name())
		}
	}
	deadline := time.Now().Add(time.Minute)
	for {
		leader, current := "", 0
		for _, s := range c.servers {
			if s.JetStreamIsLeader() {
				leader = s.Name()
			}
			if s.JetStreamIsCurrent() {
				current++
			}
		}
		if leader != "" && current == n {
			t.Logf("nats cluster of %d up: meta leader %s", n, leader)
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats cluster: no JetStream meta leader after a minute (leader %q, %d current)", leader, current)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clientURLs is the comma-separated client URLs of every server.
func (c *natsCluster) clientURLs() string {
	var urls []string
	for _, s := range c.servers {
		urls = append(urls, s.ClientURL())
	}
	return strings.Join(urls, ",")
}

// govreportConns counts the connections named "govreport" (every bus.Open) per
// running server.
func (c *natsCluster) govreportConns() map[string]int {
	out := map[string]int{}
	for i, s := range c.servers {
		if !s.Running() {
			continue
		}
		cz, err := s.Connz(&server.ConnzOptions{Limit: 1000})
		if err != nil {
			continue
		}
		for _, ci := range cz.Conns {
			if ci.Name == "govreport" {
				out[c.names[i]]++
			}
		}
	}
	return out
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// openClusterBus connects the test to the cluster with three replicas, retrying
// while the new cluster cannot place replicated streams yet.
func openClusterBus(t *testing.T, ctx context.Context, urls string) *bus.Bus {
	t.Helper()
	cfg := bus.DefaultConfig()
	cfg.URL, cfg.Replicas = urls, 3
	deadline := time.Now().Add(time.Minute)
	for {
		b, err := bus.Open(ctx, cfg, t.TempDir(), nil)
		if err == nil {
			t.Cleanup(func() { b.Close() })
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("open the cluster bus: %v", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// stageProcess is one govreport process of the test.
type stageProcess struct {
	name, stage string
	cmd         *exec.Cmd
	log         string
	metrics     string // host:port of /metrics
	done        chan struct{}
	err         error // Wait's result, once done is closed
	killed      bool
	last        string // the last /metrics scrape
}

// startStageProcess starts `govreport <stage> --config cfg` with stdout and stderr in
// logPath. The process is killed and waited for when the test ends.
func startStageProcess(t *testing.T, bin, name, stage, cfg, metrics, logPath string) *stageProcess {
	t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, stage, "--config", cfg)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &stageProcess{name: name, stage: stage, cmd: cmd, log: logPath, metrics: metrics, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// exited reports whether the process has ended.
func (p *stageProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and waits up to d for a clean exit.
func (p *stageProcess) stop(d time.Duration) error {
	if p.exited() {
		return fmt.Errorf("exited before it was stopped: %v", p.err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("sigterm: %w", err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			return fmt.Errorf("exit after sigterm: %w", p.err)
		}
		return nil
	case <-time.After(d):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("did not stop within %s of sigterm", d)
	}
}

// scaleOut holds the running test's parts.
type scaleOut struct {
	t       *testing.T
	b       *bus.Bus
	cluster *natsCluster
	db      string
	conn    driver.Conn
	procs   map[string][]*stageProcess // stage → its two processes; the first is the one killed
	status  string                     // the last progress line of waitFor
}

// victims are the processes killed half-way: the first of each stage.
func (h *scaleOut) victims() []*stageProcess {
	var out []*stageProcess
	for _, stage := range scaleOutStages {
		out = append(out, h.procs[stage][0])
	}
	return out
}

// survivors are the processes left running: the second of each stage.
func (h *scaleOut) survivors() []*stageProcess {
	var out []*stageProcess
	for _, stage := range scaleOutStages {
		out = append(out, h.procs[stage][1])
	}
	return out
}

// failIfExited fails the test when a process that should be running has ended.
func (h *scaleOut) failIfExited() {
	h.t.Helper()
	for _, stage := range scaleOutStages {
		for _, p := range h.procs[stage] {
			if !p.killed && p.exited() {
				h.t.Fatalf("%s exited on its own: %v", p.name, p.err)
			}
		}
	}
}

// waitLog waits until p's log has a record with message msg.
func (h *scaleOut) waitLog(ctx context.Context, p *stageProcess, msg string, d time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for {
		b, err := os.ReadFile(p.log)
		if err == nil && strings.Contains(string(b), `"msg":"`+msg+`"`) {
			return
		}
		h.failIfExited()
		if time.Now().After(deadline) || ctx.Err() != nil {
			h.t.Fatalf("%s did not log %q within %s", p.name, msg, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFor polls cond until it holds, failing after d (or when a process dies) with
// cond's last status.
func (h *scaleOut) waitFor(ctx context.Context, what string, d time.Duration, cond func() (bool, string)) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, status := cond()
		h.status = status
		if ok {
			return
		}
		h.failIfExited()
		if time.Now().After(deadline) || ctx.Err() != nil {
			h.t.Fatalf("waiting for %s: gave up after %s: %s", what, d, status)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// loaded counts the reports in reports_current (-1 when the query fails).
func (h *scaleOut) loaded(ctx context.Context) int {
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var n uint64
	if err := h.conn.QueryRow(qctx, "SELECT count() FROM "+h.db+".reports_current").Scan(&n); err != nil {
		return -1
	}
	return int(n)
}

// consumerState is what a durable consumer has left.
type consumerState struct {
	pending, ackPending, redelivered uint64
	err                              error
}

func (c consumerState) drained() bool { return c.err == nil && c.pending == 0 && c.ackPending == 0 }

func (c consumerState) String() string {
	if c.err != nil {
		return "error: " + c.err.Error()
	}
	return fmt.Sprintf("%d pending, %d unacknowledged, %d redelivered", c.pending, c.ackPending, c.redelivered)
}

func (h *scaleOut) consumerState(ctx context.Context, stream, consumer string) consumerState {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := h.b.JS.Consumer(cctx, stream, consumer)
	if err != nil {
		return consumerState{err: err}
	}
	info, err := c.Info(cctx)
	if err != nil {
		return consumerState{err: err}
	}
	return consumerState{pending: info.NumPending, ackPending: uint64(info.NumAckPending), redelivered: uint64(info.NumRedelivered)}
}

// streamMsgs is the number of messages a stream holds (0 when it cannot tell).
func (h *scaleOut) streamMsgs(ctx context.Context, name string) uint64 {
	info, err := h.streamInfo(ctx, name)
	if err != nil {
		h.t.Logf("stream %s: %v", name, err)
		return 0
	}
	return info.State.Msgs
}

func (h *scaleOut) streamInfo(ctx context.Context, name string) (*jetstream.StreamInfo, error) {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := h.b.JS.Stream(sctx, name)
	if err != nil {
		return nil, err
	}
	return s.Info(sctx)
}

// scrape returns p's /metrics page ("" when it does not answer).
func (h *scaleOut) scrape(p *stageProcess) string {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + p.metrics + "/metrics")
	if err != nil {
		h.t.Logf("scrape %s: %v", p.name, err)
		return ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Logf("scrape %s: %v", p.name, err)
	}
	return string(b)
}

// metricSum adds up the samples of a metric in a Prometheus text page, only those
// whose labels contain label when it is not empty.
func metricSum(page, name, label string) float64 {
	var sum float64
	for _, line := range strings.Split(page, "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != '{' && rest[0] != ' ') {
			continue
		}
		if label != "" && !strings.Contains(rest, label) {
			continue
		}
		f := strings.Fields(rest)
		if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
			sum += v
		}
	}
	return sum
}

// nodeOf returns the name of the cluster node p is connected to ("" when it has no
// connection to a running node): the remote port of an established TCP socket of
// the process that is a node's client port.
func (h *scaleOut) nodeOf(p *stageProcess) string {
	byPort := map[int]string{}
	for i, s := range h.cluster.servers {
		if !s.Running() {
			continue
		}
		u := s.ClientURL()
		if port, err := strconv.Atoi(u[strings.LastIndexByte(u, ':')+1:]); err == nil {
			byPort[port] = h.cluster.names[i]
		}
	}
	for _, remote := range remotePorts(p.cmd.Process.Pid) {
		if n, ok := byPort[remote]; ok {
			return n
		}
	}
	return ""
}

// remotePorts lists the remote ports of a process's established TCP connections
// (from /proc: its socket descriptors, looked up in its network namespace's table).
func remotePorts(pid int) []int {
	inodes := map[string]bool{}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var out []int
	for _, table := range []string{"tcp", "tcp6"} {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			// sl local_address rem_address st … inode (the 10th field)
			if len(f) < 10 || f[3] != "01" || !inodes[f[9]] {
				continue
			}
			i := strings.LastIndexByte(f[2], ':')
			if port, err := strconv.ParseInt(f[2][i+1:], 16, 32); err == nil {
				out = append(out, int(port))
			}
		}
	}
	return out
}

// killReport says what the half-way kill did.
type killReport struct {
	at             time.Time
	loaded         int
	node           int               // index of the node shut down
	where          map[string]string // process → node, before the kill
	leads          []string          // streams the node shut down was leading
	survivorsOnIt  []string
	jobsInFlight   uint64 // crawl jobs taken and not acknowledged
	victimCrawling bool   // the killed crawler had a site crawl running
	consumers      string
}

func (k killReport) String() string {
	return fmt.Sprintf("%d reports loaded; crawl jobs in flight %d (killed crawler crawling: %v); %s; processes on nodes %v; "+
		"shut down node n%d (leader of %v; surviving processes on it: %v)",
		k.loaded, k.jobsInFlight, k.victimCrawling, k.consumers, k.where, k.node+1, k.leads, k.survivorsOnIt)
}

// moveLeader makes node the leader of a stream (a leader step-down with that node
// preferred) and waits until it is.
func (h *scaleOut) moveLeader(ctx context.Context, stream, node string) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := h.streamInfo(ctx, stream)
		if err == nil && info.Cluster != nil && info.Cluster.Leader == node {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("stream %s: leader not moved to %s in 30s (%v)", stream, node, err)
		}
		if err == nil {
			req := fmt.Sprintf(`{"placement":{"preferred":%q}}`, node)
			if _, err := h.b.Conn.Request("$JS.API.STREAM.LEADER.STEPDOWN."+stream, []byte(req), 5*time.Second); err != nil {
				h.t.Logf("stream %s: step down for %s: %v", stream, node, err)
			}
		}
		time.Sleep(time.Second)
	}
}

// killHalf SIGKILLs the first process of each stage and shuts down the node the
// surviving crawler is connected to, made the leader of RAW first: the crawler
// must reconnect and publish on while the stream it publishes to elects a new
// leader, with its publishes in flight cut off.
func (h *scaleOut) killHalf(ctx context.Context, want int) killReport {
	h.t.Helper()
	rep := killReport{loaded: h.loaded(ctx), where: map[string]string{"test": h.b.Conn.ConnectedServerName()}}
	onNode := map[string][]string{}
	for _, stage := range scaleOutStages {
		for i, p := range h.procs[stage] {
			n := h.nodeOf(p)
			rep.where[p.name] = n
			if i == 1 {
				onNode[n] = append(onNode[n], p.name)
			}
		}
	}
	// The node to shut down: the surviving crawler's, made the RAW leader.
	best := slices.Index(h.cluster.names, rep.where[h.procs["crawl"][1].name])
	if best < 0 {
		h.t.Fatalf("the surviving crawler is connected to no node: %v", rep.where)
	}
	h.moveLeader(ctx, bus.StreamRaw, h.cluster.names[best])
	leaders := map[string][]string{}
	for _, s := range []string{bus.StreamRaw, bus.StreamParsed, bus.StreamCrawlJobs} {
		if info, err := h.streamInfo(ctx, s); err == nil && info.Cluster != nil {
			leaders[info.Cluster.Leader] = append(leaders[info.Cluster.Leader], s)
		}
	}
	rep.node = best
	rep.leads = leaders[h.cluster.names[best]]
	rep.survivorsOnIt = onNode[h.cluster.names[best]]
	rep.jobsInFlight = h.consumerState(ctx, bus.StreamCrawlJobs, bus.ConsumerCrawler).ackPending
	rep.consumers = fmt.Sprintf("RAW %s; PARSED %s",
		h.consumerState(ctx, bus.StreamRaw, bus.ConsumerExtractor), h.consumerState(ctx, bus.StreamParsed, bus.ConsumerLoader))

	for _, v := range h.victims() {
		v.last = h.scrape(v)
		if v.stage == "crawl" {
			rep.victimCrawling = metricSum(v.last, "govreport_crawler_sites_active", "") > 0
		}
	}
	rep.at = time.Now()
	for _, v := range h.victims() {
		if err := v.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			h.t.Fatalf("kill %s: %v", v.name, err)
		}
		v.killed = true
	}
	s := h.cluster.servers[best]
	s.Shutdown()
	s.WaitForShutdown()
	for _, v := range h.victims() {
		<-v.done
	}
	if rep.loaded >= want {
		h.t.Errorf("every report was loaded before the kill: the kill proves nothing")
	}
	return rep
}

// compareCells compares every loaded current cell with the generated one (the
// end-to-end test's rendering) and returns how many were compared and wrong.
func (h *scaleOut) compareCells(ctx context.Context, expected []sampleportal.Expected) (cells, wrong int) {
	t := h.t
	t.Helper()
	cells, wrong = compareLoadedCells(t, ctx, h.conn, h.db, expected)
	// One current row per cell: the map above would hide a second one.
	var rows uint64
	for _, v := range []string{"application_cells_current", "review_cells_current", "disclosure_cells_current"} {
		var n uint64
		if err := h.conn.QueryRow(ctx, "SELECT count() FROM "+h.db+"."+v).Scan(&n); err != nil {
			t.Fatal(err)
		}
		rows += n
	}
	if rows != uint64(cells) {
		t.Errorf("%d current cell rows, want one per generated cell (%d)", rows, cells)
	}
	return cells, wrong
}

// dumpOnFailure logs the consumers, the streams and each process's log tail when
// the test failed.
func (h *scaleOut) dumpOnFailure() {
	if !h.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t := h.t
	t.Logf("last status: %s", h.status)
	t.Logf("crawl jobs: %s", h.consumerState(ctx, bus.StreamCrawlJobs, bus.ConsumerCrawler))
	t.Logf("RAW/extractor: %s", h.consumerState(ctx, bus.StreamRaw, bus.ConsumerExtractor))
	t.Logf("PARSED/loader: %s", h.consumerState(ctx, bus.StreamParsed, bus.ConsumerLoader))
	for _, s := range []string{bus.StreamRaw, bus.StreamParsed, bus.StreamDead, bus.StreamCrawlJobs} {
		if info, err := h.streamInfo(ctx, s); err != nil {
			t.Logf("stream %s: %v", s, err)
		} else {
			leader := ""
			if info.Cluster != nil {
				leader = info.Cluster.Leader
			}
			t.Logf("stream %s: %d messages, leader %s", s, info.State.Msgs, leader)
		}
	}
	t.Logf("reports loaded: %d; govreport connections per node: %v", h.loaded(ctx), h.cluster.govreportConns())
	for _, stage := range scaleOutStages {
		for _, p := range h.procs[stage] {
			state := "running"
			if p.exited() {
				state = fmt.Sprintf("exited (%v)", p.err)
			}
			t.Logf("--- %s, %s, log %s, last 30 lines:\n%s", p.name, state, p.log, logTail(p.log, 30))
		}
	}
}

// logTail returns the last n lines of a file.
func logTail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		lines = append(lines, "read: "+err.Error())
	}
	return strings.Join(lines, "\n")
}

// explainMissing logs the expected reports that are not loaded, with every log
// line of every process that mentions their URL.
func (h *scaleOut) explainMissing(ctx context.Context, expected []sampleportal.Expected) {
	t := h.t
	loaded := map[string]bool{}
	for _, id := range queryStrings(t, ctx, h.conn, "SELECT doc_id FROM "+h.db+".reports_current") {
		loaded[id] = true
	}
	logs := map[string][]string{}
	for _, stage := range scaleOutStages {
		for _, p := range h.procs[stage] {
			b, err := os.ReadFile(p.log)
			if err != nil {
				t.Log(err)
				continue
			}
			logs[p.name] = strings.Split(string(b), "\n")
		}
	}
	missing := 0
	for _, e := range expected {
		if loaded[e.Record.Meta.DocID] {
			continue
		}
		if missing++; missing > 20 {
			continue
		}
		var seen []string
		for _, name := range slices.Sorted(maps.Keys(logs)) {
			for _, l := range logs[name] {
				if strings.Contains(l, e.Path) {
					seen = append(seen, name+": "+l)
				}
			}
		}
		t.Logf("missing %s (doc %s); log lines that mention it:\n%s", e.URL, e.Record.Meta.DocID, strings.Join(seen, "\n"))
	}
	t.Logf("%d expected reports are not loaded", missing)
}
