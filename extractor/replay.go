package extractor

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/govreport/govreport/pkg/bus"
)

// Replay selects the archived raw documents a replay reads again.
type Replay struct {
	// Name is the replay's durable consumer on RAW: processes given the same name
	// share the work, and a replay stopped part-way resumes where it was. It is
	// deleted when the replay has taken everything.
	Name string
	// Subject filters RAW (reports.raw.<province>.<site>; wildcards allowed).
	// Empty reads every document.
	Subject string
	// Since starts at the first document stored at or after it; zero starts at the
	// first document kept.
	Since time.Time
}

// DefaultReplayName is the consumer name of a replay that is not given one.
const DefaultReplayName = "reparse"

// Replay runs the parser again over archived raw documents — after a parser
// upgrade — through a durable consumer of its own, so the running extractors are
// not disturbed, and publishes the records and rejections to PARSED as Run does
// (a record carries the new parser version and a later extracted_at, so the loader
// replaces the older rows). It returns once every document that was in RAW when
// it started has been taken, and then deletes its consumer.
func (e *Extractor) Replay(ctx context.Context, r Replay) error {
	if r.Name == "" {
		r.Name = DefaultReplayName
	}
	if r.Name == bus.ConsumerExtractor {
		return fmt.Errorf("replay: %q is the extractor's own consumer", r.Name)
	}
	if r.Subject == "" {
		r.Subject = bus.SubjectRaw + ".>"
	}
	cfg := jetstream.ConsumerConfig{
		Durable:       r.Name,
		Description:   "replay of archived raw documents through the parser " + Version,
		FilterSubject: r.Subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       e.cfg.AckWait,
		MaxDeliver:    e.cfg.MaxDeliver,
		MaxAckPending: e.cfg.Workers * e.cfg.Batch * 2,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
	if !r.Since.IsZero() {
		since := r.Since
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &since
	}
	cons, err := e.bus.JS.CreateConsumer(ctx, bus.StreamRaw, cfg)
	if errors.Is(err, jetstream.ErrConsumerExists) {
		// A replay of that name is under way or was interrupted: join it.
		cons, err = e.bus.JS.Consumer(ctx, bus.StreamRaw, r.Name)
	}
	if err != nil {
		return fmt.Errorf("replay consumer %s: %w", r.Name, err)
	}
	e.log.Info("replay running", "consumer", r.Name, "subject", r.Subject, "since", r.Since, "parser", Version)

	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, e.cfg.Workers)
	for range e.cfg.Workers {
		wg.Go(func() {
			if err := e.work(wctx, cons); err != nil {
				errs <- err
			}
		})
	}
	drained, err := e.waitDrained(wctx, cons)
	stop()
	wg.Wait()
	close(errs)
	if werr := errors.Join(collect(errs)...); werr != nil {
		return werr
	}
	if err != nil {
		return err
	}
	if drained {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := e.bus.JS.DeleteConsumer(dctx, bus.StreamRaw, r.Name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			return fmt.Errorf("delete replay consumer %s: %w", r.Name, err)
		}
	}
	return ctx.Err()
}

// waitDrained polls the consumer until it has nothing pending or unacknowledged
// (true) or ctx is done (false).
func (e *Extractor) waitDrained(ctx context.Context, cons jetstream.Consumer) (bool, error) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		info, err := cons.Info(ctx)
		switch {
		case ctx.Err() != nil:
			return false, nil
		case err != nil:
			return false, fmt.Errorf("replay consumer info: %w", err)
		case info.NumPending == 0 && info.NumAckPending == 0:
			return true, nil
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-tick.C:
		}
	}
}
