package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
)

// readyTimeout bounds one readiness check (a NATS, JetStream or ClickHouse round trip).
const readyTimeout = 2 * time.Second

// registry is where a process registers its metrics and what /metrics serves.
type registry interface {
	prometheus.Registerer
	prometheus.Gatherer
}

// health answers /healthz and /readyz for the components one process started, and
// exports their readiness as govreport_up{component}.
type health struct {
	p       *pipeline
	timeout time.Duration
	// started is set once every component started; until then the process is not
	// ready (and nothing of p is read).
	started atomic.Bool

	mu   sync.Mutex
	seen []*stage // every stage goroutine the pipeline ever ran, in start order

	up *prometheus.Desc
}

func newHealth(p *pipeline, timeout time.Duration) *health {
	return &health{
		p:       p,
		timeout: timeout,
		up: prometheus.NewDesc("govreport_up",
			"Whether a component this process started is ready (1) or not (0): nats, jetstream, clickhouse, and each stage goroutine.",
			[]string{"component"}, nil),
	}
}

// newBuildInfo is govreport_build_info{version,goversion}, always 1.
func newBuildInfo() prometheus.Collector {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "govreport_build_info",
		Help:        "The govreport binary's version and the Go version it was built with; always 1.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	g.Set(1)
	return g
}

// check is one readiness check: nil error means ready.
type check struct {
	name string
	run  func(context.Context) error
}

// result is a check's outcome.
type result struct {
	name string
	err  error
}

var errStarting = errors.New("starting")

// checks lists the checks of every component the process started.
func (h *health) checks() []check {
	if !h.started.Load() {
		return []check{{"pipeline", func(context.Context) error { return errStarting }}}
	}
	p := h.p
	var out []check
	if p.bus != nil {
		out = append(out,
			check{"nats", func(context.Context) error {
				if st := p.bus.Conn.Status(); st != nats.CONNECTED {
					return errors.New(strings.ToLower(st.String()))
				}
				return nil
			}},
			check{"jetstream", func(ctx context.Context) error {
				_, err := p.bus.JS.AccountInfo(ctx)
				return err
			}})
	}
	if p.conn != nil {
		out = append(out, check{"clickhouse", func(ctx context.Context) error { return p.conn.Ping(ctx) }})
	}
	for _, s := range h.stages() {
		out = append(out, check{s.stage.name, s.check})
	}
	return out
}

// stageState is a stage goroutine and whether the pipeline still holds it.
type stageState struct {
	stage *stage
	held  bool
}

func (s stageState) check(context.Context) error {
	if !s.held {
		return errors.New("stopped (shutting down)")
	}
	// A stage that returned has put its error in done (which has room for one).
	if len(s.stage.done) > 0 {
		return errors.New("stopped")
	}
	return nil
}

// stages returns every stage goroutine seen so far. The pipeline lets go of its
// stages when it stops them, so one no longer held counts as stopped.
func (h *health) stages() []stageState {
	h.p.stageMu.Lock()
	held := make(map[*stage]bool, len(h.p.stages))
	for _, s := range h.p.stages {
		held[s] = true
	}
	current := append([]*stage(nil), h.p.stages...)
	h.p.stageMu.Unlock()

	h.mu.Lock()
	defer h.mu.Unlock()
	known := make(map[*stage]bool, len(h.seen))
	for _, s := range h.seen {
		known[s] = true
	}
	for _, s := range current {
		if !known[s] {
			h.seen = append(h.seen, s)
		}
	}
	out := make([]stageState, len(h.seen))
	for i, s := range h.seen {
		out[i] = stageState{stage: s, held: held[s]}
	}
	return out
}

// runChecks runs the checks at once and returns their results in order. It
// returns within the timeout: a check still running then fails as timed out (it
// gets the same deadline through its context, so it ends soon after).
func (h *health) runChecks(ctx context.Context, cs []check) []result {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	type indexed struct {
		i   int
		err error
	}
	done := make(chan indexed, len(cs))
	for i, c := range cs {
		go func() { done <- indexed{i, c.run(ctx)} }()
	}
	out := make([]result, len(cs))
	for i, c := range cs {
		out[i] = result{name: c.name, err: fmt.Errorf("timed out after %s", h.timeout)}
	}
	for range cs {
		select {
		case r := <-done:
			out[r.i].err = r.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// live is /healthz: the process runs.
func (h *health) live(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// ready is /readyz: 200 when every check passes, 503 with one line per failing
// check otherwise; ?verbose lists every check.
func (h *health) ready(w http.ResponseWriter, r *http.Request) {
	results := h.runChecks(r.Context(), h.checks())
	_, verbose := r.URL.Query()["verbose"]
	var b strings.Builder
	failed := false
	for _, res := range results {
		switch {
		case res.err != nil:
			failed = true
			fmt.Fprintf(&b, "%s: %s\n", res.name, oneLine(res.err))
		case verbose:
			fmt.Fprintf(&b, "%s: ok\n", res.name)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if failed {
		w.WriteHeader(http.StatusServiceUnavailable)
	} else if !verbose {
		b.WriteString("ok\n")
	}
	fmt.Fprint(w, b.String())
}

// oneLine keeps an error on one line of the plain-text answer.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// Describe sends govreport_up's descriptor.
func (h *health) Describe(ch chan<- *prometheus.Desc) { ch <- h.up }

// Collect runs the checks and sends govreport_up for each.
func (h *health) Collect(ch chan<- prometheus.Metric) {
	for _, r := range h.runChecks(context.Background(), h.checks()) {
		v := 1.0
		if r.err != nil {
			v = 0
		}
		ch <- prometheus.MustNewConstMetric(h.up, prometheus.GaugeValue, v, r.name)
	}
}
