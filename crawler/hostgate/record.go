package hostgate

import (
	"maps"
	"time"
)

// Record is the politeness state of one host.
type Record struct {
	// Next is the earliest start of the next request.
	Next time.Time `json:"next"`
	// Leases are the requests in flight: lease ID → expiry.
	Leases map[string]time.Time `json:"leases,omitempty"`
	// Penalty is an extra spacing of requests learned from the host (slow
	// responses, 429/503); it decays as the host answers quickly again.
	Penalty time.Duration `json:"penalty,omitempty"`
}

// clone returns a deep copy.
func (r Record) clone() Record {
	r.Leases = maps.Clone(r.Leases)
	return r
}

// prune drops expired leases and reports whether it dropped any.
func (r *Record) prune(now time.Time) bool {
	pruned := false
	for id, exp := range r.Leases {
		if !now.Before(exp) {
			delete(r.Leases, id)
			pruned = true
		}
	}
	return pruned
}
