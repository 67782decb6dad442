package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned when a request would reach a private, loopback or
// link-local address and the configuration does not allow it.
var ErrPrivateAddress = errors.New("refusing private, loopback or link-local address")

// guardedDialer returns a dialer that refuses non-public addresses after DNS
// resolution (so a public name pointing at a private address is refused too).
func guardedDialer(timeout time.Duration, allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if allowPrivate {
		return d
	}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || !isPublic(ip) {
			return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
		}
		return nil
	}
	return d
}

func isPublic(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast())
}

// hostLimiter enforces, per host, a maximum number of requests in flight and a
// minimum interval between request starts. One limiter serves every collector of
// the process, so sites sharing a host share its limit.
type hostLimiter struct {
	concurrency int
	delay       time.Duration

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	mu   sync.Mutex
	next time.Time // earliest start of the next request
}

func newHostLimiter(concurrency int, delay time.Duration) *hostLimiter {
	return &hostLimiter{concurrency: concurrency, delay: delay, hosts: map[string]*hostSlot{}}
}

func (l *hostLimiter) slot(host string) *hostSlot {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.hosts[host]
	if !ok {
		s = &hostSlot{sem: make(chan struct{}, l.concurrency)}
		l.hosts[host] = s
	}
	return s
}

// acquire waits for a slot of host and for the host's delay, and returns the release
// function and how long it waited.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), waited time.Duration, err error) {
	start := time.Now()
	s := l.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, time.Since(start), ctx.Err()
	}
	s.mu.Lock()
	now := time.Now()
	at := s.next
	if at.Before(now) {
		at = now
	}
	s.next = at.Add(l.delay)
	s.mu.Unlock()
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			return nil, time.Since(start), ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-s.sem }) }, time.Since(start), nil
}

// politeTransport holds a host slot from the start of a request until its body is
// closed.
type politeTransport struct {
	inner   http.RoundTripper
	limiter *hostLimiter
	onWait  func(host string, d time.Duration)
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, waited, err := t.limiter.acquire(req.Context(), req.URL.Host)
	if err != nil {
		return nil, err
	}
	if t.onWait != nil {
		t.onWait(req.URL.Host, waited)
	}
	resp, err := t.inner.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// newTransport builds the HTTP transport: guarded dialing, header timeout, polite
// per-host limits.
func newTransport(cfg *Config, limiter *hostLimiter, onWait func(string, time.Duration)) http.RoundTripper {
	d := guardedDialer(cfg.ConnectTimeout, cfg.AllowPrivate)
	inner := &http.Transport{
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		MaxIdleConnsPerHost:   cfg.HostConcurrency,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &politeTransport{inner: inner, limiter: limiter, onWait: onWait}
}
