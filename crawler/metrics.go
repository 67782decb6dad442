package crawler

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	pages     *prometheus.CounterVec
	published *prometheus.CounterVec
	errors    *prometheus.CounterVec
	bytes     prometheus.Counter
	hostWait  prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_pages_total", Help: "Pages and files fetched, by kind (list, report, attachment).",
		}, []string{"kind"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_published_total", Help: "Documents newly stored in the RAW stream, by kind.",
		}, []string{"kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_errors_total", Help: "Crawl errors by kind (network, http_NNN, robots, too_large, …).",
		}, []string{"kind"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_crawler_bytes_total", Help: "Body bytes fetched.",
		}),
		hostWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "govreport_crawler_host_wait_seconds", Help: "Time a request waited for its host's politeness limits.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.pages, m.published, m.errors, m.bytes, m.hostWait} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register crawler metrics: %w", err)
			}
		}
	}
	return m, nil
}
