package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/govreport/govreport/alerter/alert"
)

// Bounds on what one digest carries. A text digest sorts up to maxDigestSort
// alerts to list the most severe and tallies the rest; a JSON digest carries up
// to maxDigestJSON alerts in full and leaves the rest queued for the next.
const (
	maxDigestSort = 1000
	maxDigestJSON = 500
	maxAnswer     = 64 << 10 // bytes of a response read
)

// endpoint delivers the alerts queued for one receiver. Its state after
// construction belongs to the goroutine running run, except the queue.
type endpoint struct {
	cfg    Endpoint
	sink   sink
	client *http.Client
	clock  clock
	log    *slog.Logger
	m      *metrics
	scrub  scrubber
	q      *queue
	win    *window  // rate_per_minute: full, it turns what is due into a digest
	burst  *window  // a vendor's per-second limit: full, it only delays
	cur    *message // being delivered (waiting for its backoff or a free slot)
}

// run delivers until ctx is done, then flushes within flushTimeout.
func (e *endpoint) run(ctx context.Context, flushTimeout time.Duration) {
	for {
		if ctx.Err() != nil {
			e.flush(flushTimeout)
			return
		}
		now := e.clock.Now()
		if e.cur == nil {
			e.cur = e.next(now)
		}
		wait := time.Duration(-1) // until alerts arrive
		if e.cur != nil {
			at := e.cur.notBefore
			for _, w := range []*window{e.win, e.burst} {
				if t := w.next(now); t.After(at) {
					at = t
				}
			}
			if !at.After(now) {
				e.attempt(ctx, now)
				continue
			}
			wait = at.Sub(now)
		} else if total, _ := e.q.due(); total > 0 {
			wait = e.win.next(now).Sub(now) // the window is full
		}
		if !e.sleep(ctx, wait) {
			e.flush(flushTimeout)
			return
		}
	}
}

// sleep waits for wait (forever if negative), for alerts, or for ctx; it
// returns false when ctx is done.
func (e *endpoint) sleep(ctx context.Context, wait time.Duration) bool {
	var fire <-chan time.Time
	if wait >= 0 {
		t := e.clock.NewTimer(wait)
		defer t.Stop()
		fire = t.C()
	}
	select {
	case <-ctx.Done():
		return false
	case <-e.q.wake:
		return true
	case <-fire:
		return true
	}
}

// next takes the next message from the queue if the window has room: alerts
// one by one while fewer are due than the window has room for (and no more than
// digest_over), otherwise everything due as one digest — so one slot always
// remains for the digest and the limit is never exceeded.
func (e *endpoint) next(now time.Time) *message {
	total, kept := e.q.due()
	defer func() { e.m.queued.WithLabelValues(e.cfg.Name).Set(float64(e.queuedNow())) }()
	if total == 0 {
		return nil
	}
	free := e.win.free(now)
	if free == 0 {
		return nil
	}
	if kept == total && (total < free || total == 1) && (e.cfg.DigestOver == 0 || total <= e.cfg.DigestOver) {
		return &message{alerts: []alert.Alert{e.q.takeOne()}}
	}
	return e.digest()
}

func (e *endpoint) queuedNow() int {
	total, _ := e.q.due()
	return total
}

// digest takes what is queued as one message (a single alert stays single).
func (e *endpoint) digest() *message {
	var alerts []alert.Alert
	var omitted tally
	if e.cfg.Format == FormatJSON {
		alerts, omitted = e.q.take(maxDigestJSON, false)
	} else {
		alerts, omitted = e.q.take(maxDigestSort, true)
	}
	if len(alerts)+omitted.count == 0 {
		return nil
	}
	if len(alerts) == 1 && omitted.count == 0 {
		return &message{alerts: alerts}
	}
	return &message{alerts: alerts, omitted: omitted, digest: true}
}

// attempt sends the current message once and decides what follows: done,
// failed, or a retry after a backoff.
func (e *endpoint) attempt(ctx context.Context, now time.Time) {
	m := e.cur
	out := e.try(ctx, m, now)
	if ctx.Err() != nil && out.verdict != delivered {
		return // stopping: the flush tries it once more
	}
	switch out.verdict {
	case delivered:
		e.done(m)
		return
	case permanent:
		e.fail(m, out.reason, out.detail)
		return
	}
	if m.attempts > e.cfg.MaxRetries {
		e.fail(m, out.reason, out.detail+"; no retries left")
		return
	}
	wait := backoff(m.attempts, e.cfg.RetryInitial, e.cfg.RetryMax)
	if out.verdict == rateLimited {
		wait = e.cfg.RateLimitedWait
		if out.wait > 0 {
			wait = out.wait
		}
	}
	m.notBefore = now.Add(wait)
	e.log.Debug("webhook delivery will be retried", "reason", out.reason, "detail", out.detail,
		"attempt", m.attempts, "wait", wait, "alerts", m.count(), "digest", m.digest)
}

// try builds, signs and posts a message once, taking a slot of the window.
func (e *endpoint) try(ctx context.Context, m *message, now time.Time) outcome {
	req, err := e.sink.build(m, now)
	if err != nil {
		return outcome{verdict: permanent, reason: reasonBuild, detail: e.scrub.clean(err.Error())}
	}
	e.win.take(now)
	e.burst.take(now)
	m.attempts++
	e.m.requests.WithLabelValues(e.cfg.Name).Inc()
	if m.attempts > 1 {
		e.m.retries.WithLabelValues(e.cfg.Name).Inc()
	}
	return e.post(ctx, req)
}

// post makes the HTTP request and judges the answer. Errors are scrubbed of
// credentials before they leave.
func (e *endpoint) post(ctx context.Context, req request) outcome {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.url, bytes.NewReader(req.body))
	if err != nil {
		return outcome{verdict: permanent, reason: reasonBuild, detail: e.scrub.err(err).Error()}
	}
	hr.Header = req.header
	resp, err := e.client.Do(hr)
	if err != nil {
		return outcome{verdict: retry, reason: transportReason(err), detail: e.scrub.err(err).Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return outcome{verdict: retry, reason: transportReason(err), detail: e.scrub.err(err).Error()}
	}
	out := e.sink.judge(resp.StatusCode, resp.Header, body)
	out.detail = e.scrub.clean(out.detail)
	return out
}

// transportReason tells a timeout from other network failures.
func transportReason(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return reasonTimeout
	}
	return reasonNetwork
}

func (e *endpoint) done(m *message) {
	e.cur = nil
	e.m.sent.WithLabelValues(e.cfg.Name, string(e.cfg.Format)).Inc()
	if m.digest {
		e.m.digests.WithLabelValues(e.cfg.Name).Inc()
	}
	e.m.alerts.WithLabelValues(e.cfg.Name, "delivered").Add(float64(m.count()))
	e.log.Debug("webhook delivered", "alerts", m.count(), "digest", m.digest, "attempts", m.attempts)
}

func (e *endpoint) fail(m *message, reason, detail string) {
	e.cur = nil
	e.m.failed.WithLabelValues(e.cfg.Name, reason).Inc()
	e.m.alerts.WithLabelValues(e.cfg.Name, "failed").Add(float64(m.count()))
	first := ""
	if len(m.alerts) > 0 {
		first = m.alerts[0].ID
	}
	e.log.Warn("webhook delivery failed", "reason", reason, "detail", detail,
		"alerts", m.count(), "digest", m.digest, "attempts", m.attempts, "first_alert", first)
}

// flush runs when the endpoint stops: the queue closes, then the current
// message and everything queued (as digests) get one attempt each, within the
// rate limit and flushTimeout. What cannot be sent is counted as failed with
// reason shutdown.
func (e *endpoint) flush(flushTimeout time.Duration) {
	e.q.close()
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	for {
		m := e.cur
		if m == nil {
			m = e.digest()
		}
		if m == nil {
			break
		}
		e.cur = m
		now := e.clock.Now()
		if ctx.Err() != nil || flushTimeout == 0 || e.win.free(now) == 0 || e.burst.free(now) == 0 {
			e.fail(m, reasonShutdown, "stopped before it could be sent")
			continue
		}
		switch out := e.try(ctx, m, now); out.verdict {
		case delivered:
			e.done(m)
		case permanent:
			e.fail(m, out.reason, out.detail)
		default:
			e.fail(m, reasonShutdown, out.reason+": "+out.detail+"; stopped before a retry")
		}
	}
	e.m.queued.WithLabelValues(e.cfg.Name).Set(0)
}
