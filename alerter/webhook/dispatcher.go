package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/prometheus/client_golang/prometheus"
)

// ErrStopped is returned by Send once Run has stopped: the alerts were not
// taken.
var ErrStopped = errors.New("webhook dispatcher stopped")

// Dispatcher delivers alerts to the configured webhook endpoints. Send queues
// alerts; Run delivers them until its context ends.
type Dispatcher struct {
	cfg       Config
	endpoints []*endpoint
	log       *slog.Logger
	m         *metrics
	started   atomic.Bool
}

// Option adjusts a Dispatcher.
type Option func(*options) error

type options struct {
	client *http.Client
	clock  clock
	getenv func(string) (string, bool)
}

// WithHTTPClient makes requests with c instead of a fresh client. Redirects are
// never followed whatever c says: a webhook that redirects is refused, so that
// its credentials do not travel to another address.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("webhook: nil HTTP client")
		}
		o.client = c
		return nil
	}
}

// withClock replaces the clock (tests).
func withClock(c clock) Option {
	return func(o *options) error { o.clock = c; return nil }
}

// New validates cfg, reads the secrets named by secret_env from the
// environment, and returns a Dispatcher. log and reg may be nil.
func New(cfg Config, log *slog.Logger, reg prometheus.Registerer, opts ...Option) (*Dispatcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := options{client: &http.Client{}, clock: realClock{}, getenv: os.LookupEnv}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	client := *o.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	d := &Dispatcher{cfg: cfg, log: log, m: m}
	for _, ec := range cfg.Endpoints {
		secret, err := resolveSecret(ec, o.getenv)
		if err != nil {
			return nil, err
		}
		e := &endpoint{
			cfg:    ec,
			client: &client,
			clock:  o.clock,
			log:    log.With("endpoint", ec.Name, "format", string(ec.Format), "url", redactURL(ec.URL)),
			m:      m,
			scrub:  newScrubber(ec.URL, secret),
			q:      newQueue(ec.QueueSize),
			win:    newWindow(ec.RatePerMinute, rateSpan),
			burst:  newWindow(0, burstSpan),
		}
		if ec.Format == FormatFeishu {
			e.burst.limit = burstFeishu
		}
		switch ec.Format {
		case FormatJSON:
			e.sink = &jsonSink{url: ec.URL, secret: secret}
		case FormatDingTalk:
			e.sink = &dingTalkSink{url: ec.URL, secret: secret, digestItems: ec.DigestItems}
		case FormatWeCom:
			e.sink = &weComSink{url: ec.URL, digestItems: ec.DigestItems}
		case FormatFeishu:
			e.sink = &feishuSink{url: ec.URL, secret: secret, digestItems: ec.DigestItems}
		}
		d.endpoints = append(d.endpoints, e)
	}
	return d, nil
}

// resolveSecret returns the endpoint's secret: the config value first, else the
// variable named by secret_env, which must then be set and non-empty.
func resolveSecret(e Endpoint, getenv func(string) (string, bool)) (string, error) {
	if e.Secret != "" || e.SecretEnv == "" {
		return e.Secret, nil
	}
	v, ok := getenv(e.SecretEnv)
	if !ok || v == "" {
		return "", fmt.Errorf("webhook endpoint %s: secret_env names %s, which is not set or empty", e.Name, e.SecretEnv)
	}
	return v, nil
}

// Endpoints returns the names of the endpoints, in configuration order.
func (d *Dispatcher) Endpoints() []string {
	names := make([]string, len(d.endpoints))
	for i, e := range d.endpoints {
		names[i] = e.cfg.Name
	}
	return names
}

// Send hands alerts to every endpoint whose filter accepts them. It never
// blocks on delivery: each endpoint queues up to queue_size alerts and counts
// the rest into its next digest. Alerts sent before Run starts wait for it.
// It fails only when ctx is done or when Run has stopped (ErrStopped).
func (d *Dispatcher) Send(ctx context.Context, alerts []alert.Alert) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []error
	for _, e := range d.endpoints {
		var mine []alert.Alert
		for i := range alerts {
			if e.cfg.accepts(&alerts[i]) {
				mine = append(mine, alerts[i])
			}
		}
		over, err := e.q.put(mine)
		if err != nil {
			errs = append(errs, fmt.Errorf("webhook endpoint %s: %w", e.cfg.Name, err))
			continue
		}
		if over > 0 {
			d.m.alerts.WithLabelValues(e.cfg.Name, "overflowed").Add(float64(over))
			e.log.Warn("webhook queue full: alerts counted into the next digest without details", "alerts", over)
		}
		d.m.queued.WithLabelValues(e.cfg.Name).Set(float64(e.queuedNow()))
	}
	return errors.Join(errs...)
}

// Run delivers alerts until ctx is done, one goroutine per endpoint, then gives
// what is still queued one last attempt within flush_timeout and returns when
// every endpoint has stopped. It may be called once.
func (d *Dispatcher) Run(ctx context.Context) error {
	if !d.started.CompareAndSwap(false, true) {
		return errors.New("webhook dispatcher: Run called twice")
	}
	var wg sync.WaitGroup
	for _, e := range d.endpoints {
		wg.Go(func() { e.run(ctx, d.cfg.FlushTimeout) })
	}
	wg.Wait()
	return nil
}
