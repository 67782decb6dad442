package webhook

import "time"

// clock tells the time and waits; tests inject a fake one so that rate windows
// and backoffs pass without waiting. HTTP timeouts use real time.
type clock interface {
	Now() time.Time
	NewTimer(d time.Duration) timer
}

// timer is a stoppable one-shot timer.
type timer interface {
	C() <-chan time.Time
	Stop() bool
}

// realClock is the system clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }
func (t realTimer) Stop() bool          { return t.t.Stop() }
