package extractor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

// stageName names the extractor in dead letters.
const stageName = "extractor"

// Extractor is the stage: it reads raw documents from RAW and publishes a record or
// a rejection for each to PARSED.
type Extractor struct {
	cfg    Config
	bus    *bus.Bus
	log    *slog.Logger
	m      *metrics
	parser Parser
	stats  counters
}

// New creates the stage. log nil discards; reg nil registers no metrics.
func New(cfg Config, b *bus.Bus, log *slog.Logger, reg prometheus.Registerer) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errors.New("extractor: no bus")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Extractor{cfg: cfg, bus: b, log: log, m: m, parser: Parser{MaxBodyBytes: cfg.MaxBodyBytes, Attachments: cfg.Attachments}}, nil
}

// Stats returns what the stage has done so far.
func (e *Extractor) Stats() Stats { return e.stats.snapshot() }

// Run consumes RAW with the durable pull consumer bus.ConsumerExtractor until ctx is
// done, with cfg.Workers workers, and returns after every worker stopped. A RAW
// message is acked only after its record or rejection is stored in PARSED.
func (e *Extractor) Run(ctx context.Context) error {
	cons, err := e.bus.JS.CreateOrUpdateConsumer(ctx, bus.StreamRaw, jetstream.ConsumerConfig{
		Durable:       bus.ConsumerExtractor,
		Description:   "extractor: raw documents to records",
		FilterSubject: bus.SubjectRaw + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       e.cfg.AckWait,
		MaxDeliver:    e.cfg.MaxDeliver,
		MaxAckPending: e.cfg.Workers * e.cfg.Batch * 2,
	})
	if err != nil {
		return fmt.Errorf("extractor consumer: %w", err)
	}
	e.log.Info("extractor running", "workers", e.cfg.Workers, "parser", Version)
	var wg sync.WaitGroup
	errs := make(chan error, e.cfg.Workers)
	for i := 0; i < e.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.work(ctx, cons); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}

// work pulls batches until ctx is done.
func (e *Extractor) work(ctx context.Context, cons jetstream.Consumer) error {
	for ctx.Err() == nil {
		batch, err := cons.Fetch(e.cfg.Batch, jetstream.FetchMaxWait(e.cfg.FetchMaxWait))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, jetstream.ErrConsumerDeleted) {
				return fmt.Errorf("extractor fetch: %w", err)
			}
			e.log.Warn("fetch raw documents", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(e.cfg.FetchMaxWait):
			}
			continue
		}
		for msg := range batch.Messages() {
			if ctx.Err() != nil {
				// Give it back now rather than after AckWait.
				_ = msg.Nak()
				continue
			}
			e.handle(ctx, msg)
		}
		if err := batch.Error(); err != nil && ctx.Err() == nil && !errors.Is(err, nats.ErrTimeout) {
			e.log.Warn("raw batch", "err", err)
		}
	}
	return nil
}

// handle takes one message to an outcome: a record or a rejection stored in PARSED
// (then the message is acked), a transient failure (nak with delay, or dead letter
// once the deliveries are nearly used up), or a poison message (dead letter).
func (e *Extractor) handle(ctx context.Context, msg jetstream.Msg) {
	doc, err := rawdoc.Unmarshal(msg.Data())
	if err != nil {
		e.dead(ctx, msg, fmt.Errorf("decode raw document: %w", err))
		return
	}
	if err := e.bus.LoadBody(ctx, doc); err != nil {
		e.retry(ctx, msg, err)
		return
	}
	in := FromDocument(doc)
	in.ExtractedAt = time.Now().UTC()
	rec, err := e.parse(ctx, in)
	var (
		subject string
		data    []byte
		outcome func(*Stats)
		rej     *report.Rejection
	)
	province := bus.ProvinceToken(doc.Site.Code)
	switch {
	case err == nil:
		if md, merr := msg.Metadata(); merr == nil {
			rec.Meta.Archive = &report.Archive{Stream: md.Stream, Seq: md.Sequence.Stream}
		}
		subject = bus.ParsedSubject(province)
		if data, err = rec.Marshal(); err != nil {
			e.dead(ctx, msg, fmt.Errorf("encode record: %w", err))
			return
		}
		outcome = func(s *Stats) { s.Parsed++ }
	case errors.As(err, &rej):
		subject = bus.RejectedSubject(province)
		if data, err = json.Marshal(rej); err != nil {
			e.dead(ctx, msg, fmt.Errorf("encode rejection: %w", err))
			return
		}
		outcome = func(s *Stats) { s.Rejected[rej.Reason]++ }
	default:
		e.dead(ctx, msg, err)
		return
	}
	out := nats.NewMsg(subject)
	out.Data = data
	out.Header.Set(jetstream.MsgIDHeader, doc.DocID+":"+doc.SHA256+":"+Version)
	out.Header.Set(bus.HeaderDocID, doc.DocID)
	if _, err := e.bus.JS.PublishMsg(ctx, out); err != nil {
		e.retry(ctx, msg, fmt.Errorf("publish %s: %w", subject, err))
		return
	}
	if err := msg.DoubleAck(ctx); err != nil {
		// The output is stored; a redelivery republishes it under the same message
		// ID, which PARSED deduplicates.
		e.log.Warn("ack raw document", "doc", doc.DocID, "err", err)
		return
	}
	e.stats.add(func(s *Stats) { s.Documents++; outcome(s) })
	if rej != nil {
		e.m.documents.WithLabelValues(OutcomeRejected).Inc()
		e.log.Debug("document rejected", "doc", doc.DocID, "url", doc.URL, "reason", rej.Reason, "detail", rej.Detail)
	} else {
		e.m.documents.WithLabelValues(OutcomeParsed).Inc()
		e.log.Debug("document parsed", "doc", doc.DocID, "url", doc.URL, "template", rec.Template)
	}
}

// parse runs the parser, timing it and turning a panic (a parser bug) into an error.
// An attachment is read to its own time limit (attach.Config), not cut short by a
// shutdown: a cut would reject it as too large.
func (e *Extractor) parse(ctx context.Context, in Input) (rec *report.Record, err error) {
	start := time.Now()
	defer func() {
		e.m.parse.Observe(time.Since(start).Seconds())
		if p := recover(); p != nil {
			rec, err = nil, fmt.Errorf("parser panic on %s: %v", in.URL, p)
		}
	}()
	return e.parser.ParseContext(context.WithoutCancel(ctx), in)
}

// retry naks a message for a transient failure, or dead-letters it when this was
// its last delivery but one.
func (e *Extractor) retry(ctx context.Context, msg jetstream.Msg, cause error) {
	if md, err := msg.Metadata(); err == nil && md.NumDelivered >= uint64(e.cfg.MaxDeliver-1) {
		e.dead(ctx, msg, fmt.Errorf("after %d deliveries: %w", md.NumDelivered, cause))
		return
	}
	e.log.Warn("raw document failed; retrying", "subject", msg.Subject(), "err", cause)
	if err := msg.NakWithDelay(e.cfg.NakDelay); err != nil {
		e.log.Warn("nak raw document", "err", err)
	}
	e.stats.add(func(s *Stats) { s.Retried++ })
	e.m.documents.WithLabelValues(OutcomeRetried).Inc()
}

// dead copies a message to the dead-letter subject and terminates it.
func (e *Extractor) dead(ctx context.Context, msg jetstream.Msg, cause error) {
	if err := bus.DeadLetter(ctx, e.bus.JS, stageName, msg, cause); err != nil {
		e.log.Error("dead-letter raw document", "subject", msg.Subject(), "cause", cause, "err", err)
		if nerr := msg.NakWithDelay(e.cfg.NakDelay); nerr != nil {
			e.log.Warn("nak raw document", "err", nerr)
		}
		return
	}
	e.log.Warn("raw document dead-lettered", "subject", msg.Subject(), "err", cause)
	e.stats.add(func(s *Stats) { s.Documents++; s.Dead++ })
	e.m.documents.WithLabelValues(OutcomeDead).Inc()
}
