package robots

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// Config configures the cache.
type Config struct {
	// Agent is the User-Agent sent, and matched against the file's groups.
	Agent string
	// Size is the number of hosts kept.
	Size int
	// TTL is how long a fetched robots.txt is used.
	TTL time.Duration
	// ErrorTTL is how long a robots.txt that could not be fetched disallows its host.
	ErrorTTL time.Duration
	// MaxBytes bounds the robots.txt read (Google reads 500 KiB).
	MaxBytes int64
}

// Doer sends an HTTP request (an *http.Client).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Verdict is the answer for one URL.
type Verdict struct {
	// Allowed says whether the URL may be fetched.
	Allowed bool
	// CrawlDelay is the host's Crawl-delay for our group (0 when none).
	CrawlDelay time.Duration
	// Unavailable is set when robots.txt could not be fetched (so Allowed is false);
	// Err says why.
	Unavailable bool
	Err         error
}

// ErrUnavailable wraps the reason a robots.txt could not be fetched.
var ErrUnavailable = errors.New("robots.txt unavailable")

// Cache fetches, keeps and applies robots.txt files. It is safe for concurrent use.
type Cache struct {
	cfg    Config
	client Doer
	now    func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // by scheme://host
	lru     *list.List               // of *entry, most recent first
	fetches int
}

type entry struct {
	key     string
	ready   chan struct{} // closed when data, err and expires are set
	data    *robotstxt.RobotsData
	err     error
	expires time.Time
}

// New returns a cache that fetches with client.
func New(cfg Config, client Doer) (*Cache, error) {
	if cfg.Size < 1 {
		return nil, fmt.Errorf("robots: cache size must be at least 1")
	}
	if cfg.TTL <= 0 || cfg.ErrorTTL <= 0 {
		return nil, fmt.Errorf("robots: ttl and error ttl must be positive")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 500 << 10
	}
	return &Cache{cfg: cfg, client: client, now: time.Now, entries: map[string]*list.Element{}, lru: list.New()}, nil
}

// Len returns the number of hosts cached.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Fetches returns how many robots.txt files the cache has requested.
func (c *Cache) Fetches() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}

// Check answers for u. An error is returned only when ctx ended; an unavailable
// robots.txt is a Verdict with Unavailable set.
func (c *Cache) Check(ctx context.Context, u *url.URL) (Verdict, error) {
	e, err := c.entry(ctx, u)
	if err != nil {
		return Verdict{}, err
	}
	if e.err != nil {
		return Verdict{Unavailable: true, Err: e.err}, nil
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	g := e.data.FindGroup(c.cfg.Agent)
	return Verdict{Allowed: e.data.TestAgent(path, c.cfg.Agent), CrawlDelay: g.CrawlDelay}, nil
}

// CrawlDelay returns the Crawl-delay the cached robots.txt of u's host asks for,
// without fetching anything (0 when none is cached).
func (c *Cache) CrawlDelay(u *url.URL) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[u.Scheme+"://"+u.Host]
	if !ok {
		return 0
	}
	e := el.Value.(*entry)
	select {
	case <-e.ready:
	default:
		return 0
	}
	if e.data == nil || !c.now().Before(e.expires) {
		return 0
	}
	return e.data.FindGroup(c.cfg.Agent).CrawlDelay
}

// entry returns the host's fresh entry, fetching it (once, however many callers
// wait) when missing or expired.
func (c *Cache) entry(ctx context.Context, u *url.URL) (*entry, error) {
	for {
		e, err := c.tryEntry(ctx, u)
		if err != nil || !errors.Is(e.err, context.Canceled) && !errors.Is(e.err, context.DeadlineExceeded) {
			return e, err
		}
		// The fetch we waited for was abandoned by its own caller: fetch again.
	}
}

func (c *Cache) tryEntry(ctx context.Context, u *url.URL) (*entry, error) {
	key := u.Scheme + "://" + u.Host
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*entry)
		select {
		case <-e.ready:
			if c.now().Before(e.expires) {
				c.lru.MoveToFront(el)
				c.mu.Unlock()
				return e, nil
			}
			c.lru.Remove(el)
			delete(c.entries, key)
		default:
			// Being fetched: wait for it.
			c.mu.Unlock()
			select {
			case <-e.ready:
				return e, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	e := &entry{key: key, ready: make(chan struct{})}
	c.entries[key] = c.lru.PushFront(e)
	c.fetches++
	for c.lru.Len() > c.cfg.Size {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*entry).key)
	}
	c.mu.Unlock()

	data, err := c.fetch(ctx, key)
	if ctx.Err() != nil {
		// Our caller gave up: forget the entry so that the next check fetches again.
		c.mu.Lock()
		if el, ok := c.entries[key]; ok && el.Value.(*entry) == e {
			c.lru.Remove(el)
			delete(c.entries, key)
		}
		c.mu.Unlock()
		e.err = ctx.Err()
		close(e.ready)
		return nil, ctx.Err()
	}
	e.data, e.err = data, err
	ttl := c.cfg.TTL
	if err != nil {
		ttl = c.cfg.ErrorTTL
	}
	e.expires = c.now().Add(ttl)
	close(e.ready)
	return e, nil
}

func (c *Cache) fetch(ctx context.Context, base string) (*robotstxt.RobotsData, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/robots.txt", nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	req.Header.Set("User-Agent", c.cfg.Agent)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBytes))
	if err != nil {
		return nil, fmt.Errorf("%w: read: %w", ErrUnavailable, err)
	}
	switch {
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("%w: status %d", ErrUnavailable, resp.StatusCode)
	case resp.StatusCode >= 400:
		data, _ := robotstxt.FromStatusAndBytes(resp.StatusCode, nil)
		return data, nil
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		// An unparseable file asks for nothing we can read: allow.
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	return data, nil
}
