package bus

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// scrape gathers c through a registry and returns every sample as
// `name{label=value,…}` → value.
func scrape(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			v := m.GetGauge().GetValue()
			if m.GetCounter() != nil {
				v = m.GetCounter().GetValue()
			}
			out[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	return out
}

func keys(m map[string]float64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestBacklogCollector(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	for _, p := range []string{"11", "12", "13"} {
		if _, err := b.JS.Publish(ctx, ParsedSubject(p), []byte("record "+p)); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, StreamParsed, jetstream.ConsumerConfig{
		Durable: ConsumerLoader, AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Take two: nak the first and take it again (redelivered, unacknowledged), ack
	// the second; the third stays pending.
	batch, err := cons.Fetch(2, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []jetstream.Msg
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	if len(msgs) != 2 {
		t.Fatalf("fetched %d messages, want 2", len(msgs))
	}
	if err := msgs[0].Nak(); err != nil {
		t.Fatal(err)
	}
	if err := msgs[1].DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range again.Messages() {
		if md, _ := m.Metadata(); md == nil || md.NumDelivered != 2 {
			t.Fatalf("want the nak'ed message again, got %+v", md)
		}
	}

	got := scrape(t, NewBacklogCollector(b.JS, 0))
	want := map[string]float64{
		"govreport_stream_messages{stream=PARSED}":                      3,
		"govreport_stream_messages{stream=RAW}":                         0,
		"govreport_stream_messages{stream=DEAD}":                        0,
		"govreport_stream_messages{stream=ALERTS}":                      0,
		"govreport_stream_messages{stream=CRAWL_JOBS}":                  0,
		"govreport_consumer_pending{consumer=loader,stream=PARSED}":     1,
		"govreport_consumer_ack_pending{consumer=loader,stream=PARSED}": 1,
		"govreport_consumer_redelivered{consumer=loader,stream=PARSED}": 1,
		"govreport_bus_scrape_errors_total{}":                           0,
		"govreport_stream_bytes{stream=RAW}":                            0,
		"govreport_stream_bytes{stream=DEAD}":                           0,
		"govreport_stream_bytes{stream=ALERTS}":                         0,
		"govreport_stream_bytes{stream=CRAWL_JOBS}":                     0,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	if n := got["govreport_stream_bytes{stream=PARSED}"]; n < 3*float64(len("record 11")) {
		t.Errorf("PARSED bytes %v, want at least the payloads", n)
	}
	// Only the consumer that exists has series: the extractor, alerter and crawler
	// consumers were never created.
	for _, k := range keys(got) {
		if strings.HasPrefix(k, "govreport_consumer_") && !strings.Contains(k, "consumer=loader") {
			t.Errorf("series for a missing consumer: %s", k)
		}
	}
	if len(got) != len(want)+1 {
		t.Errorf("%d series, want %d: %v", len(got), len(want)+1, keys(got))
	}
}

// With the connection gone, a scrape returns quickly, exports no backlog and counts
// its failed lookups.
func TestBacklogCollectorErrors(t *testing.T) {
	b := openTest(t, nil)
	c := NewBacklogCollector(b.JS, 500*time.Millisecond)
	b.Conn.Close()
	start := time.Now()
	got := scrape(t, c)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("scrape took %s with the connection closed", took)
	}
	if n := got["govreport_bus_scrape_errors_total{}"]; n != float64(len(BacklogStreams)) {
		t.Errorf("scrape errors %v, want one per stream (%d): %v", n, len(BacklogStreams), got)
	}
	if len(got) != 1 {
		t.Errorf("want only the error counter, got %v", keys(got))
	}
}
