package crawler

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	pages       *prometheus.CounterVec
	published   *prometheus.CounterVec
	unchanged   *prometheus.CounterVec
	skipped     *prometheus.CounterVec
	errors      *prometheus.CounterVec
	retries     *prometheus.CounterVec
	bytes       prometheus.Counter
	hostWait    prometheus.Histogram
	fetchTime   prometheus.Histogram
	frontier    prometheus.Gauge
	sitesActive prometheus.Gauge
	queueDepth  prometheus.Gauge
	jobs        *prometheus.CounterVec
	// statusErrors counts site status writes that failed.
	statusErrors prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_pages_total", Help: "Pages and files fetched with a body, by kind (list, report, attachment).",
		}, []string{"kind"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_published_total", Help: "Documents newly stored in the RAW stream, by kind.",
		}, []string{"kind"}),
		unchanged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_unchanged_total", Help: "URLs found unchanged, by how (not_modified: a 304; same_hash: the body already published).",
		}, []string{"how"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_skipped_total", Help: "URLs not fetched, by why (done_this_run: a resumed run; not_due: fetched recently).",
		}, []string{"why"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_errors_total", Help: "Final crawl errors by kind (network, timeout, http_NNN, robots, too_large, redirect_loop, max_pages, …).",
		}, []string{"kind"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_retries_total", Help: "Requests retried after a transient failure, by kind.",
		}, []string{"kind"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_crawler_bytes_total", Help: "Body bytes fetched.",
		}),
		hostWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "govreport_crawler_host_wait_seconds", Help: "Time a request waited for its host's politeness limits.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
		fetchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "govreport_crawler_fetch_seconds", Help: "Time from a request's start to its last body byte, host wait excluded.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 10),
		}),
		frontier: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govreport_crawler_urls_in_flight", Help: "URLs being checked or fetched by the running site crawls.",
		}),
		sitesActive: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govreport_crawler_sites_active", Help: "Site crawls running in this process.",
		}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govreport_crawler_job_queue_depth", Help: "Crawl jobs waiting in the work queue (as last seen by this worker).",
		}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_crawler_jobs_total", Help: "Crawl jobs taken from the work queue, by outcome (done, interrupted, retried: documents not stored, bad).",
		}, []string{"outcome"}),
		statusErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_crawler_site_status_errors_total", Help: "Site progress writes to the crawl-sites bucket that failed (the crawl goes on).",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.pages, m.published, m.unchanged, m.skipped, m.errors, m.retries, m.bytes,
			m.hostWait, m.fetchTime, m.frontier, m.sitesActive, m.queueDepth, m.jobs, m.statusErrors} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register crawler metrics: %w", err)
			}
		}
	}
	return m, nil
}
