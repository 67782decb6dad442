package crawler

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// lockedBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressAndMetrics(t *testing.T) {
	hp := plainPortal(t, 3)
	var out lockedBuffer
	reg := prometheus.NewRegistry()
	cfg := hostileConfig()
	cfg.HostDelay = 5 * time.Millisecond
	c, err := New(cfg, newMemPublisher(), nil, reg, WithProgress(&out, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.CrawlAll(context.Background(), hp.sites)
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\r")
	last := lines[len(lines)-1]
	want := fmt.Sprintf("crawl: sites 3/3 · active 0 · pages %d · published %d ·", st.ListPages+st.Fetched(), st.Published)
	if !strings.HasPrefix(last, want) || !strings.HasSuffix(text, "\n") || len(lines) < 3 {
		t.Fatalf("progress %q\nlast line %q, want prefix %q", text, last, want)
	}
	// The metrics the issue asks for: pages, bytes, errors by kind, queue depth,
	// per-host wait.
	names := map[string]bool{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, n := range []string{"govreport_crawler_pages_total", "govreport_crawler_bytes_total", "govreport_crawler_published_total",
		"govreport_crawler_host_wait_seconds", "govreport_crawler_job_queue_depth", "govreport_crawler_fetch_seconds"} {
		if !names[n] {
			t.Errorf("metric %s missing", n)
		}
	}
	if got := testutil.ToFloat64(c.metrics.pages.WithLabelValues(pageReport)); got != float64(st.Reports) {
		t.Errorf("pages_total{report} %v, stats %d", got, st.Reports)
	}
	if got := testutil.ToFloat64(c.metrics.bytes); got != float64(st.Bytes) {
		t.Errorf("bytes_total %v, stats %d", got, st.Bytes)
	}
	// Registering twice on one registry fails clearly.
	if _, err := New(cfg, newMemPublisher(), nil, reg); err == nil {
		t.Error("second registration accepted")
	}
}
