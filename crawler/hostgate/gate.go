package hostgate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Limits are the politeness limits of one host.
type Limits struct {
	// Concurrency is the number of requests in flight to the host, across every
	// process sharing the store.
	Concurrency int
	// Delay is the minimum time between the starts of two requests to the host.
	Delay time.Duration
}

// Config tunes a Gate.
type Config struct {
	// LeaseTTL is how long a lease holds a slot if it is never released (its
	// process died). Make it longer than the longest request.
	LeaseTTL time.Duration
	// SlowThreshold is the time to response headers above which a host counts as
	// slow and its requests are spaced further apart.
	SlowThreshold time.Duration
	// PenaltyStep is the first spacing added for a slow or refusing host; it
	// doubles with every further signal, up to MaxPenalty.
	PenaltyStep time.Duration
	MaxPenalty  time.Duration
	// MaxRetryAfter caps how long a Retry-After holds the host back.
	MaxRetryAfter time.Duration
	// PollMin and PollMax bound the wait before looking at a full host again.
	PollMin, PollMax time.Duration
}

// DefaultConfig returns settings for real portals.
func DefaultConfig() Config {
	return Config{
		LeaseTTL:      3 * time.Minute,
		SlowThreshold: 5 * time.Second,
		PenaltyStep:   2 * time.Second,
		MaxPenalty:    time.Minute,
		MaxRetryAfter: 10 * time.Minute,
		PollMin:       2 * time.Millisecond,
		PollMax:       50 * time.Millisecond,
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.LeaseTTL <= 0 || c.SlowThreshold <= 0 || c.PenaltyStep <= 0 || c.MaxPenalty < c.PenaltyStep || c.MaxRetryAfter <= 0 {
		return fmt.Errorf("hostgate: lease ttl, slow threshold, penalty step, max penalty (≥ step) and max retry-after must be positive")
	}
	if c.PollMin <= 0 || c.PollMax < c.PollMin {
		return fmt.Errorf("hostgate: poll bounds must be positive and ordered")
	}
	return nil
}

// Gate hands out leases on hosts. It is safe for concurrent use; every Gate on the
// same Store enforces the same limits.
type Gate struct {
	cfg   Config
	store Store
	now   func() time.Time
	id    string // this gate's lease prefix
	seq   atomic.Uint64

	mu    sync.Mutex
	local map[string]*localHost // process-local admission, so that only as many goroutines as slots poll the store
}

type localHost struct {
	sem  chan struct{}
	refs int
	// mu serialises this process's updates of the host's record, so that a store
	// shared by processes sees races between processes only, not between the
	// goroutines of one.
	mu sync.Mutex
}

// update applies f to the host's record, one update of the host at a time in this
// process.
func (g *Gate) update(ctx context.Context, lh *localHost, host string, f func(*Record) bool) error {
	lh.mu.Lock()
	defer lh.mu.Unlock()
	return g.store.Update(ctx, host, f)
}

// New returns a gate over store.
func New(store Store, cfg Config) (*Gate, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("hostgate: lease id: %w", err)
	}
	return &Gate{cfg: cfg, store: store, now: time.Now, id: hex.EncodeToString(b[:]), local: map[string]*localHost{}}, nil
}

// Lease is permission for one request to a host. Release it exactly once.
type Lease struct {
	g       *Gate
	host    string
	id      string
	local   *localHost
	waited  time.Duration
	started time.Time
	once    sync.Once
}

// Waited is how long Acquire waited for the host.
func (l *Lease) Waited() time.Duration { return l.waited }

// Start is the start the lease reserved. The delay separates reserved starts; a
// request really starts a store round trip later, so starts seen by the host may
// be closer by the difference of two round trips (well under a millisecond on one
// machine, a few on a network).
func (l *Lease) Start() time.Time { return l.started }

// Outcome is what a request learned about its host.
type Outcome struct {
	// Latency is the time to the response headers (or to the failure).
	Latency time.Duration
	// RetryAfter is the host's Retry-After on a 429 or 503 (0 when none).
	RetryAfter time.Duration
	// Refused is set for a 429 or 503: the host asks us to slow down.
	Refused bool
	// TimedOut is set when the request timed out: the host counts as slow.
	TimedOut bool
}

// Acquire waits until a request to host may start under l, and returns its lease.
func (g *Gate) Acquire(ctx context.Context, host string, l Limits) (*Lease, error) {
	if l.Concurrency < 1 {
		l.Concurrency = 1
	}
	start := g.now()
	lh := g.localHost(host, l.Concurrency)
	select {
	case lh.sem <- struct{}{}:
	case <-ctx.Done():
		g.unref(host, lh)
		return nil, ctx.Err()
	}
	lease := &Lease{g: g, host: host, local: lh, id: fmt.Sprintf("%s-%d", g.id, g.seq.Add(1))}
	poll := g.cfg.PollMin
	for {
		var wait time.Duration
		var got bool
		err := g.update(ctx, lh, host, func(rec *Record) bool {
			now := g.now()
			got, wait = false, 0
			pruned := rec.prune(now)
			switch {
			case len(rec.Leases) >= l.Concurrency:
				wait = poll
				return pruned
			case now.Before(rec.Next):
				wait = rec.Next.Sub(now)
				return pruned
			}
			if rec.Leases == nil {
				rec.Leases = map[string]time.Time{}
			}
			rec.Leases[lease.id] = now.Add(g.cfg.LeaseTTL)
			rec.Next = now.Add(max(l.Delay, rec.Penalty))
			lease.started, got = now, true
			return true
		})
		if err != nil {
			g.releaseLocal(lease)
			return nil, err
		}
		if got {
			lease.waited = g.now().Sub(start)
			return lease, nil
		}
		if wait == poll {
			poll = min(2*poll, g.cfg.PollMax)
		}
		if err := sleep(ctx, wait); err != nil {
			g.releaseLocal(lease)
			return nil, err
		}
	}
}

// Release gives the lease back and records what the request learned. It never
// blocks for long: if the store cannot be written the lease simply expires.
func (l *Lease) Release(o Outcome) {
	l.once.Do(func() {
		defer l.g.releaseLocal(l)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		g := l.g
		_ = g.update(ctx, l.local, l.host, func(rec *Record) bool {
			now := g.now()
			delete(rec.Leases, l.id)
			rec.prune(now)
			g.learn(rec, o, now)
			return true
		})
	})
}

// learn updates a host's backoff with an outcome.
func (g *Gate) learn(rec *Record, o Outcome, now time.Time) {
	slow := o.TimedOut || o.Latency > g.cfg.SlowThreshold
	switch {
	case o.Refused || slow:
		p := max(2*rec.Penalty, g.cfg.PenaltyStep)
		if slow {
			p = max(p, o.Latency)
		}
		rec.Penalty = min(p, g.cfg.MaxPenalty)
	case rec.Penalty > 0:
		// A quick answer: decay.
		rec.Penalty = rec.Penalty / 2
		if rec.Penalty < g.cfg.PenaltyStep/4 {
			rec.Penalty = 0
		}
	}
	if o.RetryAfter > 0 {
		if at := now.Add(min(o.RetryAfter, g.cfg.MaxRetryAfter)); at.After(rec.Next) {
			rec.Next = at
		}
	}
}

func (g *Gate) localHost(host string, concurrency int) *localHost {
	g.mu.Lock()
	defer g.mu.Unlock()
	lh, ok := g.local[host]
	if !ok {
		lh = &localHost{sem: make(chan struct{}, concurrency)}
		g.local[host] = lh
	}
	lh.refs++
	return lh
}

func (g *Gate) unref(host string, lh *localHost) {
	g.mu.Lock()
	defer g.mu.Unlock()
	lh.refs--
	if lh.refs == 0 && g.local[host] == lh {
		delete(g.local, host)
	}
}

func (g *Gate) releaseLocal(l *Lease) {
	<-l.local.sem
	g.unref(l.host, l.local)
}

// Hosts returns the number of hosts with requests waiting or in flight in this
// process.
func (g *Gate) Hosts() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.local)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
