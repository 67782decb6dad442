package webhook

import "time"

// Windows rates are counted over. Each is a little longer than the vendor's: a
// request is counted from the moment it leaves and arrives a little later, so
// the receiver never sees limit+1 requests in its own window.
const (
	rateSpan  = time.Minute + time.Second // rate_per_minute
	burstSpan = 1100 * time.Millisecond   // a vendor's per-second limit
)

// Per-second limits: Feishu custom bots accept 5 requests a second (besides
// 100 a minute).
const burstFeishu = 5

// window is a sliding-window rate limiter: at most limit requests in any span.
// It is owned by one goroutine.
type window struct {
	limit int // 0: no limit
	span  time.Duration
	sent  []time.Time // start times of the requests still in the window, oldest first
}

func newWindow(limit int, span time.Duration) *window { return &window{limit: limit, span: span} }

// unlimited is the free count of a window without a limit.
const unlimited = int(^uint(0) >> 1)

// free returns how many requests may start at now.
func (w *window) free(now time.Time) int {
	if w.limit == 0 {
		return unlimited
	}
	w.expire(now)
	return w.limit - len(w.sent)
}

// next returns when the next request may start (now if one may).
func (w *window) next(now time.Time) time.Time {
	if w.free(now) > 0 {
		return now
	}
	return w.sent[0].Add(w.span)
}

// take records a request started at now.
func (w *window) take(now time.Time) {
	if w.limit > 0 {
		w.sent = append(w.sent, now)
	}
}

func (w *window) expire(now time.Time) {
	i := 0
	for i < len(w.sent) && !now.Before(w.sent[i].Add(w.span)) {
		i++
	}
	if i > 0 {
		w.sent = append(w.sent[:0], w.sent[i:]...)
	}
}
