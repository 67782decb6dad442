package webhook

import (
	"math/rand/v2"
	"time"
)

// backoff returns the wait before retry number n (1 for the first retry):
// initial doubled n-1 times, capped at max, drawn uniformly between half of it
// and all of it so that endpoints failing together do not retry together.
func backoff(n int, initial, max time.Duration) time.Duration {
	d := initial
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
