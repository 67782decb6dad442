package alerter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/alerter/history"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/nats-io/nats.go"
)

// Triggers of a cross-report run, as the metrics and logs name them.
const (
	TriggerSchedule = "schedule"
	TriggerLoad     = "load"
	TriggerManual   = "manual"
)

// Evaluation says what one cross-report run did.
type Evaluation struct {
	Trigger string `json:"trigger"`
	Years   []int  `json:"years"`
	// Found is the number of open alerts the rules found (new or not).
	Found int `json:"found"`
	// Raised and Resolved count the alerts delivered by this run.
	Raised   int `json:"raised"`
	Resolved int `json:"resolved"`
	// Busy counts alert keys another alerter was delivering (left to it).
	Busy  int           `json:"busy"`
	Took  time.Duration `json:"took"`
	Stats history.Stats `json:"stats"`
}

// ErrNoWarehouse is returned by Evaluate when the alerter has no warehouse to read.
var ErrNoWarehouse = errors.New("alerter: the cross-report rules need a warehouse")

// Evaluate runs the cross-report rules over the report years given (none: the
// years the schedule covers, see CrossReportConfig.YearsBack) and delivers what
// changed: alerts new or with new evidence are raised, alerts of the evaluated
// rules and years that no longer fire are resolved. Runs in one process are
// serialised; across processes the alert state keeps each alert raised once.
func (a *Alerter) Evaluate(ctx context.Context, trigger string, years []int) (Evaluation, error) {
	if a.deps.Warehouse == nil {
		return Evaluation{}, ErrNoWarehouse
	}
	a.evalMu.Lock()
	defer a.evalMu.Unlock()
	began := a.now()
	cfg := a.cfg.CrossReport
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	ev := Evaluation{Trigger: trigger}
	result := "error"
	defer func() {
		a.metrics.evaluations.WithLabelValues(trigger, result).Inc()
		a.metrics.evalSeconds.Observe(time.Since(began).Seconds())
	}()
	if len(years) == 0 {
		var err error
		if years, err = a.WarehouseYears(ctx, cfg.YearsBack); err != nil {
			return ev, err
		}
	}
	ev.Years = years
	if len(years) == 0 {
		result = "ok"
		return ev, nil // an empty warehouse
	}
	res, err := history.Evaluate(ctx, a.deps.Warehouse, a.deps.Database, cfg.Rules, years, a.now())
	if err != nil {
		return ev, fmt.Errorf("cross-report rules: %w", err)
	}
	ev.Found, ev.Stats = len(res.Alerts), res.Stats
	deliver, claims, busy, err := a.states.reconcile(ctx, crossReportScopes(res))
	if err != nil {
		a.states.release(ctx, claims)
		return ev, err
	}
	ev.Busy = busy
	if err := a.deliver(ctx, deliver, claims); err != nil {
		return ev, err
	}
	for _, al := range deliver {
		if al.Status == alert.StatusResolved {
			ev.Resolved++
		} else {
			ev.Raised++
		}
	}
	ev.Took = a.now().Sub(began)
	result = "ok"
	a.mu.Lock()
	a.stats.Evaluations++
	a.mu.Unlock()
	a.log.Info("cross-report rules ran", "trigger", trigger, "years", years, "found", ev.Found,
		"raised", ev.Raised, "resolved", ev.Resolved, "busy", ev.Busy, "took", ev.Took)
	return ev, nil
}

// crossReportScopes groups a run's alerts by the (rule, year) scopes it evaluated.
func crossReportScopes(res history.Result) []Scope {
	index := map[history.Scope]int{}
	scopes := make([]Scope, 0, len(res.Evaluated))
	for _, s := range res.Evaluated {
		index[s] = len(scopes)
		scopes = append(scopes, Scope{Prefix: ScopeRuleYear(string(s.Rule), s.Year)})
	}
	for _, al := range res.Alerts {
		i, ok := index[history.Scope{Rule: al.Rule, Year: al.Year}]
		if !ok {
			// Not a scope the run says it evaluated: keep the alert, resolve nothing
			// on its account.
			i = len(scopes)
			index[history.Scope{Rule: al.Rule, Year: al.Year}] = i
			scopes = append(scopes, Scope{Prefix: ScopeRuleYear(string(al.Rule), al.Year)})
		}
		scopes[i].Found = append(scopes[i].Found, al)
	}
	return scopes
}

// WarehouseYears returns the report years in the warehouse from the current year
// minus back (0: every year): what a scheduled run covers with back = YearsBack.
func (a *Alerter) WarehouseYears(ctx context.Context, back int) ([]int, error) {
	if a.deps.Warehouse == nil {
		return nil, ErrNoWarehouse
	}
	q := "SELECT DISTINCT year FROM " + a.deps.Database + ".reports_primary WHERE year > 0"
	if back > 0 {
		q += fmt.Sprintf(" AND year >= %d", a.now().UTC().Year()-back)
	}
	rows, err := a.deps.Warehouse.Query(ctx, q+" ORDER BY year")
	if err != nil {
		return nil, fmt.Errorf("report years: %w", err)
	}
	defer rows.Close()
	var years []int
	for rows.Next() {
		var y uint16
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("report years: %w", err)
		}
		years = append(years, int(y))
	}
	return years, rows.Err()
}

// runCrossReport runs the rules on the schedule and after loads until ctx ends.
func (a *Alerter) runCrossReport(ctx context.Context) {
	cfg := a.cfg.CrossReport
	sched, _ := cfg.schedule() // validated
	loads := make(chan bus.LoadedNotice, 64)
	if cfg.AfterLoad {
		sub, err := a.deps.JS.Conn().Subscribe(bus.SubjectLoaded, func(m *nats.Msg) {
			n, err := bus.ParseLoaded(m.Data)
			if err != nil {
				a.log.Warn("loaded notice", "err", err)
				return
			}
			select {
			case loads <- n:
			default: // a run is due anyway; the schedule makes up the rest
			}
		})
		if err != nil {
			a.log.Error("subscribe to load notices; cross-report rules run on schedule only", "err", err)
		} else {
			defer func() { _ = sub.Unsubscribe() }()
		}
	}
	next := func() <-chan time.Time {
		if sched == nil {
			return nil
		}
		now := a.now()
		return time.After(sched.Next(now).Sub(now))
	}
	scheduled := next()
	var (
		pending  []int // years loaded since the last run after a load
		debounce <-chan time.Time
	)
	for {
		select {
		case <-ctx.Done():
			return
		case <-scheduled:
			a.evaluateLogged(ctx, TriggerSchedule, nil)
			scheduled = next()
		case n := <-loads:
			for _, y := range n.Years {
				// A year's reports are last year's carry-over and stock for the
				// next year: evaluate both.
				pending = append(pending, y, y+1)
			}
			if debounce == nil {
				debounce = time.After(cfg.AfterLoadDelay)
			}
		case <-debounce:
			years := pending
			pending, debounce = nil, nil
			slices.Sort(years)
			a.evaluateLogged(ctx, TriggerLoad, slices.Compact(years))
		}
	}
}

func (a *Alerter) evaluateLogged(ctx context.Context, trigger string, years []int) {
	if _, err := a.Evaluate(ctx, trigger, years); err != nil && ctx.Err() == nil {
		a.log.Error("cross-report rules", "trigger", trigger, "years", years, "err", err)
	}
}
