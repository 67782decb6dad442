package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/alerter"
	"github.com/govreport/govreport/crawler"
	"github.com/govreport/govreport/crawler/schedule"
	"github.com/govreport/govreport/dashboard"
	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/loader"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/regions"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Components a target may need. Each starts after the ones it depends on and stops
// before them.
const (
	compMetrics    = "metrics"
	compBus        = "bus"
	compClickHouse = "clickhouse"
	compPortal     = "sample_portal"
	compCrawler    = "crawler"
	compExtractor  = "extractor"
	compLoader     = "loader"
	compAlerter    = "alerter"
	compDashboard  = "dashboard"
)

// startOrder is the dependency order: every component comes after what it needs.
var startOrder = []string{compMetrics, compBus, compClickHouse, compPortal, compLoader, compAlerter, compDashboard, compExtractor, compCrawler}

var deps = map[string][]string{
	compCrawler:   {compBus},
	compExtractor: {compBus},
	compLoader:    {compBus, compClickHouse},
	compAlerter:   {compBus, compClickHouse},
	compDashboard: {compBus, compClickHouse},
}

// resolve returns the targets plus everything they depend on.
func resolve(targets ...string) map[string]bool {
	need := map[string]bool{compMetrics: true}
	var add func(string)
	add = func(c string) {
		if need[c] {
			return
		}
		need[c] = true
		for _, d := range deps[c] {
			add(d)
		}
	}
	for _, t := range targets {
		add(t)
	}
	return need
}

// pipeline holds the running components of one process.
type pipeline struct {
	cfg Config
	log *slog.Logger
	reg registry
	// health answers /healthz and /readyz and exports govreport_up.
	health *health

	bus       *bus.Bus
	chServer  *chserver.Server
	conn      driver.Conn
	portal    *sampleportal.Portal
	portalURL string
	sites     []sites.Site
	crawler   *crawler.Crawler
	extractor *extractor.Extractor
	loader    *loader.Loader
	alerter   *alerter.Alerter
	dashboard *dashboard.Server
	// dashboardURL is the dashboard's address once it serves.
	dashboardURL string

	// progress, when set, receives the crawler's progress line (a terminal).
	progress io.Writer

	// stops are run in reverse order by close.
	stops []func(context.Context) error

	// Stage goroutines: each is cancelled through its own context and waited for.
	stageMu sync.Mutex
	stages  []*stage
}

// stage is one running stage goroutine.
type stage struct {
	name   string
	cancel context.CancelFunc
	done   chan error
}

// startPipeline starts the needed components in dependency order. On error it stops
// what it started.
func startPipeline(ctx context.Context, cfg Config, need map[string]bool, log *slog.Logger, progress io.Writer) (*pipeline, error) {
	return startPipelineOn(ctx, prometheus.NewRegistry(), cfg, need, log, progress)
}

// startPipelineOn is startPipeline with the metrics registered on reg (tests record
// what each process registers).
func startPipelineOn(ctx context.Context, reg registry, cfg Config, need map[string]bool, log *slog.Logger, progress io.Writer) (*pipeline, error) {
	p := &pipeline{cfg: cfg, log: log, reg: reg, progress: progress}
	p.health = newHealth(p, readyTimeout)
	p.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newBuildInfo(), p.health)
	for _, c := range startOrder {
		if !need[c] {
			continue
		}
		if err := p.start(ctx, c); err != nil {
			p.close(context.Background())
			return nil, fmt.Errorf("start %s: %w", c, err)
		}
		if c == compBus {
			// Every process on the bus exports the same backlog series.
			p.reg.MustRegister(bus.NewBacklogCollector(p.bus.JS, readyTimeout))
		}
	}
	p.health.started.Store(true)
	return p, nil
}

func (p *pipeline) onStop(f func(context.Context) error) { p.stops = append(p.stops, f) }

func (p *pipeline) start(ctx context.Context, c string) error {
	switch c {
	case compMetrics:
		return p.startMetrics()
	case compBus:
		b, err := bus.Open(ctx, p.cfg.NATS, p.cfg.DataDir, p.log)
		if err != nil {
			return err
		}
		p.bus = b
		p.onStop(func(context.Context) error { return b.Close() })
		if b.Embedded() {
			p.log.Info("embedded nats started", "store", p.cfg.DataDir, "listen", b.ClientURL())
		}
		return nil
	case compClickHouse:
		conn, srv, err := openClickHouse(ctx, p.cfg, p.log)
		if err != nil {
			return err
		}
		p.conn, p.chServer = conn, srv
		p.onStop(func(ctx context.Context) error {
			err := conn.Close()
			if srv != nil {
				err = errors.Join(err, srv.Stop(ctx))
			}
			return err
		})
		return nil
	case compPortal:
		return p.startPortal()
	case compCrawler:
		all, err := p.loadSites()
		if err != nil {
			return err
		}
		p.sites = all
		// Per-URL state and host politeness live in NATS key-value buckets, so a
		// restarted crawler resumes and several crawler processes stay polite together.
		state, err := p.bus.CrawlStateKV(ctx)
		if err != nil {
			return err
		}
		hosts, err := p.bus.CrawlHostsKV(ctx)
		if err != nil {
			return err
		}
		// Each site's progress goes to a bucket the dashboard reads, wherever it runs.
		siteKV, err := p.bus.CrawlSitesKV(ctx)
		if err != nil {
			return err
		}
		opts := []crawler.Option{crawler.WithStateKV(state), crawler.WithHostKV(hosts), crawler.WithSiteStatusKV(siteKV, 0)}
		if p.progress != nil {
			opts = append(opts, crawler.WithProgress(p.progress, time.Second))
		}
		p.crawler, err = crawler.New(p.cfg.Crawler, p.bus, p.log.With("stage", "crawler"), p.reg, opts...)
		return err
	case compExtractor:
		x, err := extractor.New(p.cfg.Extractor, p.bus, p.log.With("stage", "extractor"), p.reg)
		if err != nil {
			return err
		}
		p.extractor = x
		p.runStage("extractor", x.Run)
		p.runStage("extractor-dead-letters", func(ctx context.Context) error {
			return p.bus.WatchMaxDeliveries(ctx, bus.StreamRaw, bus.ConsumerExtractor, "extractor", p.log)
		})
		return nil
	case compLoader:
		l, err := loader.New(p.cfg.Loader, p.bus.JS, p.conn, p.log.With("stage", "loader"), p.reg)
		if err != nil {
			return err
		}
		p.loader = l
		p.runStage("loader", l.Run)
		p.runStage("loader-dead-letters", func(ctx context.Context) error {
			return p.bus.WatchMaxDeliveries(ctx, bus.StreamParsed, bus.ConsumerLoader, "loader", p.log)
		})
		return nil
	case compAlerter:
		a, err := p.newAlerter(ctx)
		if err != nil {
			return err
		}
		p.alerter = a
		p.runStage("alerter", a.Run)
		return nil
	case compDashboard:
		return p.startDashboard()
	}
	return fmt.Errorf("unknown component %q", c)
}

// startDashboard serves the dashboard on dashboard.listen (nothing when empty).
func (p *pipeline) startDashboard() error {
	if p.cfg.Dashboard.Listen == "" {
		return nil
	}
	deps := dashboard.Deps{Warehouse: p.conn, Database: p.cfg.ClickHouse.Database}
	if p.bus != nil {
		deps.JS = p.bus.JS
	}
	d, err := dashboard.New(p.cfg.Dashboard, deps, p.log.With("stage", "dashboard"), p.reg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", p.cfg.Dashboard.Listen)
	if err != nil {
		return fmt.Errorf("dashboard listen: %w", err)
	}
	p.dashboard, p.dashboardURL = d, "http://"+ln.Addr().String()
	p.runStage("dashboard", func(ctx context.Context) error { return d.Serve(ctx, ln) })
	p.log.Info("dashboard serving", "url", p.dashboardURL)
	return nil
}

// newAlerter builds the alerter over the pipeline's NATS and ClickHouse.
func (p *pipeline) newAlerter(ctx context.Context) (*alerter.Alerter, error) {
	kv, err := p.bus.AlertStateKV(ctx)
	if err != nil {
		return nil, err
	}
	deps := alerter.Deps{JS: p.bus.JS, State: kv, Database: p.cfg.ClickHouse.Database}
	if p.conn != nil {
		deps.Store, deps.Warehouse = p.conn, p.conn
	}
	return alerter.New(p.cfg.Alerter, deps, p.log.With("stage", "alerter"), p.reg)
}

// openClickHouse connects to the configured ClickHouse, or starts the local server
// when no DSN is configured, and applies the migrations.
func openClickHouse(ctx context.Context, cfg Config, log *slog.Logger) (driver.Conn, *chserver.Server, error) {
	wcfg := cfg.ClickHouse.Config
	var srv *chserver.Server
	local := cfg.localClickHouse()
	if e, ok := chserver.Running(local.Dir); ok && wcfg.DSN == "" {
		// Another govreport process (run, say) has the local server up: share it.
		wcfg.DSN = (&url.URL{Scheme: "clickhouse", Host: e.TCPAddr, Path: "/" + wcfg.Database}).String()
		log.Info("using the running local clickhouse-server", "addr", e.TCPAddr, "pid", e.PID)
	}
	if wcfg.DSN == "" {
		var err error
		srv, err = chserver.Start(ctx, local, log.With("component", "clickhouse-server"))
		if err != nil {
			return nil, nil, err
		}
		wcfg.DSN = srv.DSN(wcfg.Database)
		log.Info("local clickhouse-server started", "addr", srv.TCPAddr(), "dir", srv.Dir())
	}
	conn, err := warehouse.Open(ctx, wcfg)
	if err != nil {
		if srv != nil {
			_ = srv.Stop(context.Background())
		}
		return nil, nil, err
	}
	applied, err := warehouse.Migrate(ctx, conn, wcfg.Database)
	if err != nil {
		conn.Close()
		if srv != nil {
			_ = srv.Stop(context.Background())
		}
		return nil, nil, err
	}
	if len(applied) > 0 {
		log.Info("schema migrated", "applied", applied)
	}
	if err := loadDivisions(ctx, conn, wcfg.Database, log); err != nil {
		conn.Close()
		if srv != nil {
			_ = srv.Stop(context.Background())
		}
		return nil, nil, err
	}
	return conn, srv, nil
}

func (p *pipeline) startMetrics() error {
	if p.cfg.Metrics.Listen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", p.cfg.Metrics.Listen)
	if err != nil {
		return fmt.Errorf("metrics listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(p.reg, promhttp.HandlerOpts{Registry: p.reg}))
	mux.HandleFunc("/healthz", p.health.live)
	mux.HandleFunc("/readyz", p.health.ready)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	p.onStop(srv.Shutdown)
	p.log.Info("metrics endpoint", "addr", ln.Addr().String())
	return nil
}

func (p *pipeline) startPortal() error {
	if !p.cfg.SamplePortal.Enabled {
		return nil
	}
	portal, err := sampleportal.Generate(p.cfg.SamplePortal.Config)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", p.cfg.SamplePortal.Listen)
	if err != nil {
		return fmt.Errorf("sample portal listen: %w", err)
	}
	srv := &http.Server{Handler: portal.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	p.onStop(srv.Shutdown)
	p.portal = portal
	p.portalURL = "http://" + ln.Addr().String()
	p.log.Info("sample portal serving", "url", p.portalURL, "sites", p.cfg.SamplePortal.Sites)
	return nil
}

// loadSites reads the configured site files and adds the sample portal's sites.
func (p *pipeline) loadSites() ([]sites.Site, error) {
	var all []sites.Site
	if p.cfg.Crawler.Sites != "" {
		loaded, err := sites.Load(p.cfg.Crawler.Sites)
		if err != nil {
			return nil, err
		}
		all = loaded
	}
	if p.portal != nil {
		all = append(all, p.portal.Sites(p.portalURL)...)
	}
	if err := sites.CheckUnique(all); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		p.log.Warn("no sites to crawl", "sites", p.cfg.Crawler.Sites)
	}
	return all, nil
}

// runStage runs f in a goroutine owned by the pipeline until stopStages.
func (p *pipeline) runStage(name string, f func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &stage{name: name, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := f(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			p.log.Error("stage stopped", "stage", name, "err", err)
		}
		s.done <- err
	}()
	p.stageMu.Lock()
	p.stages = append(p.stages, s)
	p.stageMu.Unlock()
}

// stageFailed returns a channel that receives the first stage that stops on its own.
func (p *pipeline) stageFailed(ctx context.Context) <-chan error {
	out := make(chan error, 1)
	p.stageMu.Lock()
	stages := append([]*stage(nil), p.stages...)
	p.stageMu.Unlock()
	for _, s := range stages {
		go func(s *stage) {
			select {
			case err := <-s.done:
				s.done <- err // keep it for stopStages
				select {
				case out <- fmt.Errorf("stage %s stopped: %v", s.name, err):
				default:
				}
			case <-ctx.Done():
			}
		}(s)
	}
	return out
}

// stopStages cancels the stages in reverse start order (the extractor before the
// loader and alerter, so that they can take what it last produced) and waits for
// each.
func (p *pipeline) stopStages(ctx context.Context) error {
	p.stageMu.Lock()
	stages := p.stages
	p.stages = nil
	p.stageMu.Unlock()
	var errs []error
	for i := len(stages) - 1; i >= 0; i-- {
		s := stages[i]
		s.cancel()
		select {
		case err := <-s.done:
			if err != nil && !errors.Is(err, context.Canceled) {
				errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
			}
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("%s: did not stop in time", s.name))
		}
	}
	return errors.Join(errs...)
}

// close stops the stages and then every component in reverse start order.
func (p *pipeline) close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := p.stopStages(ctx)
	for i := len(p.stops) - 1; i >= 0; i-- {
		err = errors.Join(err, p.stops[i](ctx))
	}
	p.stops = nil
	return err
}

// drained reports whether a durable consumer has nothing pending or unacknowledged.
// A consumer that does not exist yet is not drained.
func (p *pipeline) drained(ctx context.Context, stream, consumer string) (bool, error) {
	c, err := p.bus.JS.Consumer(ctx, stream, consumer)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	info, err := c.Info(ctx)
	if err != nil {
		return false, err
	}
	return info.NumPending == 0 && info.NumAckPending == 0, nil
}

// waitDrained waits until the extractor has taken everything on RAW and the loader
// and alerter everything on PARSED.
func (p *pipeline) waitDrained(ctx context.Context) error {
	type cons struct{ stream, name string }
	order := []cons{{bus.StreamRaw, bus.ConsumerExtractor}, {bus.StreamParsed, bus.ConsumerLoader}}
	if p.alerter != nil {
		order = append(order, cons{bus.StreamParsed, bus.ConsumerAlerter})
	}
	failed := p.stageFailed(ctx)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for _, c := range order {
		for {
			ok, err := p.drained(ctx, c.stream, c.name)
			if err != nil {
				return fmt.Errorf("check %s: %w", c.name, err)
			}
			if ok {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s to drain: %w", c.name, ctx.Err())
			case err := <-failed:
				return err
			case <-tick.C:
			}
		}
	}
	return nil
}

// crawlOnSchedule runs the scheduler, which publishes one crawl job per site into
// the CRAWL_JOBS work queue when its schedule fires, and a crawler worker that takes
// jobs from the queue; every crawler process sharing the NATS shares the jobs.
func (p *pipeline) crawlOnSchedule(ctx context.Context) error {
	q, err := p.bus.CrawlJobConsumer(ctx, p.cfg.Crawler.Jobs.AckWait, p.cfg.Crawler.Jobs.MaxDeliver)
	if err != nil {
		return err
	}
	sch, err := schedule.New(p.cfg.Crawler.Schedule, p.sites, p.bus, p.log.With("stage", "scheduler"), p.reg)
	if err != nil {
		return err
	}
	p.runStage("crawl-scheduler", sch.Run)
	p.runStage("crawler", func(ctx context.Context) error { return p.crawler.Work(ctx, q, p.sites) })
	p.runStage("crawler-dead-letters", func(ctx context.Context) error {
		return p.bus.WatchMaxDeliveries(ctx, bus.StreamCrawlJobs, bus.ConsumerCrawler, "crawler", p.log)
	})
	return nil
}

// loadDivisions writes the embedded national division table into the warehouse
// unless its edition is there already (a count: no write on later starts).
func loadDivisions(ctx context.Context, conn driver.Conn, database string, log *slog.Logger) error {
	tbl, err := regions.Default()
	if err != nil {
		return fmt.Errorf("division table: %w", err)
	}
	n, err := warehouse.LoadDivisions(ctx, conn, database, tbl, regions.Edition)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("division table loaded", "edition", regions.Edition, "rows", n)
	}
	return nil
}
