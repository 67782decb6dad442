package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/govreport/govreport/crawler/hostgate"
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

// servedContentType is the response header that carries the Content-Type as the
// server sent it. The transport leaves only the media type in Content-Type, because
// Colly converts a body whose Content-Type names a charset to UTF-8 before any
// callback sees it, and the crawler must publish the bytes as fetched.
const servedContentType = "Govreport-Served-Content-Type"

// limitsKey carries a site's host limits in a request's context.
type limitsKey struct{}

// withLimits returns ctx carrying the host limits of a site.
func withLimits(ctx context.Context, l hostgate.Limits) context.Context {
	return context.WithValue(ctx, limitsKey{}, l)
}

// politeTransport takes a host lease (per-host concurrency, delay and backoff, across
// processes) from the start of a request until its body is closed, and tells the
// gate what the host's answer taught.
type politeTransport struct {
	inner    http.RoundTripper
	gate     *hostgate.Gate
	defaults hostgate.Limits
	// crawlDelay returns the host's Crawl-delay as far as it is known (0 when not).
	crawlDelay func(u *url.URL) time.Duration
	onWait     func(host string, d time.Duration)
	now        func() time.Time
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	lim, ok := req.Context().Value(limitsKey{}).(hostgate.Limits)
	if !ok {
		lim = t.defaults
	}
	if t.crawlDelay != nil {
		lim.Delay = max(lim.Delay, t.crawlDelay(req.URL))
	}
	lease, err := t.gate.Acquire(req.Context(), req.URL.Host, lim)
	if err != nil {
		return nil, err
	}
	if t.onWait != nil {
		t.onWait(req.URL.Host, lease.Waited())
	}
	start := t.now()
	resp, err := t.inner.RoundTrip(req)
	o := hostgate.Outcome{Latency: t.now().Sub(start)}
	if err != nil {
		o.TimedOut = isTimeout(err)
		lease.Release(o)
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		o.Refused = true
		o.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), t.now())
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		resp.Header.Set(servedContentType, ct)
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			resp.Header.Set("Content-Type", mt)
		} else {
			resp.Header.Del("Content-Type")
		}
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { lease.Release(o) }}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		const year = 365 * 24 * 3600 // beyond any cap; keeps the multiplication in range
		return time.Duration(min(max(s, 0), year)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// newInnerTransport builds the HTTP transport below the politeness layer: guarded
// dialing, header timeout, connection reuse.
func newInnerTransport(cfg *Config) *http.Transport {
	d := guardedDialer(cfg.ConnectTimeout, cfg.AllowPrivate)
	return &http.Transport{
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		MaxIdleConnsPerHost:   max(cfg.HostConcurrency, 2),
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}
