package main

import (
	"context"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/prometheus/client_golang/prometheus"
)

// recordingRegistry is a registry that also records the descriptor of everything
// registered on it: a vector nobody observed yet is absent from Gather but
// present here.
type recordingRegistry struct {
	*prometheus.Registry
	mu sync.Mutex
	// labels is metric name → its sorted label names (variable and constant),
	// joined by commas.
	labels map[string]string
}

func newRecordingRegistry() *recordingRegistry {
	return &recordingRegistry{Registry: prometheus.NewRegistry(), labels: map[string]string{}}
}

var (
	descName   = regexp.MustCompile(`fqName: "([^"]+)"`)
	descLabels = regexp.MustCompile(`variableLabels: \{([^}]*)\}`)
	descConst  = regexp.MustCompile(`constLabels: \{([^}]*)\}`)
	constName  = regexp.MustCompile(`(?:^|,)([a-zA-Z_][a-zA-Z0-9_]*)="`)
)

// Register registers c and records its descriptors.
func (r *recordingRegistry) Register(c prometheus.Collector) error {
	if err := r.Registry.Register(c); err != nil {
		return err
	}
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	r.mu.Lock()
	defer r.mu.Unlock()
	for d := range ch {
		s := d.String()
		m := descName.FindStringSubmatch(s)
		if m == nil {
			panic("descriptor without a name: " + s)
		}
		var labels []string
		if l := descLabels.FindStringSubmatch(s); l != nil && l[1] != "" {
			labels = strings.Split(l[1], ",")
		}
		if c := descConst.FindStringSubmatch(s); c != nil {
			for _, l := range constName.FindAllStringSubmatch(c[1], -1) {
				labels = append(labels, l[1])
			}
		}
		sort.Strings(labels)
		r.labels[m[1]] = strings.Join(labels, ",")
	}
	return nil
}

// MustRegister registers every collector and panics on the first error.
func (r *recordingRegistry) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}

// processMetrics starts each process kind (run, and the stage commands) as the
// commands do, over the test ClickHouse and one embedded NATS, and returns what
// each registered: process → metric name → labels.
func processMetrics(t *testing.T) map[string]map[string]string {
	t.Helper()
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	ncfg := bus.DefaultConfig()
	ncfg.Embedded.Listen = "127.0.0.1:0"
	shared, err := bus.Open(context.Background(), ncfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shared.Close() })

	// run: every stage, the embedded NATS of its data directory, and (not --once) the
	// dashboard and the crawl schedule. See runCmd.run and stageCmd.run.
	procs := map[string][]string{"run": {compPortal, compCrawler, compExtractor, compLoader, compAlerter, compDashboard}}
	for cmd, target := range stageTargets {
		procs[cmd] = []string{target}
		if target == compCrawler {
			procs[cmd] = append(procs[cmd], compPortal)
		}
	}
	out := map[string]map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(procs)) {
		natsURL := shared.ClientURL()
		if name == "run" {
			natsURL = ""
		}
		cfg := testPipelineConfig(t, srv.DSN(""), db, natsURL)
		reg := newRecordingRegistry()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		p, err := startPipelineOn(ctx, reg, cfg, resolve(procs[name]...), newLogger(cfg.Log, io.Discard), nil)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.crawler != nil {
			if err := p.crawlOnSchedule(context.Background()); err != nil {
				t.Fatalf("%s: crawl schedule: %v", name, err)
			}
		}
		// What is registered gathers consistently.
		mfs, err := reg.Gather()
		if err != nil {
			t.Errorf("%s: gather: %v", name, err)
		}
		for _, mf := range mfs {
			gatheredTypes[mf.GetName()] = strings.ToLower(mf.GetType().String())
		}
		if err := p.close(context.Background()); err != nil {
			t.Errorf("%s: close: %v", name, err)
		}
		out[name] = reg.labels
	}
	return out
}

// gatheredTypes is metric name → type (counter, gauge, histogram …) of the metrics
// a process gathered (a vector nobody observed is not among them).
var gatheredTypes = map[string]string{}

// registered caches processMetrics for the tests of this package that need it.
var registered struct {
	sync.Mutex
	procs map[string]map[string]string
}

func registeredMetrics(t *testing.T) map[string]map[string]string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts every process kind: needs clickhouse-server")
	}
	registered.Lock()
	defer registered.Unlock()
	if registered.procs == nil {
		registered.procs = processMetrics(t)
	}
	return registered.procs
}

// A run process registers exactly the union of the metrics of the processes that
// run the stages apart, under the same names and labels.
func TestSameMetricsTogetherOrApart(t *testing.T) {
	procs := registeredMetrics(t)
	run := procs["run"]
	union := map[string]string{}
	for name, m := range procs {
		if name == "run" {
			continue
		}
		for metric, labels := range m {
			if prev, ok := union[metric]; ok && prev != labels {
				t.Errorf("%s: %s has labels {%s}, another stage process {%s}", name, metric, labels, prev)
			}
			union[metric] = labels
			if rl, ok := run[metric]; ok && rl != labels {
				t.Errorf("%s: %s has labels {%s}, run {%s}", name, metric, labels, rl)
			}
		}
		// Each process has the process and Go collectors, build info and readiness,
		// and (all of them open the bus) the backlog.
		for _, common := range []string{"go_goroutines", "process_cpu_seconds_total", "govreport_build_info", "govreport_up", "govreport_stream_messages", "govreport_consumer_pending", "govreport_bus_scrape_errors_total"} {
			if _, ok := m[common]; !ok {
				t.Errorf("%s: %s not registered", name, common)
			}
		}
	}
	runNames, unionNames := slices.Sorted(maps.Keys(run)), slices.Sorted(maps.Keys(union))
	if !slices.Equal(runNames, unionNames) {
		t.Errorf("run registers %d names, the stage processes %d\nonly in run: %v\nonly apart: %v",
			len(runNames), len(unionNames), setMinus(runNames, unionNames), setMinus(unionNames, runNames))
	}
	// No name carries the command it runs under.
	mode := regexp.MustCompile(`^govreport_(run|crawl|extract|load|alert|serve)_`)
	for _, n := range runNames {
		if mode.MatchString(n) {
			t.Errorf("%s is named for a command, not a component", n)
		}
	}
	// Each stage's own metrics are in its process.
	own := map[string]string{
		"crawl": "govreport_crawler_pages_total", "extract": "govreport_extractor_documents_total",
		"load": "govreport_loader_rows_total", "alert": "govreport_alerter_alerts_total",
		"serve": "govreport_dashboard_requests_total",
	}
	for cmd, metric := range own {
		if _, ok := procs[cmd][metric]; !ok {
			t.Errorf("%s does not register %s", cmd, metric)
		}
	}
}

// docMetric is a row of docs/metrics.md.
type docMetric struct {
	name, kind, labels string
}

// docMetrics reads the metric tables of docs/metrics.md: | `name` | type | labels | meaning |.
func docMetrics(t *testing.T) map[string]docMetric {
	t.Helper()
	data, err := os.ReadFile(repoFile("docs/metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([a-z_:]+)` \\| (counter|gauge|histogram|summary) \\| ([^|]*) \\|")
	out := map[string]docMetric{}
	for _, line := range strings.Split(string(data), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var labels []string
		for _, l := range strings.Split(m[3], ",") {
			if l = strings.Trim(strings.TrimSpace(l), "`"); l != "" && l != "—" {
				labels = append(labels, l)
			}
		}
		sort.Strings(labels)
		if _, dup := out[m[1]]; dup {
			t.Errorf("docs/metrics.md lists %s twice", m[1])
		}
		out[m[1]] = docMetric{name: m[1], kind: m[2], labels: strings.Join(labels, ",")}
	}
	return out
}

// docs/metrics.md lists every govreport metric the binary registers (no more), with
// its labels.
func TestMetricsDoc(t *testing.T) {
	run := registeredMetrics(t)["run"]
	doc := docMetrics(t)
	var got []string
	for n := range run {
		if strings.HasPrefix(n, "govreport_") {
			got = append(got, n)
		}
	}
	sort.Strings(got)
	var listed []string
	for n := range doc {
		if strings.HasPrefix(n, "govreport_") {
			listed = append(listed, n)
		}
	}
	sort.Strings(listed)
	if !slices.Equal(got, listed) {
		t.Errorf("docs/metrics.md is out of date\nnot documented: %v\nnot registered: %v", setMinus(got, listed), setMinus(listed, got))
	}
	for _, n := range got {
		if d, ok := doc[n]; ok && d.labels != run[n] {
			t.Errorf("docs/metrics.md: %s labels {%s}, registered {%s}", n, d.labels, run[n])
		}
		if d, ok := doc[n]; ok && gatheredTypes[n] != "" && d.kind != gatheredTypes[n] {
			t.Errorf("docs/metrics.md: %s is a %s, gathered as a %s", n, d.kind, gatheredTypes[n])
		}
	}
}
