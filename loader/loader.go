package loader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/report"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// stage names the loader in dead-letter subjects and headers.
const stage = "loader"

// maxFetch bounds the messages asked for in one pull.
const maxFetch = 256

// Loader moves records and rejections from the PARSED stream into ClickHouse.
type Loader struct {
	cfg     Config
	js      jetstream.JetStream
	conn    Conn
	log     *slog.Logger
	metrics *metrics
	stats   stats
	running atomic.Bool
}

// New returns a loader. log may be nil (discard) and reg may be nil (no metrics
// registered).
func New(cfg Config, js jetstream.JetStream, conn Conn, log *slog.Logger, reg prometheus.Registerer) (*Loader, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if js == nil || conn == nil {
		return nil, errors.New("loader: needs a JetStream and a ClickHouse connection")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("loader metrics: %w", err)
	}
	return &Loader{cfg: cfg, js: js, conn: conn, log: log.With("stage", stage), metrics: m}, nil
}

// Stats returns what the loader has done so far. It is safe for concurrent use.
func (l *Loader) Stats() Stats { return l.stats.snapshot() }

// ConsumerConfig is the loader's durable pull consumer on the PARSED stream.
func (l *Loader) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:        bus.ConsumerLoader,
		Description:    "loader: canonical records and rejections into ClickHouse",
		FilterSubjects: []string{bus.SubjectParsed + ".>", bus.SubjectRejected + ".>"},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        l.cfg.AckWait,
		MaxDeliver:     l.cfg.MaxDeliver,
		// A message makes at least one row, so a batch never holds more than
		// BatchRows messages.
		MaxAckPending: l.cfg.BatchRows + maxFetch,
	}
}

// pending is the batch being filled: its rows and the messages they came from.
type pending struct {
	rows                Rows
	entries             []entry
	records, rejections int
	started             time.Time
}

// entry is one message of a batch with what it decoded to: a record (and its JSON)
// or a rejection.
type entry struct {
	msg jetstream.Msg
	rec *report.Record
	raw []byte
	rej *report.Rejection
}

// addTo converts the entry into rows.
func (e entry) addTo(r *Rows) error {
	if e.rec != nil {
		return r.AddRecord(e.rec, e.raw)
	}
	return r.AddRejection(e.rej)
}

func (b *pending) empty() bool { return len(b.entries) == 0 }

// due reports whether the batch must be flushed now.
func (b *pending) due(cfg Config, now time.Time) bool {
	return !b.empty() && (b.rows.Len() >= cfg.BatchRows || now.Sub(b.started) >= cfg.BatchAge)
}

// Run pulls, converts, inserts and acknowledges until ctx is cancelled. On shutdown
// it flushes the open batch within ShutdownTimeout, or naks it. It returns an error
// only when the consumer cannot be set up; ClickHouse failures are retried.
func (l *Loader) Run(ctx context.Context) error {
	if !l.running.CompareAndSwap(false, true) {
		return errors.New("loader: already running")
	}
	defer l.running.Store(false)
	cons, err := l.js.CreateOrUpdateConsumer(ctx, bus.StreamParsed, l.ConsumerConfig())
	if err != nil {
		return fmt.Errorf("loader: consumer %s on %s: %w", bus.ConsumerLoader, bus.StreamParsed, err)
	}
	l.log.Info("loader started", "batch_rows", l.cfg.BatchRows, "batch_age", l.cfg.BatchAge)
	b := &pending{}
	streak := 0     // failed inserts in a row; reset by a successful one
	paused := false // not pulling until ClickHouse answers
	checks := 0     // failed health checks during this pause
	for {
		if ctx.Err() != nil {
			l.shutdown(ctx, b)
			l.log.Info("loader stopped")
			return nil
		}
		if paused {
			// The nak'ed messages wait in JetStream, using up no deliveries while
			// the loader does not pull.
			if !sleep(ctx, l.backoff(streak+checks)) {
				continue
			}
			if err := l.ping(ctx); err != nil {
				checks++
				l.log.Warn("clickhouse still unavailable; not pulling", "err", err, "next_check", l.backoff(streak+checks))
				continue
			}
			l.log.Info("clickhouse answers; resuming", "failed_inserts", streak)
			paused, checks = false, 0
		}
		if !b.due(l.cfg, time.Now()) {
			cons = l.pull(ctx, cons, b)
		}
		if b.due(l.cfg, time.Now()) {
			if err := l.flush(ctx, b, l.cfg.AckWait/2, l.backoff(streak+1)); err != nil {
				streak++
				paused = true
			} else {
				streak = 0
			}
			b = &pending{}
		}
	}
}

// backoff is the wait after n failures in a row: RetryBackoff doubling, at most 32
// times RetryBackoff. A batch that keeps failing while the server answers (a
// missing table, say) is thus retried MaxDeliver times over minutes, not seconds.
func (l *Loader) backoff(n int) time.Duration {
	return l.cfg.RetryBackoff << min(max(n-1, 0), 5)
}

func (l *Loader) ping(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return l.conn.Exec(pctx, "SELECT 1")
}

// pull fetches messages into the batch, waiting at most until the batch is due. It
// returns the consumer to use next (a new one when it had to be re-created).
func (l *Loader) pull(ctx context.Context, cons jetstream.Consumer, b *pending) jetstream.Consumer {
	wait := l.cfg.FetchMaxWait
	if !b.empty() {
		wait = min(wait, time.Until(b.started.Add(l.cfg.BatchAge)))
	}
	wait = max(wait, 5*time.Millisecond)
	n := min(max(l.cfg.BatchRows-b.rows.Len(), 1), maxFetch)
	// FetchMaxWait, not a context deadline: the server ends the pull at the expiry
	// and the client keeps listening a second longer, whereas a context that ends
	// first drops what the server sent in the meantime, and those messages wait
	// out AckWait before anyone sees them again. The wait is at most FetchMaxWait,
	// so shutdown is not held up for long.
	mb, err := cons.Fetch(n, jetstream.FetchMaxWait(wait))
	if err != nil {
		return l.fetchFailed(ctx, cons, err)
	}
	for msg := range mb.Messages() {
		l.add(ctx, b, msg)
	}
	if err := mb.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return l.fetchFailed(ctx, cons, err)
	}
	return cons
}

// fetchFailed logs a failed pull, waits a little, and re-creates the consumer when
// it is gone.
func (l *Loader) fetchFailed(ctx context.Context, cons jetstream.Consumer, err error) jetstream.Consumer {
	l.metrics.errors.WithLabelValues(errKindFetch).Inc()
	l.log.Warn("pull from jetstream failed", "err", err)
	sleep(ctx, min(l.cfg.RetryBackoff, time.Second))
	if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
		if c, cerr := l.js.CreateOrUpdateConsumer(ctx, bus.StreamParsed, l.ConsumerConfig()); cerr == nil {
			l.log.Info("re-created the loader consumer")
			return c
		} else {
			l.log.Warn("re-create the loader consumer", "err", cerr)
		}
	}
	return cons
}

// add decodes and converts one message into the batch, or dead-letters it.
func (l *Loader) add(ctx context.Context, b *pending, msg jetstream.Msg) {
	subj := msg.Subject()
	e := entry{msg: msg}
	switch {
	case strings.HasPrefix(subj, bus.SubjectParsed+"."):
		rec, err := report.Unmarshal(msg.Data())
		if err != nil {
			l.deadLetter(ctx, msg, errKindDecode, err)
			return
		}
		e.rec, e.raw = rec, msg.Data()
	case strings.HasPrefix(subj, bus.SubjectRejected+"."):
		rej, err := report.UnmarshalRejection(msg.Data())
		if err != nil {
			l.deadLetter(ctx, msg, errKindDecode, err)
			return
		}
		e.rej = rej
	default:
		l.deadLetter(ctx, msg, errKindDecode, fmt.Errorf("unexpected subject %s", subj))
		return
	}
	if err := e.addTo(&b.rows); err != nil {
		l.deadLetter(ctx, msg, errKindConvert, err)
		return
	}
	if e.rec != nil {
		b.records++
	} else {
		b.rejections++
	}
	if b.empty() {
		b.started = time.Now()
	}
	b.entries = append(b.entries, e)
}

// deadLetter sends a message that will never load to reports.dead.loader. When even
// that fails, the message is nak'ed and comes back later.
func (l *Loader) deadLetter(ctx context.Context, msg jetstream.Msg, kind string, cause error) {
	l.metrics.errors.WithLabelValues(kind).Inc()
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := bus.DeadLetter(dctx, l.js, stage, msg, cause); err != nil {
		l.metrics.errors.WithLabelValues(errKindDeadLetter).Inc()
		l.log.Error("dead-letter failed; nak'ing", "subject", msg.Subject(), "cause", cause, "err", err)
		if err := msg.NakWithDelay(l.cfg.RetryBackoff); err != nil {
			l.metrics.errors.WithLabelValues(errKindAck).Inc()
		}
		return
	}
	l.stats.update(func(s *Stats) { s.DeadLetters++ })
	l.log.Warn("message dead-lettered", "subject", msg.Subject(), "kind", kind, "err", cause)
}

// flush inserts the batch and acks its messages. When ClickHouse rejects the batch
// for its data, the batch is inserted part by part to find the messages it will not
// take (see isolate): the rest loads, and they go to the dead-letter subject with
// the error. Messages that could not be loaded now are nak'ed with delay; flush
// then returns an error, and the loader backs off.
func (l *Loader) flush(ctx context.Context, b *pending, timeout, nakDelay time.Duration) error {
	began := time.Now()
	ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	counts, err := b.rows.Insert(ictx, l.conn)
	cancel()
	if err == nil {
		l.ack(b.entries)
		l.loaded(b.entries, counts, began)
		return nil
	}
	l.metrics.errors.WithLabelValues(errKindInsert).Inc()
	l.stats.update(func(s *Stats) { s.Failures++ })
	iso := &isolation{rest: b.entries, cause: err}
	switch {
	case classify(err) == classUnavailable:
	case len(b.entries) == 1:
		iso = &isolation{rejected: []rejected{{b.entries[0], err}}}
	default:
		l.log.Warn("clickhouse rejected the batch; inserting it part by part", "messages", len(b.entries), "err", err)
		iso = l.isolate(ctx, b.entries, timeout)
	}
	var retry []entry
	dead := 0
	for _, r := range iso.rejected {
		// Alone, a record may fail for reasons of the server's (a missing table);
		// it is the record's fault when the error blames a value, or when the rest
		// of its batch loaded.
		if len(iso.loaded) > 0 || classify(r.err) == classValue {
			l.deadLetter(ctx, r.msg, errKindRejected, fmt.Errorf("clickhouse rejected the record: %w", r.err))
			dead++
			continue
		}
		retry = append(retry, r.entry)
		if iso.cause == nil {
			iso.cause = r.err
		}
	}
	retry = append(retry, iso.rest...)
	if len(iso.loaded) > 0 {
		l.loaded(iso.loaded, iso.counts, began)
	}
	if len(retry) == 0 {
		return nil
	}
	l.log.Error("insert failed; nak'ing", "messages", len(retry), "loaded", len(iso.loaded), "dead_lettered", dead, "err", iso.cause)
	l.retryLater(ctx, retry, nakDelay, iso.cause)
	return iso.cause
}

// ack acknowledges the messages of entries that were inserted.
func (l *Loader) ack(entries []entry) {
	for _, e := range entries {
		if err := e.msg.Ack(); err != nil {
			// Redelivered later and inserted again, which replaces the same rows.
			l.metrics.errors.WithLabelValues(errKindAck).Inc()
			l.log.Warn("ack failed", "subject", e.msg.Subject(), "err", err)
		}
	}
}

// loaded counts inserted and acknowledged entries in the stats and metrics.
func (l *Loader) loaded(entries []entry, counts RowCounts, began time.Time) {
	records, rejections := 0, 0
	for _, e := range entries {
		if e.rec != nil {
			records++
		} else {
			rejections++
		}
	}
	took := time.Since(began)
	l.metrics.batches.Inc()
	l.metrics.batchSeconds.Observe(took.Seconds())
	for t, n := range counts {
		l.metrics.rows.WithLabelValues(t).Add(float64(n))
	}
	l.stats.update(func(s *Stats) {
		s.Batches++
		s.Records += uint64(records)
		s.Rejections += uint64(rejections)
		for t, n := range counts {
			s.Rows[t] += n
		}
	})
	l.log.Debug("batch loaded", "records", records, "rejections", rejections, "rows", counts.Total(), "took", took)
	l.notify(entries, records)
}

// notify tells whoever listens (the alerter's cross-report rules) which report
// years a batch loaded. A notice lost is made up by the alerter's schedule.
func (l *Loader) notify(entries []entry, records int) {
	if records == 0 {
		return
	}
	seen := map[int]bool{}
	n := bus.LoadedNotice{Reports: records}
	for _, e := range entries {
		if e.rec != nil && e.rec.Meta.Year > 0 && !seen[e.rec.Meta.Year] {
			seen[e.rec.Meta.Year] = true
			n.Years = append(n.Years, e.rec.Meta.Year)
		}
	}
	slices.Sort(n.Years)
	if err := bus.PublishLoaded(l.js.Conn(), n); err != nil {
		l.log.Warn("loaded notice", "err", err)
	}
}

// retryLater naks the entries' messages so that JetStream redelivers them after
// delay (0: at once), except those on their last delivery: they go to the
// dead-letter subject with the insert error instead of being dropped.
func (l *Loader) retryLater(ctx context.Context, entries []entry, delay time.Duration, cause error) {
	for _, e := range entries {
		msg := e.msg
		if md, err := msg.Metadata(); err == nil && md.NumDelivered >= uint64(l.cfg.MaxDeliver) {
			l.deadLetter(ctx, msg, errKindMaxDeliveries,
				fmt.Errorf("not loaded after %d deliveries: %w", md.NumDelivered, cause))
			continue
		}
		var err error
		if delay > 0 {
			err = msg.NakWithDelay(delay)
		} else {
			err = msg.Nak()
		}
		if err != nil {
			l.metrics.errors.WithLabelValues(errKindAck).Inc()
		}
	}
}

// shutdown flushes the open batch within ShutdownTimeout, or naks it at once so
// that another loader can take it.
func (l *Loader) shutdown(ctx context.Context, b *pending) {
	if b.empty() {
		return
	}
	l.log.Info("flushing the open batch before stopping", "messages", len(b.entries))
	if err := l.flush(ctx, b, l.cfg.ShutdownTimeout, 0); err != nil {
		l.log.Warn("open batch nak'ed at shutdown", "messages", len(b.entries))
	}
}

// sleep waits d or until ctx is done; it reports whether the whole wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
