package loader

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Error kinds counted by govreport_loader_errors_total.
const (
	errKindDecode        = "decode"         // a message that does not decode (dead-lettered)
	errKindConvert       = "convert"        // a record whose values do not fit the tables (dead-lettered)
	errKindInsert        = "insert"         // a batch ClickHouse did not accept (nak'ed, retried, or inserted part by part)
	errKindRejected      = "rejected"       // a record ClickHouse would not take while the rest of its batch loaded (dead-lettered)
	errKindMaxDeliveries = "max_deliveries" // a message whose last delivery did not load (dead-lettered)
	errKindAck           = "ack"            // an ack or nak that did not reach JetStream
	errKindDeadLetter    = "dead_letter"    // a dead-letter copy that could not be stored
	errKindFetch         = "fetch"          // a pull from JetStream that failed
)

// metrics are the loader's Prometheus metrics.
type metrics struct {
	rows         *prometheus.CounterVec
	batches      prometheus.Counter
	batchSeconds prometheus.Histogram
	errors       *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_loader_rows_total",
			Help: "Rows inserted into ClickHouse, by table.",
		}, []string{"table"}),
		batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_loader_batches_total",
			Help: "Batches inserted into ClickHouse and acknowledged.",
		}),
		batchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "govreport_loader_batch_seconds",
			Help:    "Time to insert one batch into every table.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14), // 5ms … 41s
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_loader_errors_total",
			Help: "Loader errors by kind: decode, convert, insert, rejected, max_deliveries, ack, dead_letter, fetch.",
		}, []string{"kind"}),
	}
	for _, k := range []string{errKindDecode, errKindConvert, errKindInsert, errKindRejected, errKindMaxDeliveries, errKindAck, errKindDeadLetter, errKindFetch} {
		m.errors.WithLabelValues(k)
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.rows, m.batches, m.batchSeconds, m.errors} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}
