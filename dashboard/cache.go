package dashboard

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/govreport/govreport/pkg/warehouse"
)

// queryCache keeps query results for a short time and runs concurrent identical
// queries once: the warehouse changes by batches, and a page shared widely (a story
// linking to the nation page) must not send every visitor's queries to ClickHouse.
type queryCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]*cacheEntry
}

// cacheEntry is one query's result, or the query in flight (done not yet closed).
type cacheEntry struct {
	done chan struct{}
	at   time.Time
	res  *warehouse.Result
	err  error
}

func newQueryCache(ttl time.Duration, max int) *queryCache {
	return &queryCache{ttl: ttl, max: max, entries: map[string]*cacheEntry{}}
}

// cacheKey identifies a query by its text and arguments.
func cacheKey(sql string, args []any) string {
	return fmt.Sprintf("%s\x00%#v", sql, args)
}

// get returns the cached result of key, waiting for a run in flight, or runs the
// query; hit reports whether the result came from the cache. Errors are not kept.
func (c *queryCache) get(ctx context.Context, key string, run func() (*warehouse.Result, error)) (res *warehouse.Result, hit bool, err error) {
	if c == nil || c.ttl <= 0 {
		res, err = run()
		return res, false, err
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.done:
			if now.Sub(e.at) < c.ttl {
				c.mu.Unlock()
				return e.res, true, nil
			}
			ok = false // stale: run it again
		default: // in flight: wait for it below
		}
	}
	if !ok {
		e = &cacheEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.evictLocked(now)
		c.mu.Unlock()
		e.res, e.err = run()
		e.at = time.Now()
		close(e.done)
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		return e.res, false, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.res, true, e.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// evictLocked drops stale entries, and the oldest ones while over max.
func (c *queryCache) evictLocked(now time.Time) {
	if len(c.entries) <= c.max {
		return
	}
	var oldestKey string
	var oldest time.Time
	for k, e := range c.entries {
		select {
		case <-e.done:
		default:
			continue // in flight
		}
		if now.Sub(e.at) >= c.ttl {
			delete(c.entries, k)
			continue
		}
		if oldestKey == "" || e.at.Before(oldest) {
			oldestKey, oldest = k, e.at
		}
	}
	if len(c.entries) > c.max && oldestKey != "" {
		delete(c.entries, oldestKey)
	}
}
