package urlstate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go/jetstream"
)

// State is what the crawler knows about one URL of one site.
type State struct {
	// URL is the URL as requested.
	URL string `json:"url"`
	// Kind is the page kind: list, report or attachment.
	Kind string `json:"kind"`
	// ETag and LastModified are the validators of the last good response.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// SHA256 is the hash of the last good body (for documents: the one published).
	SHA256 string `json:"sha256,omitempty"`
	// Status is the HTTP status of the last response (0: no response).
	Status int `json:"status,omitempty"`
	// Error is the kind of the last final error ("" when the last fetch succeeded).
	Error string `json:"error,omitempty"`
	// Failures counts consecutive failed fetches.
	Failures int `json:"failures,omitempty"`
	// FetchedAt is the last good fetch (200 or 304); CheckedAt the last attempt.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// NextDue is when the URL should be fetched again.
	NextDue time.Time `json:"next_due,omitzero"`
	// Run is the crawl run that last completed the URL (with success or a final
	// error).
	Run string `json:"run,omitempty"`
	// Links are the links the page yielded, to follow without refetching it.
	Links []Link `json:"links,omitempty"`
}

// Link is a link found on a page.
type Link struct {
	URL  string `json:"u"`
	Kind string `json:"k"`
	Text string `json:"t,omitempty"`
}

// OK reports whether the last fetch succeeded.
func (s *State) OK() bool { return s.Error == "" && !s.FetchedAt.IsZero() }

// Store keeps URL states.
type Store interface {
	// Get returns the state of a URL of a site; ok is false when there is none.
	Get(ctx context.Context, site, url string) (st State, ok bool, err error)
	// Put stores the state of a URL of a site.
	Put(ctx context.Context, site, url string, st State) error
}

// Key returns the bucket key of a URL of a site: the site ID (characters a key
// does not allow replaced by '_') and the document ID of the canonical URL.
func Key(site, url string) (string, error) {
	canon, err := rawdoc.CanonicalURL(url)
	if err != nil {
		return "", err
	}
	b := []byte(site)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		b = []byte("_")
	}
	return string(b) + "." + rawdoc.DocID(canon), nil
}

// Memory is a Store in memory. It is safe for concurrent use.
type Memory struct {
	mu sync.Mutex
	m  map[string]State
}

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{m: map[string]State{}} }

// Get implements Store.
func (m *Memory) Get(_ context.Context, site, url string) (State, bool, error) {
	k, err := Key(site, url)
	if err != nil {
		return State{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.m[k]
	return st, ok, nil
}

// Put implements Store.
func (m *Memory) Put(_ context.Context, site, url string, st State) error {
	k, err := Key(site, url)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[k] = st
	return nil
}

// Len returns the number of URLs stored.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// KeyValue is the part of a JetStream key-value bucket the store uses.
type KeyValue interface {
	Get(ctx context.Context, key string) (jetstream.KeyValueEntry, error)
	Put(ctx context.Context, key string, value []byte) (uint64, error)
}

// KV is a Store in a JetStream key-value bucket (bus.CrawlStateBucket).
type KV struct{ kv KeyValue }

// NewKV returns a store in kv.
func NewKV(kv KeyValue) *KV { return &KV{kv: kv} }

// Get implements Store.
func (s *KV) Get(ctx context.Context, site, url string) (State, bool, error) {
	k, err := Key(site, url)
	if err != nil {
		return State{}, false, err
	}
	e, err := s.kv.Get(ctx, k)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("get crawl state of %s: %w", url, err)
	}
	var st State
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		// Unreadable state is no state: the URL is fetched afresh.
		return State{}, false, nil
	}
	return st, true, nil
}

// Put implements Store.
func (s *KV) Put(ctx context.Context, site, url string, st State) error {
	k, err := Key(site, url)
	if err != nil {
		return err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode crawl state of %s: %w", url, err)
	}
	if _, err := s.kv.Put(ctx, k, data); err != nil {
		return fmt.Errorf("put crawl state of %s: %w", url, err)
	}
	return nil
}
