package alerter

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	records     prometheus.Counter
	evaluations *prometheus.CounterVec
	evalSeconds prometheus.Histogram
	alerts      *prometheus.CounterVec
	errors      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		records: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_alerter_records_total", Help: "Records checked for alerts.",
		}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_alerts_total", Help: "Alerts delivered (first delivery only), by rule and status (open: raised, resolved).",
		}, []string{"rule", "status"}),
		evaluations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_cross_report_runs_total", Help: "Cross-report rule runs, by trigger (schedule, load, manual) and result (ok, error).",
		}, []string{"trigger", "result"}),
		evalSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "govreport_alerter_cross_report_seconds", Help: "Duration of cross-report rule runs.",
			Buckets: prometheus.ExponentialBuckets(0.05, 3, 10),
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_errors_total", Help: "Alerter errors by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.records, m.evaluations, m.evalSeconds, m.alerts, m.errors} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register alerter metrics: %w", err)
			}
		}
	}
	return m, nil
}
