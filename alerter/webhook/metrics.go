package webhook

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics count deliveries per endpoint. Labels carry endpoint names, never URLs.
type metrics struct {
	sent     *prometheus.CounterVec // endpoint, format: messages delivered
	failed   *prometheus.CounterVec // endpoint, reason: messages given up
	digests  *prometheus.CounterVec // endpoint: digests delivered
	retries  *prometheus.CounterVec // endpoint: requests that were retries
	alerts   *prometheus.CounterVec // endpoint, outcome: alerts delivered, failed, overflowed
	queued   *prometheus.GaugeVec   // endpoint: alerts waiting
	requests *prometheus.CounterVec // endpoint: HTTP requests made
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_sent_total", Help: "Webhook messages delivered (single alerts and digests), by endpoint and format.",
		}, []string{"endpoint", "format"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_failed_total", Help: "Webhook messages given up, by endpoint and reason.",
		}, []string{"endpoint", "reason"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_digests_total", Help: "Webhook digests delivered, by endpoint.",
		}, []string{"endpoint"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_retries_total", Help: "Webhook requests that retried an earlier failure, by endpoint.",
		}, []string{"endpoint"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_alerts_total",
			Help: "Alerts by what became of them: delivered (alone or in a digest), failed, or overflowed (queue full: counted in a digest without details).",
		}, []string{"endpoint", "outcome"}),
		queued: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "govreport_alerter_webhook_queued", Help: "Alerts waiting for a webhook endpoint.",
		}, []string{"endpoint"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_webhook_requests_total", Help: "Webhook HTTP requests made, retries included, by endpoint.",
		}, []string{"endpoint"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.sent, m.failed, m.digests, m.retries, m.alerts, m.queued, m.requests} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register webhook metrics: %w", err)
			}
		}
	}
	return m, nil
}
