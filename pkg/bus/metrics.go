package bus

import (
	"context"
	"errors"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// BacklogScrapeTimeout is how long one scrape of a BacklogCollector may spend
// asking JetStream, unless NewBacklogCollector is given another.
const BacklogScrapeTimeout = 2 * time.Second

// BacklogConsumer names a durable consumer of a stream.
type BacklogConsumer struct {
	Stream   string
	Consumer string
}

// BacklogStreams are the streams whose size a BacklogCollector exports.
var BacklogStreams = []string{StreamRaw, StreamParsed, StreamDead, StreamAlerts, StreamCrawlJobs}

// BacklogConsumers are the durable consumers whose backlog a BacklogCollector
// exports.
var BacklogConsumers = []BacklogConsumer{
	{StreamRaw, ConsumerExtractor},
	{StreamParsed, ConsumerLoader},
	{StreamParsed, ConsumerAlerter},
	{StreamCrawlJobs, ConsumerCrawler},
}

// BacklogCollector is a prometheus.Collector that reads the pipeline's streams and
// durable consumers from JetStream on every scrape. A consumer that does not exist
// (its stage never ran) is left out; a failed lookup is counted in
// govreport_bus_scrape_errors_total and its series are left out of that scrape.
type BacklogCollector struct {
	js      jetstream.JetStream
	timeout time.Duration

	messages    *prometheus.Desc
	bytes       *prometheus.Desc
	pending     *prometheus.Desc
	ackPending  *prometheus.Desc
	redelivered *prometheus.Desc
	errors      prometheus.Counter
}

// NewBacklogCollector returns a collector over js; each scrape gives up after
// timeout (BacklogScrapeTimeout when 0 or less).
func NewBacklogCollector(js jetstream.JetStream, timeout time.Duration) *BacklogCollector {
	if timeout <= 0 {
		timeout = BacklogScrapeTimeout
	}
	cons := []string{"stream", "consumer"}
	return &BacklogCollector{
		js:      js,
		timeout: timeout,
		messages: prometheus.NewDesc("govreport_stream_messages",
			"Messages stored in a pipeline stream.", []string{"stream"}, nil),
		bytes: prometheus.NewDesc("govreport_stream_bytes",
			"Bytes stored in a pipeline stream.", []string{"stream"}, nil),
		pending: prometheus.NewDesc("govreport_consumer_pending",
			"Messages of the stream a durable consumer has not been delivered yet.", cons, nil),
		ackPending: prometheus.NewDesc("govreport_consumer_ack_pending",
			"Messages delivered to a durable consumer and not acknowledged yet.", cons, nil),
		redelivered: prometheus.NewDesc("govreport_consumer_redelivered",
			"Messages a durable consumer has had redelivered and not acknowledged yet.", cons, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_bus_scrape_errors_total",
			Help: "JetStream lookups of a backlog scrape that failed (a missing consumer is not an error).",
		}),
	}
}

// Describe sends the descriptors of every metric the collector may export.
func (c *BacklogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.messages
	ch <- c.bytes
	ch <- c.pending
	ch <- c.ackPending
	ch <- c.redelivered
	c.errors.Describe(ch)
}

// Collect reads the streams and consumers from JetStream and sends their state.
func (c *BacklogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	missing := map[string]bool{}
	for _, name := range BacklogStreams {
		s, err := c.js.Stream(ctx, name)
		if err != nil {
			missing[name] = true
			c.errors.Inc()
			continue
		}
		info := s.CachedInfo() // fetched by Stream just now
		ch <- prometheus.MustNewConstMetric(c.messages, prometheus.GaugeValue, float64(info.State.Msgs), name)
		ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(info.State.Bytes), name)
	}
	for _, bc := range BacklogConsumers {
		if missing[bc.Stream] {
			continue
		}
		info, err := c.consumerInfo(ctx, bc)
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			continue
		}
		if err != nil {
			c.errors.Inc()
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(info.NumPending), bc.Stream, bc.Consumer)
		ch <- prometheus.MustNewConstMetric(c.ackPending, prometheus.GaugeValue, float64(info.NumAckPending), bc.Stream, bc.Consumer)
		ch <- prometheus.MustNewConstMetric(c.redelivered, prometheus.GaugeValue, float64(info.NumRedelivered), bc.Stream, bc.Consumer)
	}
	c.errors.Collect(ch)
}

func (c *BacklogCollector) consumerInfo(ctx context.Context, bc BacklogConsumer) (*jetstream.ConsumerInfo, error) {
	cons, err := c.js.Consumer(ctx, bc.Stream, bc.Consumer)
	if err != nil {
		return nil, err
	}
	return cons.CachedInfo(), nil // fetched by Consumer just now
}
