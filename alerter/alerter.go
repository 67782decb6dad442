package alerter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/report"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Store is where alerts are kept for analysts: the ClickHouse connection.
type Store interface {
	PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error)
}

// Alerter turns findings on PARSED into alerts.
type Alerter struct {
	cfg     Config
	js      jetstream.JetStream
	store   Store
	log     *slog.Logger
	enabled map[report.Rule]bool
	metrics *metrics
	now     func() time.Time

	mu    sync.Mutex
	stats Stats
}

// Stats counts what the alerter did.
type Stats struct {
	Records int            `json:"records"`
	Alerts  int            `json:"alerts"`
	ByRule  map[string]int `json:"by_rule,omitempty"`
	Dead    int            `json:"dead"`
}

// New returns an alerter. store may be nil (alerts go to NATS only); log and reg may
// be nil.
func New(cfg Config, js jetstream.JetStream, store Store, log *slog.Logger, reg prometheus.Registerer) (*Alerter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Alerter{cfg: cfg, js: js, store: store, log: log, enabled: cfg.enabled(), metrics: m, now: time.Now,
		stats: Stats{ByRule: map[string]int{}}}, nil
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

// Run consumes records until ctx is done. Each batch's alerts are published and
// stored before the records are acknowledged.
func (a *Alerter) Run(ctx context.Context) error {
	cons, err := a.js.CreateOrUpdateConsumer(ctx, bus.StreamParsed, jetstream.ConsumerConfig{
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
// alerts are stored; records that cannot be decoded go to the dead letters.
func (a *Alerter) handle(ctx context.Context, msgs []jetstream.Msg) {
	var (
		good   []jetstream.Msg
		alerts []alert.Alert
	)
	for _, m := range msgs {
		rec, err := report.Unmarshal(m.Data())
		if err != nil {
			a.deadLetter(ctx, m, err)
			continue
		}
		good = append(good, m)
		alerts = append(alerts, alert.FromRecord(rec, a.enabled, a.now())...)
	}
	if err := a.deliver(ctx, alerts); err != nil {
		a.log.Error("deliver alerts", "alerts", len(alerts), "err", err)
		a.metrics.errors.WithLabelValues("deliver").Inc()
		for _, m := range good {
			if md, merr := m.Metadata(); merr == nil && int(md.NumDelivered) >= a.cfg.MaxDeliver {
				a.deadLetter(ctx, m, err)
				continue
			}
			_ = m.NakWithDelay(a.cfg.RetryDelay)
		}
		return
	}
	for _, m := range good {
		if err := m.Ack(); err != nil {
			a.log.Warn("ack record", "err", err)
		}
	}
	a.mu.Lock()
	a.stats.Records += len(good)
	a.stats.Alerts += len(alerts)
	for _, al := range alerts {
		a.stats.ByRule[string(al.Rule)]++
	}
	a.mu.Unlock()
	a.metrics.records.Add(float64(len(good)))
}

func (a *Alerter) deadLetter(ctx context.Context, m jetstream.Msg, cause error) {
	a.log.Error("record dead-lettered", "subject", m.Subject(), "err", cause)
	if err := bus.DeadLetter(ctx, a.js, "alerter", m, cause); err != nil {
		a.log.Error("dead-letter", "err", err)
		_ = m.NakWithDelay(a.cfg.RetryDelay)
		return
	}
	a.mu.Lock()
	a.stats.Dead++
	a.mu.Unlock()
	a.metrics.errors.WithLabelValues("dead_letter").Inc()
}

// deliver publishes every alert to alerts.<rule> (deduplicated by its ID) and stores
// them in ClickHouse (replacing by ID).
func (a *Alerter) deliver(ctx context.Context, alerts []alert.Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	for i := range alerts {
		al := &alerts[i]
		data, err := al.Marshal()
		if err != nil {
			return fmt.Errorf("encode alert %s: %w", al.ID, err)
		}
		msg := nats.NewMsg(bus.AlertSubject(string(al.Rule)))
		msg.Data = data
		msg.Header.Set(jetstream.MsgIDHeader, al.ID)
		msg.Header.Set(bus.HeaderDocID, al.DocID)
		ack, err := a.js.PublishMsg(ctx, msg)
		if err != nil {
			return fmt.Errorf("publish alert %s: %w", al.ID, err)
		}
		if !ack.Duplicate {
			a.metrics.alerts.WithLabelValues(string(al.Rule)).Inc()
		}
	}
	if a.store == nil {
		return nil
	}
	return insertAlerts(ctx, a.store, alerts)
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
			e, err := json.Marshal(al.Evidence)
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
