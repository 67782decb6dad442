package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/prometheus/client_golang/prometheus"
)

// testPipelineConfig is a configuration over database db of the test ClickHouse,
// with an embedded NATS under a temporary data directory (unless natsURL is set).
func testPipelineConfig(t *testing.T, dsn, db, natsURL string) Config {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	cfg.Log.Level = "warn"
	cfg.Metrics.Listen = "127.0.0.1:0"
	cfg.ClickHouse.DSN, cfg.ClickHouse.Database = dsn, db
	cfg.NATS.URL = natsURL
	cfg.Dashboard.Listen = "127.0.0.1:0"
	cfg.Crawler.Sites = ""
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startTestPipeline starts the components of targets over the test ClickHouse and
// an embedded NATS, and closes them when the test ends.
func startTestPipeline(t *testing.T, targets ...string) *pipeline {
	t.Helper()
	srv := chtest.Shared(t)
	cfg := testPipelineConfig(t, srv.DSN(""), chtest.Database(t, srv), "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := startPipeline(ctx, cfg, resolve(targets...), newLogger(cfg.Log, io.Discard), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.close(context.Background()) })
	return p
}

// readyz asks the process's /readyz (with query q) and returns the status and body.
func readyz(t *testing.T, h *health, q string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(h.ready))
	defer srv.Close()
	start := time.Now()
	resp, err := http.Get(srv.URL + "/readyz" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > readyTimeout+time.Second {
		t.Errorf("/readyz took %s, more than its %s timeout", took, readyTimeout)
	}
	return resp.StatusCode, string(body)
}

// upValues returns govreport_up by component, as a scrape sees it.
func upValues(t *testing.T, g prometheus.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "govreport_up" {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	return out
}

// waitStopped waits until the stage named name has returned.
func waitStopped(t *testing.T, p *pipeline, name string) {
	t.Helper()
	p.stageMu.Lock()
	var s *stage
	for _, st := range p.stages {
		if st.name == name {
			s = st
		}
	}
	p.stageMu.Unlock()
	if s == nil {
		t.Fatalf("no stage %q", name)
	}
	s.cancel()
	deadline := time.Now().Add(30 * time.Second)
	for len(s.done) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("stage %s did not stop", name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReadiness(t *testing.T) {
	if testing.Short() {
		t.Skip("needs clickhouse-server")
	}
	everyCheck := []string{"nats", "jetstream", "clickhouse", "loader", "loader-dead-letters", "extractor", "extractor-dead-letters"}
	tests := []struct {
		name    string
		breakIt func(t *testing.T, p *pipeline)
		// failing are the checks that must fail (in order) after breakIt.
		failing []string
		// mayFail are checks that may fail too (the stages see NATS go away).
		mayFail []string
		lines   []string // lines the 503 body must hold
	}{
		{name: "ready"},
		{
			name:    "clickhouse connection closed",
			breakIt: func(t *testing.T, p *pipeline) { p.conn.Close() },
			failing: []string{"clickhouse"},
			lines:   []string{"clickhouse: clickhouse: connection is closed"},
		},
		{
			name:    "nats closed",
			breakIt: func(t *testing.T, p *pipeline) { p.bus.Conn.Close() },
			failing: []string{"nats", "jetstream"},
			mayFail: []string{"loader", "loader-dead-letters", "extractor", "extractor-dead-letters"},
			lines:   []string{"nats: closed"},
		},
		{
			name:    "a stage stopped",
			breakIt: func(t *testing.T, p *pipeline) { waitStopped(t, p, "loader") },
			failing: []string{"loader"},
			lines:   []string{"loader: stopped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startTestPipeline(t, compLoader, compExtractor)
			if code, body := readyz(t, p.health, ""); code != http.StatusOK || body != "ok\n" {
				t.Fatalf("before: %d %q, want 200 ok", code, body)
			}
			if tt.breakIt == nil {
				code, body := readyz(t, p.health, "?verbose")
				var want strings.Builder
				for _, c := range everyCheck {
					want.WriteString(c + ": ok\n")
				}
				if code != http.StatusOK || body != want.String() {
					t.Errorf("verbose: %d\n%s\nwant 200\n%s", code, body, want.String())
				}
				for _, c := range everyCheck {
					if v, ok := upValues(t, p.reg)[c]; !ok || v != 1 {
						t.Errorf("govreport_up{component=%q} = %v (present %v), want 1", c, v, ok)
					}
				}
				return
			}
			tt.breakIt(t, p)
			code, body := readyz(t, p.health, "")
			if code != http.StatusServiceUnavailable {
				t.Errorf("status %d, want 503; body %q", code, body)
			}
			var names []string
			for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
				if n := strings.SplitN(l, ":", 2)[0]; !slices.Contains(tt.mayFail, n) {
					names = append(names, n)
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.failing, ",") {
				t.Errorf("failing checks %v, want %v:\n%s", names, tt.failing, body)
			}
			for _, l := range tt.lines {
				if !strings.Contains(body, l+"\n") {
					t.Errorf("body has no line %q:\n%s", l, body)
				}
			}
			up := upValues(t, p.reg)
			for _, c := range everyCheck {
				if slices.Contains(tt.mayFail, c) {
					continue
				}
				want := 1.0
				if slices.Contains(tt.failing, c) {
					want = 0
				}
				if v, ok := up[c]; !ok || v != want {
					t.Errorf("govreport_up{component=%q} = %v, want %v", c, up[c], want)
				}
			}
			// Verbose lists the checks that pass too.
			_, body = readyz(t, p.health, "?verbose")
			if n := strings.Count(body, ": ok\n"); tt.mayFail == nil && n != len(everyCheck)-len(tt.failing) {
				t.Errorf("verbose lists %d passing checks, want %d:\n%s", n, len(everyCheck)-len(tt.failing), body)
			}
		})
	}
}

// Until every component started the process is not ready; once the pipeline lets go
// of its stages (shutting down) it is not ready either.
func TestReadinessStartingAndStopping(t *testing.T) {
	if testing.Short() {
		t.Skip("needs clickhouse-server")
	}
	h := newHealth(&pipeline{}, readyTimeout)
	if code, body := readyz(t, h, ""); code != http.StatusServiceUnavailable || body != "pipeline: starting\n" {
		t.Errorf("starting: %d %q", code, body)
	}
	p := startTestPipeline(t, compExtractor)
	if code, _ := readyz(t, p.health, ""); code != http.StatusOK {
		t.Fatalf("started: %d", code)
	}
	if err := p.stopStages(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, body := readyz(t, p.health, "")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "extractor: stopped (shutting down)\n") {
		t.Errorf("after stopStages: %d %q", code, body)
	}
}

// A check that does not return is reported as timed out when its deadline passes;
// the others keep their own result.
func TestChecksTimeOut(t *testing.T) {
	h := newHealth(&pipeline{}, 200*time.Millisecond)
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	res := h.runChecks(context.Background(), []check{
		{"fast", func(context.Context) error { return nil }},
		{"stuck", func(context.Context) error { <-release; return nil }},
	})
	if took := time.Since(start); took > time.Second {
		t.Errorf("runChecks took %s", took)
	}
	if res[0].err != nil || res[1].err == nil || !strings.Contains(res[1].err.Error(), "timed out") {
		t.Errorf("results %+v", res)
	}
}

func TestHealthz(t *testing.T) {
	rec := httptest.NewRecorder()
	newHealth(&pipeline{}, readyTimeout).live(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("/healthz: %d %q", rec.Code, rec.Body.String())
	}
}
