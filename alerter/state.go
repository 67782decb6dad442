package alerter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/nats-io/nats.go/jetstream"
)

// States of an alert key in the state bucket.
const (
	// stateClaimed: a process is delivering the alert (or its resolution); others
	// leave the key alone until the claim is older than the claim TTL.
	stateClaimed  = "claimed"
	stateOpen     = alert.StatusOpen
	stateResolved = alert.StatusResolved
)

// entry is the state of one alert key: the alert last raised for it and where its
// delivery stands. It lives in bus.AlertStateBucket, shared by every alerter.
type entry struct {
	// State is claimed, open or resolved.
	State string `json:"state"`
	// Next is what a claimed entry becomes once delivered: open or resolved.
	Next string `json:"next,omitempty"`
	// Since is when the entry reached its state (for a claim: when it was taken).
	Since time.Time `json:"since"`
	// Owner names the process holding a claim.
	Owner string `json:"owner,omitempty"`
	// Alert is the alert raised (or being resolved) for the key.
	Alert alert.Alert `json:"alert"`
}

// Scope is a set of alert keys that one evaluation decides completely: the alerts
// of one document (per-report rules) or of one cross-report rule and year. An open
// alert of the scope that the evaluation did not find again is resolved.
type Scope struct {
	// Prefix is the state keys' prefix: ScopeDocument or ScopeRuleYear.
	Prefix string
	// Found are the alerts the evaluation raised in the scope, all open.
	Found []alert.Alert
}

// ScopeDocument is the scope of the per-report alerts of a document.
func ScopeDocument(docID string) string { return "d." + bus.Token(docID) }

// ScopeRuleYear is the scope of a cross-report rule's alerts for a report year.
func ScopeRuleYear(rule string, year int) string {
	return fmt.Sprintf("x.%s.%d", bus.Token(rule), year)
}

// stateKey is the bucket key of an alert key within a scope.
func stateKey(prefix, key string) string {
	h := sha256.Sum256([]byte(key))
	return prefix + "." + hex.EncodeToString(h[:12])
}

// claim is a key this process claimed and must commit once the alert is delivered.
type claim struct {
	kvKey    string
	revision uint64
	entry    entry
	prev     *entry // what the key held before the claim; nil: nothing
}

// states keeps alert state in the key-value bucket.
type states struct {
	kv       jetstream.KeyValue
	owner    string
	claimTTL time.Duration
	now      func() time.Time
}

// errBusy reports a key claimed by another process less than the claim TTL ago.
var errBusy = errors.New("alert key claimed by another alerter")

// reconcile decides, for each scope, which alerts to deliver: the alerts found that
// are new or whose evidence changed (replacing the key's earlier alert), and the
// resolution of every open alert of the scope that was not found again. It claims
// each key it decides on, so that no other process delivers it too. busy counts the
// keys another process is delivering; the caller retries those later. On an error
// the claims taken so far are returned too, for the caller to release.
func (s *states) reconcile(ctx context.Context, scopes []Scope) (deliver []alert.Alert, claims []claim, busy int, err error) {
	now := s.now().UTC()
	for _, sc := range scopes {
		found := map[string]bool{}
		for _, a := range sc.Found {
			k := stateKey(sc.Prefix, a.Key)
			found[k] = true
			c, superseded, err := s.claimOpen(ctx, k, a, now)
			switch {
			case errors.Is(err, errBusy):
				busy++
				continue
			case err != nil:
				return nil, claims, 0, err
			case c == nil:
				continue // raised already
			}
			claims = append(claims, *c)
			if superseded != nil {
				deliver = append(deliver, *superseded)
			}
			deliver = append(deliver, c.entry.Alert)
		}
		keys, err := s.keys(ctx, sc.Prefix)
		if err != nil {
			return nil, claims, 0, err
		}
		for _, k := range keys {
			if found[k] {
				continue
			}
			c, err := s.claimResolve(ctx, k, now)
			switch {
			case errors.Is(err, errBusy):
				busy++
				continue
			case err != nil:
				return nil, claims, 0, err
			case c == nil:
				continue
			}
			claims = append(claims, *c)
			deliver = append(deliver, c.entry.Alert)
		}
	}
	return deliver, claims, busy, nil
}

// claimOpen claims key for alert a unless a is what the key holds already. When the
// key held another open alert (other evidence), that alert is returned resolved,
// to be delivered with a.
func (s *states) claimOpen(ctx context.Context, key string, a alert.Alert, now time.Time) (*claim, *alert.Alert, error) {
	for attempt := 0; attempt < 3; attempt++ {
		cur, rev, err := s.get(ctx, key)
		if err != nil {
			return nil, nil, err
		}
		var superseded *alert.Alert
		if cur != nil {
			switch {
			case cur.State == stateClaimed && !s.stale(cur, now):
				return nil, nil, errBusy
			case cur.State == stateOpen && cur.Alert.ID == a.ID:
				return nil, nil, nil
			case cur.State == stateClaimed && cur.Next == stateOpen && cur.Alert.ID == a.ID:
				// A stale claim of this very alert: deliver it again.
			case cur.Alert.ID != a.ID && (cur.State == stateOpen || cur.State == stateClaimed && cur.Next == stateOpen):
				old := resolved(cur.Alert, now)
				superseded = &old
			}
		}
		a.RaisedAt = now.Truncate(time.Second)
		a.Version = uint64(now.UnixNano())
		e := entry{State: stateClaimed, Next: stateOpen, Since: now, Owner: s.owner, Alert: a}
		newRev, err := s.put(ctx, key, e, rev != 0, rev)
		if errors.Is(err, errConflict) {
			continue // another process changed the key meanwhile: look again
		}
		if err != nil {
			return nil, nil, err
		}
		return &claim{kvKey: key, revision: newRev, entry: e, prev: cur}, superseded, nil
	}
	return nil, nil, errBusy
}

// claimResolve claims an open key to resolve its alert; it returns nil when the key
// holds nothing open.
func (s *states) claimResolve(ctx context.Context, key string, now time.Time) (*claim, error) {
	for attempt := 0; attempt < 3; attempt++ {
		cur, rev, err := s.get(ctx, key)
		if err != nil || cur == nil {
			return nil, err
		}
		switch {
		case cur.State == stateResolved:
			return nil, nil
		case cur.State == stateClaimed && !s.stale(cur, now):
			return nil, errBusy
		}
		// Open, or a claim whose owner died: resolve what the key holds.
		e := entry{State: stateClaimed, Next: stateResolved, Since: now, Owner: s.owner, Alert: resolved(cur.Alert, now)}
		newRev, err := s.put(ctx, key, e, true, rev)
		if errors.Is(err, errConflict) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &claim{kvKey: key, revision: newRev, entry: e, prev: cur}, nil
	}
	return nil, errBusy
}

// commit records delivered claims as open or resolved. A claim another process
// took over meanwhile (its revision moved) is left to that process.
func (s *states) commit(ctx context.Context, claims []claim) error {
	now := s.now().UTC()
	for _, c := range claims {
		e := c.entry
		e.State, e.Next, e.Owner, e.Since = c.entry.Next, "", "", now
		if _, err := s.put(ctx, c.kvKey, e, true, c.revision); err != nil && !errors.Is(err, errConflict) {
			return err
		}
	}
	return nil
}

// release gives up claims whose delivery failed, putting back what the keys held,
// so that the next attempt (of this or another process) need not wait for the
// claim TTL. A key changed since the claim is left alone.
func (s *states) release(ctx context.Context, claims []claim) {
	for _, c := range claims {
		if c.prev == nil {
			_ = s.kv.Delete(ctx, c.kvKey, jetstream.LastRevision(c.revision))
			continue
		}
		_, _ = s.put(ctx, c.kvKey, *c.prev, true, c.revision)
	}
}

// stale reports whether a claim has outlived the claim TTL (its owner died).
func (s *states) stale(e *entry, now time.Time) bool { return now.Sub(e.Since) >= s.claimTTL }

var errConflict = errors.New("alert state changed concurrently")

func (s *states) get(ctx context.Context, key string) (*entry, uint64, error) {
	kve, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read alert state %s: %w", key, err)
	}
	var e entry
	if err := json.Unmarshal(kve.Value(), &e); err != nil {
		// A damaged entry is replaced, not fatal: its alert is raised again.
		return nil, kve.Revision(), nil
	}
	return &e, kve.Revision(), nil
}

// put writes an entry: a create when exists is false (a released claim leaves a
// delete marker, so create also covers that), else an update at revision rev.
func (s *states) put(ctx context.Context, key string, e entry, exists bool, rev uint64) (uint64, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return 0, fmt.Errorf("encode alert state %s: %w", key, err)
	}
	var newRev uint64
	if exists {
		newRev, err = s.kv.Update(ctx, key, data, rev)
	} else {
		newRev, err = s.kv.Create(ctx, key, data)
	}
	var apiErr *jetstream.APIError
	if errors.Is(err, jetstream.ErrKeyExists) || errors.As(err, &apiErr) &&
		(apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence || apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
		return 0, errConflict
	}
	if err != nil {
		return 0, fmt.Errorf("write alert state %s: %w", key, err)
	}
	return newRev, nil
}

// keys lists the state keys of a scope.
func (s *states) keys(ctx context.Context, prefix string) ([]string, error) {
	l, err := s.kv.ListKeysFiltered(ctx, prefix+".*")
	if err != nil {
		return nil, fmt.Errorf("list alert state %s: %w", prefix, err)
	}
	var out []string
	for k := range l.Keys() {
		out = append(out, k)
	}
	return out, nil
}

// resolved returns a as resolved at now.
func resolved(a alert.Alert, now time.Time) alert.Alert {
	t := now.Truncate(time.Second)
	a.Status, a.ResolvedAt, a.Version = alert.StatusResolved, &t, uint64(now.UnixNano())
	return a
}
