package alerter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/alerter/history"
	"github.com/govreport/govreport/alerter/webhook"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/report"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
	"github.com/prometheus/client_golang/prometheus"
)

// Store is where alerts are kept for analysts: the ClickHouse connection.
type Store interface {
	PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error)
}

// Deps are the connections an alerter works with.
type Deps struct {
	// JS is the JetStream context (required): records come from PARSED, alerts go
	// to ALERTS.
	JS jetstream.JetStream
	// State is the alert-state bucket (required; bus.AlertStateKV), shared by every
	// alerter process.
	State jetstream.KeyValue
	// Store keeps alerts in the ClickHouse alerts table; nil: NATS only.
	Store Store
	// Warehouse is read by the cross-report rules; nil turns them off.
	Warehouse history.Querier
	// Database is the warehouse database the cross-report rules read.
	Database string
	// Webhook replaces the HTTP client of the webhook sinks (tests); nil: a fresh one.
	Webhook *http.Client
}

// Alerter turns findings on PARSED, and the cross-report rules over the
// warehouse, into alerts, and delivers each once.
type Alerter struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	enabled  map[report.Rule]bool
	metrics  *metrics
	states   *states
	webhooks *webhook.Dispatcher
	now      func() time.Time

	evalMu sync.Mutex // one cross-report run at a time in this process

	mu    sync.Mutex
	stats Stats
}

// Stats counts what the alerter did.
type Stats struct {
	Records  int            `json:"records"`
	Alerts   int            `json:"alerts"`
	Resolved int            `json:"resolved"`
	ByRule   map[string]int `json:"by_rule,omitempty"`
	Dead     int            `json:"dead"`
	// Evaluations counts the cross-report runs.
	Evaluations int `json:"evaluations"`
}

// New returns an alerter. log and reg may be nil.
func New(cfg Config, deps Deps, log *slog.Logger, reg prometheus.Registerer) (*Alerter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.JS == nil || deps.State == nil {
		return nil, errors.New("alerter: JetStream and the alert-state bucket are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	var opts []webhook.Option
	if deps.Webhook != nil {
		opts = append(opts, webhook.WithHTTPClient(deps.Webhook))
	}
	wh, err := webhook.New(cfg.Webhooks, log.With("sink", "webhook"), reg, opts...)
	if err != nil {
		return nil, fmt.Errorf("alerter webhooks: %w", err)
	}
	host, _ := os.Hostname()
	a := &Alerter{cfg: cfg, deps: deps, log: log, enabled: cfg.enabled(), metrics: m, webhooks: wh, now: time.Now,
		stats: Stats{ByRule: map[string]int{}}}
	a.states = &states{kv: deps.State, owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), nuid.Next()),
		claimTTL: cfg.ClaimTTL, now: func() time.Time { return a.now() }}
	return a, nil
}

// Stats returns a copy of the counters.
func (a *Alerter) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.ByRule = make(map[string]int, len(a.stats.ByRule))
	for k, v := range a.stats.ByRule {
		s.ByRule[k] = v
	}
	return s
}

// Run delivers alerts until ctx is done: it consumes records from PARSED, runs
// the cross-report rules on their schedule and after loads (when a warehouse is
// given and they are enabled), and feeds the webhook sinks. Each batch's alerts
// are delivered before its records are acknowledged.
func (a *Alerter) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := a.webhooks.Run(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("webhook sinks stopped", "err", err)
		}
	}()
	if a.deps.Warehouse != nil && a.cfg.CrossReport.Enabled {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.runCrossReport(ctx)
		}()
	}
	err := a.consume(ctx)
	cancel()
	wg.Wait()
	return err
}

// consume reads records from PARSED until ctx is done.
func (a *Alerter) consume(ctx context.Context) error {
	cons, err := a.deps.JS.CreateOrUpdateConsumer(ctx, bus.StreamParsed, jetstream.ConsumerConfig{
		Durable:       bus.ConsumerAlerter,
		Description:   "alerter: findings to alerts",
		FilterSubject: bus.SubjectParsed + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       a.cfg.AckWait,
		MaxDeliver:    a.cfg.MaxDeliver,
		MaxAckPending: 4 * a.cfg.Batch,
	})
	if err != nil {
		return fmt.Errorf("alerter consumer: %w", err)
	}
	for ctx.Err() == nil {
		// FetchMaxWait, not a context deadline: a context that ends before the
		// server's expiry drops what the server sent meanwhile, and those records
		// would wait out AckWait. Shutdown waits at most FetchMaxWait.
		batch, err := cons.Fetch(a.cfg.Batch, jetstream.FetchMaxWait(a.cfg.FetchMaxWait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			a.log.Warn("fetch records", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, nats.ErrTimeout) {
			a.log.Debug("fetch ended", "err", err)
		}
		if len(msgs) > 0 {
			a.handle(ctx, msgs)
		}
	}
	return nil
}

// handle raises the alerts of a batch of records and acknowledges them once their
// alerts are delivered; records that cannot be decoded go to the dead letters. A
// record whose alert keys another alerter is delivering is retried later.
func (a *Alerter) handle(ctx context.Context, msgs []jetstream.Msg) {
	var (
		ack, retry []jetstream.Msg
		deliver    []alert.Alert
		claims     []claim
	)
	for _, m := range msgs {
		rec, err := report.Unmarshal(m.Data())
		if err != nil {
			a.deadLetter(ctx, m, err)
			continue
		}
		scope := Scope{Prefix: ScopeDocument(rec.Meta.DocID), Found: alert.FromRecord(rec, a.enabled, a.now())}
		d, c, busy, err := a.states.reconcile(ctx, []Scope{scope})
		if err != nil {
			a.log.Warn("alert state", "doc_id", rec.Meta.DocID, "err", err)
			a.metrics.errors.WithLabelValues("state").Inc()
			a.states.release(ctx, c)
			retry = append(retry, m)
			continue
		}
		deliver, claims = append(deliver, d...), append(claims, c...)
		if busy > 0 {
			retry = append(retry, m)
			continue
		}
		ack = append(ack, m)
	}
	if err := a.deliver(ctx, deliver, claims); err != nil {
		a.log.Error("deliver alerts", "alerts", len(deliver), "err", err)
		for _, m := range append(ack, retry...) {
			if md, merr := m.Metadata(); merr == nil && int(md.NumDelivered) >= a.cfg.MaxDeliver {
				a.deadLetter(ctx, m, err)
				continue
			}
			_ = m.NakWithDelay(a.cfg.RetryDelay)
		}
		return
	}
	for _, m := range ack {
		if err := m.Ack(); err != nil {
			a.log.Warn("ack record", "err", err)
		}
	}
	for _, m := range retry {
		_ = m.NakWithDelay(a.cfg.RetryDelay)
	}
	a.mu.Lock()
	a.stats.Records += len(ack)
	a.mu.Unlock()
	a.metrics.records.Add(float64(len(ack)))
}

func (a *Alerter) deadLetter(ctx context.Context, m jetstream.Msg, cause error) {
	a.log.Error("record dead-lettered", "subject", m.Subject(), "err", cause)
	if err := bus.DeadLetter(ctx, a.deps.JS, "alerter", m, cause); err != nil {
		a.log.Error("dead-letter", "err", err)
		_ = m.NakWithDelay(a.cfg.RetryDelay)
		return
	}
	a.mu.Lock()
	a.stats.Dead++
	a.mu.Unlock()
	a.metrics.errors.WithLabelValues("dead_letter").Inc()
}

// deliver sends claimed alerts (raised or resolved) to every sink — NATS
// alerts.<rule> (deduplicated by ID and status), the alerts table (replacing by
// ID), the webhooks (queued) — and then records the claims as done. When NATS or
// ClickHouse fails, the claims are released and the error returned: nothing is
// recorded as delivered.
func (a *Alerter) deliver(ctx context.Context, alerts []alert.Alert, claims []claim) error {
	if len(alerts) == 0 {
		return nil
	}
	if err := a.publish(ctx, alerts); err != nil {
		a.states.release(ctx, claims)
		a.metrics.errors.WithLabelValues("deliver").Inc()
		return err
	}
	if a.deps.Store != nil {
		if err := insertAlerts(ctx, a.deps.Store, alerts); err != nil {
			a.states.release(ctx, claims)
			a.metrics.errors.WithLabelValues("deliver").Inc()
			return err
		}
	}
	if err := a.webhooks.Send(ctx, alerts); err != nil {
		a.log.Warn("webhooks did not take the alerts", "alerts", len(alerts), "err", err)
	}
	if err := a.states.commit(ctx, claims); err != nil {
		// Delivered but not recorded: they may be delivered again, which every sink
		// tolerates (same ID).
		a.log.Warn("record delivered alerts", "err", err)
	}
	a.mu.Lock()
	for _, al := range alerts {
		if al.Status == alert.StatusResolved {
			a.stats.Resolved++
			continue
		}
		a.stats.Alerts++
		a.stats.ByRule[string(al.Rule)]++
	}
	a.mu.Unlock()
	return nil
}

// publish sends each alert to alerts.<rule>, deduplicated by its ID and status.
func (a *Alerter) publish(ctx context.Context, alerts []alert.Alert) error {
	for i := range alerts {
		al := &alerts[i]
		data, err := al.Marshal()
		if err != nil {
			return fmt.Errorf("encode alert %s: %w", al.ID, err)
		}
		msg := nats.NewMsg(bus.AlertSubject(string(al.Rule)))
		msg.Data = data
		msg.Header.Set(jetstream.MsgIDHeader, al.ID+"."+al.Status)
		msg.Header.Set(bus.HeaderDocID, al.DocID)
		ack, err := a.deps.JS.PublishMsg(ctx, msg)
		if err != nil {
			return fmt.Errorf("publish alert %s: %w", al.ID, err)
		}
		if !ack.Duplicate {
			a.metrics.alerts.WithLabelValues(string(al.Rule), al.Status).Inc()
		}
	}
	return nil
}

// alertColumns are the columns the alerter writes, in order.
var alertColumns = []string{
	"alert_id", "alert_key", "version", "rule", "severity", "status", "doc_id", "body", "year", "level",
	"province", "city", "county", "township", "region_code", "township_code", "source_url", "scope",
	"cells", "cell_values", "related_doc_ids", "related_urls", "evidence", "message_zh", "message_en",
	"raised_at", "resolved_at",
}

func insertAlerts(ctx context.Context, store Store, alerts []alert.Alert) error {
	b, err := store.PrepareBatch(ctx, "INSERT INTO alerts ("+strings.Join(alertColumns, ", ")+")")
	if err != nil {
		return fmt.Errorf("prepare alerts insert: %w", err)
	}
	for _, al := range alerts {
		var relIDs, relURLs []string
		for _, r := range al.Related {
			relIDs, relURLs = append(relIDs, r.DocID), append(relURLs, r.SourceURL)
		}
		evidence := ""
		if len(al.Evidence) > 0 {
			e, err := json.Marshal(alert.FiniteEvidence(al.Evidence))
			if err != nil {
				_ = b.Abort()
				return fmt.Errorf("encode evidence of alert %s: %w", al.ID, err)
			}
			evidence = string(e)
		}
		var resolved *time.Time
		if al.ResolvedAt != nil {
			t := al.ResolvedAt.UTC().Truncate(time.Second)
			resolved = &t
		}
		rg := al.Region
		if err := b.Append(al.ID, al.Key, al.Version, string(al.Rule), al.Severity, al.Status, al.DocID, al.Body,
			uint16(al.Year), string(al.Level), rg.Province, rg.City, rg.County, rg.Township, rg.Code, rg.TownshipCode,
			al.SourceURL, al.Scope, nonNil(al.Cells), nonNil(al.CellValues), nonNil(relIDs), nonNil(relURLs), evidence,
			al.MessageZH, al.MessageEN, al.RaisedAt.UTC().Truncate(time.Second), resolved); err != nil {
			_ = b.Abort()
			return fmt.Errorf("append alert %s: %w", al.ID, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("insert alerts: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
