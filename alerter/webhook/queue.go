package webhook

import (
	"sync"

	"github.com/govreport/govreport/alerter/alert"
)

// tally counts alerts by rule and severity: what a digest reports about alerts,
// including those whose details were not kept.
type tally struct {
	count      int
	resolved   int
	byRule     map[string]int
	bySeverity map[string]int
}

func (t *tally) add(a *alert.Alert) {
	if t.byRule == nil {
		t.byRule, t.bySeverity = map[string]int{}, map[string]int{}
	}
	t.count++
	t.byRule[string(a.Rule)]++
	t.bySeverity[a.Severity]++
	if a.Status == alert.StatusResolved {
		t.resolved++
	}
}

func (t tally) clone() tally {
	c := tally{count: t.count, resolved: t.resolved, byRule: map[string]int{}, bySeverity: map[string]int{}}
	for k, v := range t.byRule {
		c.byRule[k] = v
	}
	for k, v := range t.bySeverity {
		c.bySeverity[k] = v
	}
	return c
}

// queue holds the alerts waiting for one endpoint, at most size of them; the
// alerts that do not fit are tallied (overflow) and reported by the next digest.
// Send puts, the endpoint's goroutine takes. A closed queue refuses alerts.
type queue struct {
	size int
	wake chan struct{} // signalled (never blocking) when alerts arrive

	mu       sync.Mutex
	alerts   []alert.Alert
	overflow tally
	closed   bool
}

func newQueue(size int) *queue { return &queue{size: size, wake: make(chan struct{}, 1)} }

// put queues alerts and returns how many overflowed into the tally, or
// ErrStopped when the queue is closed.
func (q *queue) put(alerts []alert.Alert) (overflowed int, err error) {
	if len(alerts) == 0 {
		return 0, nil
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return 0, ErrStopped
	}
	for i := range alerts {
		if len(q.alerts) < q.size {
			q.alerts = append(q.alerts, alerts[i])
			continue
		}
		q.overflow.add(&alerts[i])
		overflowed++
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return overflowed, nil
}

// close makes the queue refuse further alerts.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}

// due returns how many alerts wait (overflowed ones included) and how many of
// them were kept with their details.
func (q *queue) due() (total, kept int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.alerts) + q.overflow.count, len(q.alerts)
}

// takeOne removes the oldest alert.
func (q *queue) takeOne() alert.Alert {
	q.mu.Lock()
	defer q.mu.Unlock()
	a := q.alerts[0]
	q.alerts[0] = alert.Alert{}
	q.alerts = q.alerts[1:]
	return a
}

// take removes up to max alerts with their details and the overflow tally. The
// alerts beyond max stay queued, or with tallyRest are tallied into the
// returned tally instead.
func (q *queue) take(max int, tallyRest bool) ([]alert.Alert, tally) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t := q.overflow
	q.overflow = tally{}
	if len(q.alerts) <= max {
		a := q.alerts
		q.alerts = nil
		return a, t
	}
	a := append([]alert.Alert(nil), q.alerts[:max]...)
	rest := q.alerts[max:]
	if tallyRest {
		for i := range rest {
			t.add(&rest[i])
		}
		rest = nil
	}
	q.alerts = append([]alert.Alert(nil), rest...)
	return a, t
}
