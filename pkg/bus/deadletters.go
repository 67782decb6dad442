package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors of Redrive.
var (
	// ErrDeadLetterNotFound is a DEAD sequence that holds no message (never
	// written, or already re-driven or removed).
	ErrDeadLetterNotFound = errors.New("no such dead letter")
	// ErrNoOriginalSubject is a dead letter that does not say where it came from,
	// so it cannot be re-driven.
	ErrNoOriginalSubject = errors.New("dead letter has no original subject")
)

// DeadLetterInfo describes one message of the DEAD stream.
type DeadLetterInfo struct {
	// Seq is the message's sequence in DEAD.
	Seq uint64
	// Time is when it was dead-lettered.
	Time time.Time
	// Stage is the stage that gave up on it, Error why.
	Stage, Error string
	// Subject, Stream and StreamSeq are where it came from.
	Subject, Stream string
	StreamSeq       uint64
	// DocID is the document's ID when the message carried one.
	DocID string
	// Deliveries is how often it had been delivered to the stage.
	Deliveries uint64
	// Size is the message's data size in bytes.
	Size int
}

// deadLetterHeaders are the headers DeadLetter and WatchMaxDeliveries add; a
// re-driven message leaves them behind.
var deadLetterHeaders = []string{HeaderStage, HeaderError, HeaderSubject, HeaderStream, HeaderSequence, HeaderDeliveries}

func deadLetterInfo(m *jetstream.RawStreamMsg) DeadLetterInfo {
	h := m.Header
	d := DeadLetterInfo{Seq: m.Sequence, Time: m.Time, Size: len(m.Data)}
	if h != nil {
		d.Stage, d.Error = h.Get(HeaderStage), h.Get(HeaderError)
		d.Subject, d.Stream = h.Get(HeaderSubject), h.Get(HeaderStream)
		d.StreamSeq, _ = strconv.ParseUint(h.Get(HeaderSequence), 10, 64)
		d.Deliveries, _ = strconv.ParseUint(h.Get(HeaderDeliveries), 10, 64)
		d.DocID = h.Get(HeaderDocID)
	}
	if d.Stage == "" {
		d.Stage = strings.TrimPrefix(m.Subject, SubjectDead+".")
	}
	return d
}

// ListDeadLetters returns up to n of the newest dead letters, newest first. It
// reads messages by sequence: nothing is consumed and no consumer is created.
func ListDeadLetters(ctx context.Context, js jetstream.JetStream, n int) ([]DeadLetterInfo, error) {
	if n <= 0 {
		return nil, nil
	}
	str, err := js.Stream(ctx, StreamDead)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", StreamDead, err)
	}
	info, err := str.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("stream %s info: %w", StreamDead, err)
	}
	st := info.State
	var out []DeadLetterInfo
	// Sequences removed by re-drives leave gaps; the probes are bounded so that a
	// stream with many gaps does not cost a request per gap forever.
	probes := n + min(int(st.NumDeleted), 10*n+1000)
	for seq := st.LastSeq; seq >= st.FirstSeq && seq > 0 && len(out) < n && probes > 0; seq-- {
		probes--
		m, err := str.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("read dead letter %d: %w", seq, err)
		}
		out = append(out, deadLetterInfo(m))
	}
	return out, nil
}

// DeadLetterCounts returns the number of dead letters per stage (the subjects
// reports.dead.<stage> of DEAD).
func DeadLetterCounts(ctx context.Context, js jetstream.JetStream) (map[string]uint64, error) {
	str, err := js.Stream(ctx, StreamDead)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", StreamDead, err)
	}
	info, err := str.Info(ctx, jetstream.WithSubjectFilter(SubjectDead+".>"))
	if err != nil {
		return nil, fmt.Errorf("stream %s subjects: %w", StreamDead, err)
	}
	out := map[string]uint64{}
	for subj, n := range info.State.Subjects {
		out[strings.TrimPrefix(subj, SubjectDead+".")] += n
	}
	return out, nil
}

// RedriveResult is what a re-drive did.
type RedriveResult struct {
	// Dead is the dead letter as it was.
	Dead DeadLetterInfo
	// Ack is the original stream's acknowledgement of the re-published message;
	// Ack.Duplicate is set when this dead letter had already been re-driven.
	Ack *jetstream.PubAck
}

// Redrive re-publishes the dead letter at seq to the subject it came from, with
// its data and original headers (without the dead-letter headers and the old
// message ID) and the message ID "redrive:<seq>", so that re-driving it twice
// stores it once. Only after the original stream acknowledged it is the dead
// letter removed from DEAD.
func Redrive(ctx context.Context, js jetstream.JetStream, seq uint64) (RedriveResult, error) {
	str, err := js.Stream(ctx, StreamDead)
	if err != nil {
		return RedriveResult{}, fmt.Errorf("stream %s: %w", StreamDead, err)
	}
	m, err := str.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return RedriveResult{}, fmt.Errorf("re-drive %d: %w", seq, ErrDeadLetterNotFound)
	}
	if err != nil {
		return RedriveResult{}, fmt.Errorf("re-drive %d: read: %w", seq, err)
	}
	res := RedriveResult{Dead: deadLetterInfo(m)}
	subj := res.Dead.Subject
	if subj == "" {
		return res, fmt.Errorf("re-drive %d: %w", seq, ErrNoOriginalSubject)
	}
	if subj == SubjectDead || strings.HasPrefix(subj, SubjectDead+".") {
		return res, fmt.Errorf("re-drive %d: original subject %s is a dead-letter subject", seq, subj)
	}
	out := nats.NewMsg(subj)
	out.Data = m.Data
	for k, vs := range m.Header {
		for _, v := range vs {
			out.Header.Add(k, v)
		}
	}
	for _, k := range deadLetterHeaders {
		out.Header.Del(k)
	}
	out.Header.Del(jetstream.MsgIDHeader)
	out.Header.Set(jetstream.MsgIDHeader, "redrive:"+strconv.FormatUint(seq, 10))
	ack, err := js.PublishMsg(ctx, out)
	if err != nil {
		return res, fmt.Errorf("re-drive %d: publish to %s: %w", seq, subj, err)
	}
	res.Ack = ack
	if err := str.DeleteMsg(ctx, seq); err != nil {
		// A second re-drive running at the same time may have removed it already
		// (the server then answers "no message found" with a generic code).
		if _, gerr := str.GetMsg(ctx, seq); errors.Is(gerr, jetstream.ErrMsgNotFound) {
			return res, nil
		}
		return res, fmt.Errorf("re-drive %d: published to %s (seq %d) but not removed from %s: %w", seq, subj, ack.Sequence, StreamDead, err)
	}
	return res, nil
}
