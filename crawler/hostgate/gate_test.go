package hostgate

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
)

// stores returns a fresh store of each kind: memory, and a JetStream key-value
// bucket on an embedded NATS server.
func stores(t *testing.T) map[string]func() Store {
	return map[string]func() Store{
		"memory": func() Store { return NewMemory() },
		"kv": func() Store {
			b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			kv, err := b.CrawlHostsKV(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return NewKV(kv)
		},
	}
}

// load reads a host's record.
func load(s Store, host string) Record {
	var out Record
	s.Update(context.Background(), host, func(r *Record) bool {
		out = r.clone()
		return false
	})
	return out
}

func testConfig() Config {
	c := DefaultConfig()
	c.SlowThreshold = 50 * time.Millisecond
	c.PenaltyStep = 20 * time.Millisecond
	c.MaxPenalty = 200 * time.Millisecond
	c.MaxRetryAfter = time.Second
	c.PollMax = 20 * time.Millisecond
	return c
}

func newGate(t *testing.T, s Store, mutate func(*Config)) *Gate {
	t.Helper()
	cfg := testConfig()
	if mutate != nil {
		mutate(&cfg)
	}
	g, err := New(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestConcurrencyAcrossGates runs requests through two gates (two processes) on one
// store and measures the requests in flight.
func TestConcurrencyAcrossGates(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			gates := []*Gate{newGate(t, s, nil), newGate(t, s, nil)}
			var inFlight, peak atomic.Int32
			var wg sync.WaitGroup
			for i := range 24 {
				wg.Go(func() {
					l, err := gates[i%2].Acquire(context.Background(), "a.gov.cn", Limits{Concurrency: 3})
					if err != nil {
						t.Error(err)
						return
					}
					n := inFlight.Add(1)
					for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
					}
					time.Sleep(15 * time.Millisecond)
					inFlight.Add(-1)
					l.Release(Outcome{Latency: time.Millisecond})
				})
			}
			wg.Wait()
			if p := peak.Load(); p > 3 || p < 2 {
				t.Fatalf("peak concurrency %d, limit 3", p)
			}
			if gates[0].Hosts() != 0 || gates[1].Hosts() != 0 {
				t.Error("local host state not released")
			}
		})
	}
}

func TestDelayBetweenStarts(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			gates := []*Gate{newGate(t, s, nil), newGate(t, s, nil)}
			var mu sync.Mutex
			var starts []time.Time
			var wg sync.WaitGroup
			const delay = 30 * time.Millisecond
			for i := range 6 {
				wg.Go(func() {
					l, err := gates[i%2].Acquire(context.Background(), "a.gov.cn", Limits{Concurrency: 4, Delay: delay})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					starts = append(starts, l.Start())
					mu.Unlock()
					l.Release(Outcome{})
				})
			}
			wg.Wait()
			sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
			for i := 1; i < len(starts); i++ {
				if gap := starts[i].Sub(starts[i-1]); gap < delay {
					t.Errorf("starts %d and %d %v apart, delay %v", i-1, i, gap, delay)
				}
			}
		})
	}
}

// The delay spaces starts; it is not slept while holding the slot. With one slot,
// requests of latency L and a delay D start max(L, D) apart, not L+D as Colly's
// LimitRule does.
func TestDelayNotTakenInsideTheSlot(t *testing.T) {
	g := newGate(t, NewMemory(), nil)
	const d = 40 * time.Millisecond
	start := time.Now()
	for range 5 {
		l, err := g.Acquire(context.Background(), "h", Limits{Concurrency: 1, Delay: d})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(d)
		l.Release(Outcome{})
	}
	if took := time.Since(start); took > 5*d+3*d {
		t.Fatalf("5 requests of %v with a %v delay took %v", d, d, took)
	}
}

func TestLeaseExpires(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			dead := newGate(t, s, func(c *Config) { c.LeaseTTL = 150 * time.Millisecond })
			if _, err := dead.Acquire(context.Background(), "h", Limits{Concurrency: 1}); err != nil {
				t.Fatal(err)
			}
			// The process holding the lease died; another process waits for its expiry.
			other := newGate(t, s, nil)
			start := time.Now()
			l, err := other.Acquire(context.Background(), "h", Limits{Concurrency: 1})
			if err != nil {
				t.Fatal(err)
			}
			l.Release(Outcome{})
			if w := time.Since(start); w < 100*time.Millisecond || l.Waited() < 100*time.Millisecond {
				t.Fatalf("acquired after %v (waited %v) while a lease was held", w, l.Waited())
			}
		})
	}
}

func TestRetryAfterHoldsTheHost(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			a, b := newGate(t, s, nil), newGate(t, s, nil)
			l, _ := a.Acquire(context.Background(), "h", Limits{Concurrency: 2})
			l.Release(Outcome{Refused: true, RetryAfter: 200 * time.Millisecond})
			start := time.Now()
			l, err := b.Acquire(context.Background(), "h", Limits{Concurrency: 2})
			if err != nil {
				t.Fatal(err)
			}
			l.Release(Outcome{})
			if w := time.Since(start); w < 180*time.Millisecond {
				t.Fatalf("next request after %v, Retry-After 200ms", w)
			}
			// Retry-After is capped.
			l, _ = a.Acquire(context.Background(), "h", Limits{Concurrency: 2})
			l.Release(Outcome{Refused: true, RetryAfter: time.Hour})
			rec := load(s, "h")
			if until := time.Until(rec.Next); until > time.Second+100*time.Millisecond {
				t.Fatalf("Retry-After of an hour holds the host %v", until)
			}
		})
	}
}

func TestPenalty(t *testing.T) {
	s := NewMemory()
	g := newGate(t, s, nil)
	ctx := context.Background()
	penalty := func() time.Duration { return load(s, "h").Penalty }
	step := func(o Outcome) {
		l, err := g.Acquire(ctx, "h", Limits{Concurrency: 1})
		if err != nil {
			t.Fatal(err)
		}
		l.Release(o)
	}
	step(Outcome{Latency: 60 * time.Millisecond}) // slow
	if p := penalty(); p != 60*time.Millisecond {
		t.Fatalf("penalty after a slow answer %v", p)
	}
	step(Outcome{Refused: true})
	if p := penalty(); p != 120*time.Millisecond {
		t.Fatalf("penalty after a refusal %v", p)
	}
	step(Outcome{TimedOut: true})
	step(Outcome{TimedOut: true})
	if p := penalty(); p != 200*time.Millisecond {
		t.Fatalf("penalty not capped: %v", p)
	}
	// The penalty spaces requests.
	start := time.Now()
	step(Outcome{Latency: time.Millisecond})
	if w := time.Since(start); w < 150*time.Millisecond {
		t.Fatalf("penalised host served after %v", w)
	}
	for range 5 {
		step(Outcome{Latency: time.Millisecond})
	}
	if p := penalty(); p != 0 {
		t.Fatalf("penalty did not decay: %v", p)
	}
}

func TestAcquireCanceled(t *testing.T) {
	g := newGate(t, NewMemory(), nil)
	l, _ := g.Acquire(context.Background(), "h", Limits{Concurrency: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := g.Acquire(ctx, "h", Limits{Concurrency: 1}); err == nil {
		t.Fatal("acquired a full host")
	}
	l.Release(Outcome{})
	l.Release(Outcome{}) // twice is harmless
	if g.Hosts() != 0 {
		t.Fatalf("%d hosts still tracked", g.Hosts())
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"www.dehui.gov.cn":  "host.www.dehui.gov.cn",
		"127.0.0.1:8080":    "host.127.0.0.1_8080",
		"WWW.A.GOV.CN":      "host.www.a.gov.cn",
		"[::1]:80":          "host.___1__80",
		"xn--fiqs8s.gov.cn": "host.xn--fiqs8s.gov.cn",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.LeaseTTL = 0 },
		func(c *Config) { c.MaxPenalty = c.PenaltyStep / 2 },
		func(c *Config) { c.PollMax = c.PollMin / 2 },
	}
	for i, m := range bad {
		c := DefaultConfig()
		m(&c)
		if c.Validate() == nil {
			t.Errorf("case %d accepted", i)
		}
	}
}

// Many requests at once on one host and one store: no lease is lost to a lost
// race, so the host is never left full.
func TestContention(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			gates := []*Gate{newGate(t, s, nil), newGate(t, s, nil), newGate(t, s, nil)}
			var wg sync.WaitGroup
			var inFlight, peak atomic.Int32
			start := time.Now()
			for i := range 300 {
				wg.Go(func() {
					l, err := gates[i%3].Acquire(context.Background(), "h", Limits{Concurrency: 16})
					if err != nil {
						t.Error(err)
						return
					}
					n := inFlight.Add(1)
					for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
					}
					inFlight.Add(-1)
					l.Release(Outcome{})
				})
			}
			wg.Wait()
			if p := peak.Load(); p > 16 {
				t.Fatalf("peak %d over the limit 16", p)
			}
			if r := load(s, "h"); len(r.Leases) != 0 {
				t.Fatalf("%d leases left after every release", len(r.Leases))
			}
			t.Logf("300 leases in %v", time.Since(start))
		})
	}
}
