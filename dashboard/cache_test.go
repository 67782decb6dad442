package dashboard

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestQueryCache(t *testing.T) {
	c := newQueryCache(50*time.Millisecond, 2)
	ctx := context.Background()
	var runs atomic.Int32
	run := func() (*warehouse.Result, error) {
		runs.Add(1)
		time.Sleep(20 * time.Millisecond)
		return &warehouse.Result{Columns: []string{"x"}}, nil
	}
	// Concurrent identical queries run once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, _, err := c.get(ctx, "q", run); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Fatalf("8 concurrent gets ran the query %d times", n)
	}
	if _, hit, _ := c.get(ctx, "q", run); !hit || runs.Load() != 1 {
		t.Errorf("fresh result not reused (hit %v, runs %d)", hit, runs.Load())
	}
	time.Sleep(60 * time.Millisecond)
	if _, hit, _ := c.get(ctx, "q", run); hit || runs.Load() != 2 {
		t.Errorf("stale result reused (hit %v, runs %d)", hit, runs.Load())
	}
	// Errors are not kept.
	fail := func() (*warehouse.Result, error) { runs.Add(1); return nil, errors.New("boom") }
	for range 2 {
		if _, _, err := c.get(ctx, "bad", fail); err == nil {
			t.Error("error lost")
		}
	}
	if n := runs.Load(); n != 4 {
		t.Errorf("a failed query was cached (runs %d)", n)
	}
	// At most max entries are kept.
	for _, k := range []string{"a", "b", "c", "d"} {
		c.get(ctx, k, run)
	}
	c.mu.Lock()
	n := len(c.entries)
	c.mu.Unlock()
	if n > 3 {
		t.Errorf("%d entries kept, max 2 (+1 being added)", n)
	}
	// TTL 0 turns it off.
	off := newQueryCache(0, 2)
	before := runs.Load()
	off.get(ctx, "q", run)
	off.get(ctx, "q", run)
	if runs.Load()-before != 2 {
		t.Error("a zero TTL cached")
	}
}

// TestPagesUseTheCache: a second visit to the nation page asks ClickHouse nothing.
func TestPagesUseTheCache(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	get(t, s.Handler(), "/")
	queries := testutilCount(s)
	get(t, s.Handler(), "/")
	if testutilCount(s) != queries {
		t.Errorf("second visit ran %d more queries", testutilCount(s)-queries)
	}
}

// testutilCount is how many queries reached ClickHouse.
func testutilCount(s *Server) uint64 {
	ch := make(chan prometheus.Metric, 1)
	s.m.querySeconds.Collect(ch)
	var m dto.Metric
	if err := (<-ch).Write(&m); err != nil {
		panic(err)
	}
	return m.GetHistogram().GetSampleCount()
}
