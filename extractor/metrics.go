package extractor

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of a document, as counted in govreport_extractor_documents_total.
const (
	OutcomeParsed   = "parsed"
	OutcomeRejected = "rejected"
	OutcomeDead     = "dead"
	OutcomeRetried  = "retried"
)

// metrics are the stage's Prometheus metrics.
type metrics struct {
	documents *prometheus.CounterVec
	parse     prometheus.Histogram
}

// newMetrics creates the metrics and registers them on reg (nil registers nothing).
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_extractor_documents_total",
			Help: "Raw documents handled by the extractor, by outcome (parsed, rejected, dead, retried).",
		}, []string{"outcome"}),
		parse: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "govreport_extractor_parse_seconds",
			Help:    "Time to parse one document.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.documents, m.parse} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register extractor metrics: %w", err)
			}
		}
	}
	return m, nil
}
