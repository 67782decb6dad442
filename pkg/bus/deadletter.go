package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter copies a message that cannot be processed to the stage's dead-letter
// subject, with the error and its origin in headers, and then terminates it so it is
// never redelivered. The message is terminated only after the copy is stored.
func DeadLetter(ctx context.Context, js jetstream.JetStream, stage string, msg jetstream.Msg, cause error) error {
	dl := nats.NewMsg(DeadSubject(stage))
	dl.Data = msg.Data()
	for k, vs := range msg.Headers() {
		for _, v := range vs {
			dl.Header.Add(k, v)
		}
	}
	dl.Header.Del(jetstream.MsgIDHeader)
	dl.Header.Set(HeaderStage, stage)
	dl.Header.Set(HeaderError, truncate(cause.Error(), 4096))
	dl.Header.Set(HeaderSubject, msg.Subject())
	if md, err := msg.Metadata(); err == nil {
		dl.Header.Set(HeaderStream, md.Stream)
		dl.Header.Set(HeaderSequence, strconv.FormatUint(md.Sequence.Stream, 10))
		dl.Header.Set(HeaderDeliveries, strconv.FormatUint(md.NumDelivered, 10))
	}
	if _, err := js.PublishMsg(ctx, dl); err != nil {
		return fmt.Errorf("dead-letter %s: %w", msg.Subject(), err)
	}
	if err := msg.Term(); err != nil {
		return fmt.Errorf("terminate dead-lettered %s: %w", msg.Subject(), err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// maxDeliveriesAdvisory is the part of JetStream's max-deliveries advisory we use.
type maxDeliveriesAdvisory struct {
	Stream     string `json:"stream"`
	Consumer   string `json:"consumer"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
}

// WatchMaxDeliveries copies every message that a consumer gave up on (its
// MaxDeliver reached without an ack, for example because the worker kept crashing)
// to the stage's dead-letter subject. It returns when ctx is done.
func (b *Bus) WatchMaxDeliveries(ctx context.Context, stream, consumer, stage string, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	subj := fmt.Sprintf("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.%s.%s", stream, consumer)
	ch := make(chan *nats.Msg, 64)
	sub, err := b.Conn.ChanSubscribe(subj, ch)
	if err != nil {
		return fmt.Errorf("subscribe %s: %w", subj, err)
	}
	defer sub.Unsubscribe()
	str, err := b.JS.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-ch:
			var adv maxDeliveriesAdvisory
			if err := json.Unmarshal(m.Data, &adv); err != nil {
				log.Warn("bad max-deliveries advisory", "err", err)
				continue
			}
			raw, err := str.GetMsg(ctx, adv.StreamSeq)
			if err != nil {
				log.Error("max deliveries reached; message not found", "stream", stream, "seq", adv.StreamSeq, "err", err)
				continue
			}
			dl := nats.NewMsg(DeadSubject(stage))
			dl.Data = raw.Data
			for k, vs := range raw.Header {
				for _, v := range vs {
					dl.Header.Add(k, v)
				}
			}
			dl.Header.Del(jetstream.MsgIDHeader)
			dl.Header.Set(HeaderStage, stage)
			dl.Header.Set(HeaderError, fmt.Sprintf("not acknowledged after %d deliveries", adv.Deliveries))
			dl.Header.Set(HeaderSubject, raw.Subject)
			dl.Header.Set(HeaderStream, stream)
			dl.Header.Set(HeaderSequence, strconv.FormatUint(adv.StreamSeq, 10))
			dl.Header.Set(HeaderDeliveries, strconv.FormatUint(adv.Deliveries, 10))
			// The copy's message ID makes a second watcher's copy a duplicate.
			dl.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("dead:%s:%s:%d", stream, consumer, adv.StreamSeq))
			if _, err := b.JS.PublishMsg(ctx, dl); err != nil {
				log.Error("dead-letter after max deliveries", "stream", stream, "seq", adv.StreamSeq, "err", err)
				continue
			}
			log.Warn("message dead-lettered after max deliveries", "stream", stream, "consumer", consumer, "seq", adv.StreamSeq)
		}
	}
}
