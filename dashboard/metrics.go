package dashboard

import "github.com/prometheus/client_golang/prometheus"

// metrics are the dashboard's Prometheus metrics.
type metrics struct {
	requests     *prometheus.CounterVec
	seconds      *prometheus.HistogramVec
	querySeconds prometheus.Histogram
	queryErrors  prometheus.Counter
	redriven     *prometheus.CounterVec
	cacheHits    prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_dashboard_requests_total", Help: "Dashboard HTTP requests by page and status code.",
		}, []string{"page", "code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "govreport_dashboard_request_seconds", Help: "Dashboard request durations by page.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}, []string{"page"}),
		querySeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "govreport_dashboard_query_seconds", Help: "Durations of the dashboard's ClickHouse queries.",
			Buckets: prometheus.ExponentialBuckets(0.002, 2.5, 10),
		}),
		queryErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_dashboard_query_errors_total", Help: "Dashboard ClickHouse queries that failed.",
		}),
		redriven: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_dashboard_redriven_total", Help: "Dead letters re-driven from the dashboard, by stage and result.",
		}, []string{"stage", "result"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_dashboard_cache_hits_total", Help: "Dashboard queries answered from the result cache (dashboard.cache_ttl) instead of ClickHouse.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.seconds, m.querySeconds, m.queryErrors, m.redriven, m.cacheHits)
	}
	return m
}
