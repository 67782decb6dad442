package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// deadLetterRaw publishes a raw document, takes it as the extractor would and
// dead-letters it; it returns the document.
func deadLetterRaw(t *testing.T, b *Bus, url string) *rawdoc.Document {
	t.Helper()
	ctx := context.Background()
	d, err := rawdoc.New(url, []byte("<html>"+url+"</html>"), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	d.Site = rawdoc.Site{ID: "site-a", Code: "220183"}
	if _, err := b.PublishRaw(ctx, d); err != nil {
		t.Fatal(err)
	}
	m := fetchOne(t, b, StreamRaw, RawSubject("22", "site-a"))
	if err := DeadLetter(ctx, b.JS, "extractor", m, errors.New("extract: panic in table parser")); err != nil {
		t.Fatal(err)
	}
	return d
}

// rawOnSubject returns every message RAW holds on subj, by sequence.
func rawOnSubject(t *testing.T, b *Bus, subj string) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	str, err := b.JS.Stream(ctx, StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	info, err := str.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := str.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject == subj {
			out = append(out, m)
		}
	}
	return out
}

func TestListDeadLetters(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	d := deadLetterRaw(t, b, "http://a.gov.cn/1.html")
	// A loader dead letter without origin headers (published by hand).
	if _, err := b.JS.Publish(ctx, DeadSubject("loader"), []byte("xyz")); err != nil {
		t.Fatal(err)
	}
	list, err := ListDeadLetters(ctx, b.JS, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d dead letters, want 2: %+v", len(list), list)
	}
	newest, first := list[0], list[1]
	if newest.Seq != 2 || newest.Stage != "loader" || newest.Subject != "" || newest.Size != 3 {
		t.Errorf("newest %+v", newest)
	}
	if first.Seq != 1 || first.Stage != "extractor" || first.Error != "extract: panic in table parser" ||
		first.Subject != RawSubject("22", "site-a") || first.Stream != StreamRaw || first.StreamSeq != 1 ||
		first.DocID != d.DocID || first.Deliveries != 1 || first.Time.IsZero() {
		t.Errorf("first %+v", first)
	}
	// Listing consumed nothing and created no consumer.
	str, _ := b.JS.Stream(ctx, StreamDead)
	info, err := str.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 || info.State.Consumers != 0 {
		t.Errorf("DEAD after listing: %d messages, %d consumers", info.State.Msgs, info.State.Consumers)
	}
	if one, _ := ListDeadLetters(ctx, b.JS, 1); len(one) != 1 || one[0].Seq != 2 {
		t.Errorf("newest 1: %+v", one)
	}
	counts, err := DeadLetterCounts(ctx, b.JS)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts["extractor"] != 1 || counts["loader"] != 1 {
		t.Errorf("counts %v", counts)
	}
}

func TestRedrive(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	d := deadLetterRaw(t, b, "http://a.gov.cn/1.html")
	subj := RawSubject("22", "site-a")
	res, err := Redrive(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ack == nil || res.Ack.Stream != StreamRaw || res.Ack.Duplicate || res.Dead.Stage != "extractor" {
		t.Fatalf("result %+v ack %+v", res, res.Ack)
	}
	// Again: the dead letter is gone.
	if _, err := Redrive(ctx, b.JS, 1); !errors.Is(err, ErrDeadLetterNotFound) {
		t.Fatalf("second re-drive: %v, want ErrDeadLetterNotFound", err)
	}
	msgs := rawOnSubject(t, b, subj)
	if len(msgs) != 2 {
		t.Fatalf("RAW holds %d messages on %s, want the original and the re-driven one", len(msgs), subj)
	}
	again := msgs[1]
	got, err := rawdoc.Unmarshal(again.Data)
	if err != nil || got.DocID != d.DocID || got.SHA256 != d.SHA256 {
		t.Fatalf("re-driven document %+v, %v", got, err)
	}
	h := again.Header
	if h.Get(jetstream.MsgIDHeader) != "redrive:1" || h.Get(HeaderDocID) != d.DocID {
		t.Errorf("re-driven headers %v", h)
	}
	for _, k := range deadLetterHeaders {
		if h.Get(k) != "" {
			t.Errorf("re-driven message keeps %s", k)
		}
	}
	str, _ := b.JS.Stream(ctx, StreamDead)
	info, _ := str.Info(ctx)
	if info.State.Msgs != 0 {
		t.Errorf("DEAD holds %d messages after the re-drive", info.State.Msgs)
	}
	if _, err := Redrive(ctx, b.JS, 99); !errors.Is(err, ErrDeadLetterNotFound) {
		t.Errorf("unknown seq: %v", err)
	}
}

func TestRedriveTwiceAtOnce(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	deadLetterRaw(t, b, "http://a.gov.cn/2.html")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, errs[i] = Redrive(ctx, b.JS, 1) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrDeadLetterNotFound):
			t.Errorf("re-drive: %v", err)
		}
	}
	if ok == 0 {
		t.Fatal("neither re-drive succeeded")
	}
	if n := len(rawOnSubject(t, b, RawSubject("22", "site-a"))); n != 2 {
		t.Fatalf("RAW holds %d messages, want the original and one re-driven copy", n)
	}
}

func TestRedriveRefusals(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	if _, err := b.JS.Publish(ctx, DeadSubject("loader"), []byte("no origin")); err != nil {
		t.Fatal(err)
	}
	loop := nats.NewMsg(DeadSubject("loader"))
	loop.Data = []byte("loop")
	loop.Header.Set(HeaderSubject, DeadSubject("extractor"))
	if _, err := b.JS.PublishMsg(ctx, loop); err != nil {
		t.Fatal(err)
	}
	for seq, want := range map[uint64]string{1: ErrNoOriginalSubject.Error(), 2: "is a dead-letter subject"} {
		_, err := Redrive(ctx, b.JS, seq)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("seq %d: %v, want %q", seq, err, want)
		}
	}
	str, _ := b.JS.Stream(ctx, StreamDead)
	if info, _ := str.Info(ctx); info.State.Msgs != 2 {
		t.Errorf("refused dead letters removed: DEAD holds %d", info.State.Msgs)
	}
}

func TestListDeadLettersSkipsGaps(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	for i := range 6 {
		m := nats.NewMsg(DeadSubject("loader"))
		m.Data = []byte(fmt.Sprint(i))
		m.Header.Set(HeaderSubject, ParsedSubject("22"))
		if _, err := b.JS.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, seq := range []uint64{5, 3} {
		if _, err := Redrive(ctx, b.JS, seq); err != nil {
			t.Fatal(err)
		}
	}
	list, err := ListDeadLetters(ctx, b.JS, 3)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for _, d := range list {
		seqs = append(seqs, d.Seq)
	}
	if fmt.Sprint(seqs) != "[6 4 2]" {
		t.Errorf("newest 3 after removing 5 and 3: %v", seqs)
	}
}
