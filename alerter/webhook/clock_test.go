package webhook

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*fakeTimer]bool
}

type fakeTimer struct {
	clk *fakeClock
	at  time.Time
	c   chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), timers: map[*fakeTimer]bool{}}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clk: c, at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t
	}
	c.timers[t] = true
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	was := t.clk.timers[t]
	delete(t.clk.timers, t)
	return was
}

// Advance moves the clock and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
			delete(c.timers, t)
		}
	}
}

// Waiters is the number of timers pending.
func (c *fakeClock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// NextDeadline is when the earliest pending timer fires (zero if none).
func (c *fakeClock) NextDeadline() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first time.Time
	for t := range c.timers {
		if first.IsZero() || t.at.Before(first) {
			first = t.at
		}
	}
	return first
}

func TestFakeClock(t *testing.T) {
	c := newFakeClock()
	t1 := c.NewTimer(time.Second)
	t2 := c.NewTimer(time.Minute)
	if c.Waiters() != 2 || !c.NextDeadline().Equal(c.Now().Add(time.Second)) {
		t.Fatalf("waiters %d, next %v", c.Waiters(), c.NextDeadline())
	}
	c.Advance(2 * time.Second)
	select {
	case <-t1.C():
	default:
		t.Fatal("due timer did not fire")
	}
	select {
	case <-t2.C():
		t.Fatal("timer fired early")
	default:
	}
	if !t2.Stop() || t2.Stop() || c.Waiters() != 0 {
		t.Fatal("stop")
	}
}
