package hostgate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Store keeps host records.
type Store interface {
	// Update applies f to a host's record (the zero Record when there is none) and
	// stores the result if f returns true, atomically: no other update of the host
	// comes between. f may be called more than once (after a lost race) and must
	// not keep results of an earlier call.
	Update(ctx context.Context, host string, f func(rec *Record) bool) error
}

// Memory is a Store for one process.
type Memory struct {
	mu   sync.Mutex
	recs map[string]*Record
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{recs: map[string]*Record{}} }

// Update implements Store.
func (m *Memory) Update(_ context.Context, host string, f func(rec *Record) bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[host]
	if !ok {
		r = &Record{}
	}
	c := r.clone()
	if f(&c) {
		if len(c.Leases) == 0 && c.Penalty == 0 && !c.Next.After(time.Now()) {
			delete(m.recs, host) // nothing worth keeping: bounded by the hosts in use
			return nil
		}
		m.recs[host] = &c
	}
	return nil
}

// Len returns the number of hosts with a record.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.recs)
}

// KeyValue is the part of a JetStream key-value bucket the store uses.
type KeyValue interface {
	Get(ctx context.Context, key string) (jetstream.KeyValueEntry, error)
	Create(ctx context.Context, key string, value []byte, opts ...jetstream.KVCreateOpt) (uint64, error)
	Update(ctx context.Context, key string, value []byte, revision uint64) (uint64, error)
}

// KV is a Store in a JetStream key-value bucket (bus.CrawlHostsBucket), shared by
// every process connected to it. Updates are compare-and-set, retried with a
// growing random pause when another process got there first.
type KV struct{ kv KeyValue }

// NewKV returns a store in kv.
func NewKV(kv KeyValue) *KV { return &KV{kv: kv} }

// Key returns the bucket key of a host (host or host:port): "host." followed by
// the host with every character a key does not allow replaced by '_'.
func Key(host string) string {
	var b strings.Builder
	b.WriteString("host.")
	for _, r := range strings.ToLower(host) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Update implements Store.
func (s *KV) Update(ctx context.Context, host string, f func(rec *Record) bool) error {
	key := Key(host)
	pause := 200 * time.Microsecond
	for {
		var rec Record
		var rev uint64
		e, err := s.kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound), errors.Is(err, jetstream.ErrKeyDeleted):
		case err != nil:
			return fmt.Errorf("load host %s: %w", host, err)
		default:
			rev = e.Revision()
			if json.Unmarshal(e.Value(), &rec) != nil {
				rec = Record{} // a record we cannot read is replaced
			}
		}
		if !f(&rec) {
			return nil
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode host %s: %w", host, err)
		}
		if rev == 0 {
			_, err = s.kv.Create(ctx, key, data)
		} else {
			_, err = s.kv.Update(ctx, key, data, rev)
		}
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, jetstream.ErrKeyExists) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			return fmt.Errorf("save host %s: %w", host, err)
		}
		// Lost the race: try again after a random pause, longer each time.
		t := time.NewTimer(rand.N(pause) + time.Microsecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		pause = min(2*pause, 20*time.Millisecond)
	}
}
