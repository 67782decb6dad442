package alerter

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	records prometheus.Counter
	alerts  *prometheus.CounterVec
	errors  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		records: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govreport_alerter_records_total", Help: "Records checked for alerts.",
		}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_alerts_total", Help: "Alerts raised (first delivery only), by rule.",
		}, []string{"rule"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govreport_alerter_errors_total", Help: "Alerter errors by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.records, m.alerts, m.errors} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register alerter metrics: %w", err)
			}
		}
	}
	return m, nil
}
