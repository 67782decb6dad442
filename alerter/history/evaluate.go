package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// Querier runs a query: a ClickHouse connection (clickhouse-go's driver.Conn).
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Scope is one rule evaluated for one report year.
type Scope struct {
	Rule report.Rule `json:"rule"`
	Year int         `json:"year"`
}

// Result is what one evaluation found.
type Result struct {
	// Alerts are the open alerts found (Status open), sorted by rule (Rules
	// order), year, body and key.
	Alerts []alert.Alert
	// Evaluated are the (rule, year) scopes evaluated: an open alert of one of
	// these scopes whose key is not among Alerts no longer fires and is resolved by
	// the caller.
	Evaluated []Scope
	// Stats counts the work done.
	Stats Stats
}

// Stats counts what an evaluation read and compared.
type Stats struct {
	// Reports is the number of primary reports read; Figures those whose cells
	// for R5, R6, jumps and peers were read.
	Reports int `json:"reports"`
	Figures int `json:"figures"`
	// Vectors is the number of reports the copy rule compared (non-empty cells at
	// least copy.min_nonzero), Tokens their non-empty cells.
	Vectors int `json:"vectors"`
	Tokens  int `json:"tokens"`
	// Candidates is the number of report pairs whose similarity was computed.
	Candidates int `json:"candidates"`
	// PeerGroups is the number of (province, level, year) groups compared.
	PeerGroups int `json:"peer_groups"`
}

// Year bounds accepted by Evaluate.
const (
	minYear = 2000
	maxYear = 2100
)

// ErrYears is returned for a year outside 2000–2100.
var ErrYears = errors.New("history: report year out of range")

// Evaluate computes the enabled rules for the report years given, over the primary
// reports of database (reports_primary), and returns the open alerts. now decides
// which deadlines have passed and is the alerts' RaisedAt. It only reads.
func Evaluate(ctx context.Context, q Querier, database string, cfg Config, years []int, now time.Time) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if !identifier.MatchString(database) {
		return Result{}, fmt.Errorf("history: database %q is not a plain identifier", database)
	}
	years = slices.Clone(years)
	slices.Sort(years)
	years = slices.Compact(years)
	for _, y := range years {
		if y < minYear || y > maxYear {
			return Result{}, fmt.Errorf("%w: %d", ErrYears, y)
		}
	}
	rules := cfg.enabled()
	var res Result
	for _, r := range rules {
		for _, y := range years {
			res.Evaluated = append(res.Evaluated, Scope{Rule: r, Year: y})
		}
	}
	if len(years) == 0 || len(rules) == 0 {
		return res, nil
	}
	ds, err := loadDocs(ctx, q, database)
	if err != nil {
		return Result{}, err
	}
	e := &evaluator{cfg: cfg, ds: ds, years: years, now: now.UTC().Truncate(time.Second)}
	if cfg.CarryOver.Enabled || cfg.Stock.Enabled || cfg.Jump.Enabled || cfg.Peer.Enabled {
		if err := loadFigures(ctx, q, database, ds, e.figureYears()); err != nil {
			return Result{}, err
		}
	}
	e.stats.Reports = len(ds.docs)
	for _, d := range ds.docs {
		if d.fig != nil {
			e.stats.Figures++
		}
	}
	for _, y := range years {
		if cfg.CarryOver.Enabled {
			e.carryOver(y)
		}
		if cfg.Stock.Enabled {
			e.stock(y)
		}
		if cfg.Jump.Enabled {
			e.jumps(y)
		}
		if cfg.Peer.Enabled {
			e.peers(y)
		}
		if cfg.Missing.Enabled {
			e.missing(y)
		}
		if cfg.Late.Enabled {
			e.late(y)
		}
	}
	if cfg.Copy.Enabled {
		if err := e.copies(ctx, q, database); err != nil {
			return Result{}, err
		}
	}
	sort.SliceStable(e.out, func(i, j int) bool {
		a, b := &e.out[i], &e.out[j]
		if ra, rb := rank(a.Rule), rank(b.Rule); ra != rb {
			return ra < rb
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Body != b.Body {
			return a.Body < b.Body
		}
		return a.Key < b.Key
	})
	res.Alerts, res.Stats = e.out, e.stats
	return res, nil
}

// evaluator holds one evaluation's data and the alerts found.
type evaluator struct {
	cfg   Config
	ds    *dataset
	years []int
	now   time.Time
	out   []alert.Alert
	stats Stats
}

// figureYears are the years whose figures the rules read: each evaluated year,
// the year before (R5, R6, shares) and the jump baseline's years.
func (e *evaluator) figureYears() []int {
	back := 1
	if e.cfg.Jump.Enabled {
		back = max(back, e.cfg.Jump.History)
	}
	var out []int
	for _, y := range e.years {
		for k := back; k >= 0; k-- {
			out = append(out, y-k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// newAlert fills the fields every alert of d shares.
func (e *evaluator) newAlert(rule report.Rule, severity string, d *doc, scope string, evidence ...string) alert.Alert {
	key := alert.KeyFor(rule, d.body, fmt.Sprint(d.year), scope)
	return alert.Alert{
		ID:        alert.ID(key, evidence...),
		Key:       key,
		Rule:      rule,
		Severity:  severity,
		Status:    alert.StatusOpen,
		DocID:     d.id,
		Body:      d.body,
		Year:      d.year,
		Level:     d.level,
		Region:    d.region,
		SourceURL: d.sourceURL,
		Scope:     scope,
		RaisedAt:  e.now,
		Version:   d.version,
	}
}

// related describes another report for an alert.
func related(d *doc) alert.Related {
	return alert.Related{DocID: d.id, Body: d.body, Year: d.year, SourceURL: d.sourceURL}
}
