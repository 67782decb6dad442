package bus

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func TestCrawlJobs(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	at := time.Date(2024, 1, 15, 1, 30, 0, 0, time.UTC)
	jobs := []CrawlJob{
		{Site: "dehui", Run: "20240115T0130", Scheduled: at},
		{Site: "gaoping", Run: "20240115T0130", Scheduled: at},
		{Site: "dehui", Run: "20240115T0130", Scheduled: at}, // published twice: one job
	}
	for i, j := range jobs {
		ack, err := b.PublishCrawlJob(ctx, j)
		if err != nil {
			t.Fatal(err)
		}
		if ack.Duplicate != (i == 2) {
			t.Errorf("job %d: duplicate %v", i, ack.Duplicate)
		}
	}
	if _, err := b.PublishCrawlJob(ctx, CrawlJob{Site: "x"}); err == nil {
		t.Error("job without a run published")
	}
	c, err := b.CrawlJobConsumer(ctx, time.Second, 3)
	if err != nil {
		t.Fatal(err)
	}
	// A second worker gets the same consumer.
	if _, err := b.CrawlJobConsumer(ctx, time.Second, 3); err != nil {
		t.Fatal(err)
	}
	batch, err := c.Fetch(5, jetstream.FetchMaxWait(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var got []CrawlJob
	for m := range batch.Messages() {
		j, err := DecodeCrawlJob(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject() != CrawlJobSubject(j.Site) {
			t.Errorf("subject %s for %s", m.Subject(), j.Site)
		}
		got = append(got, j)
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0].Site != "dehui" || got[1].Site != "gaoping" || !got[0].Scheduled.Equal(at) {
		t.Fatalf("jobs %+v", got)
	}
	// A work queue: acknowledged jobs are gone.
	s, _ := b.JS.Stream(ctx, StreamCrawlJobs)
	info, _ := s.Info(ctx)
	if info.State.Msgs != 0 {
		t.Fatalf("%d jobs left after acks", info.State.Msgs)
	}
	for _, bad := range []string{`{`, `{"site":""}`, `{"site":"a"}`} {
		if _, err := DecodeCrawlJob([]byte(bad)); err == nil {
			t.Errorf("decoded %s", bad)
		}
	}
	if _, err := b.CrawlJobConsumer(ctx, 0, 1); err == nil {
		t.Error("zero ack wait accepted")
	}
}

func TestCrawlJobRedelivered(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	if _, err := b.PublishCrawlJob(ctx, CrawlJob{Site: "s", Run: "r1"}); err != nil {
		t.Fatal(err)
	}
	c, err := b.CrawlJobConsumer(ctx, 300*time.Millisecond, 0)
	if err != nil {
		t.Fatal(err)
	}
	fetch := func() jetstream.Msg {
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			return m
		}
		return nil
	}
	// A worker that dies without acknowledging: the job comes back.
	if m := fetch(); m == nil {
		t.Fatal("no job")
	}
	m := fetch()
	if m == nil {
		t.Fatal("job not redelivered")
	}
	md, _ := m.Metadata()
	if md.NumDelivered != 2 {
		t.Fatalf("delivered %d times", md.NumDelivered)
	}
}
