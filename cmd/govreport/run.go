package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/govreport/govreport/alerter"
	"github.com/govreport/govreport/crawler"
	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/loader"
)

// runCmd runs every stage in one process.
type runCmd struct {
	m       *Main
	config  string
	once    bool
	timeout time.Duration
}

func newRunCmd(m *Main) *runCmd { return &runCmd{m: m} }

func (c *runCmd) flags() *flag.FlagSet {
	fs := newFlagSet("run", "[--config FILE] [--once] [--timeout D]",
		"Run the whole pipeline in one process: an embedded NATS server (unless nats.url is set),\n"+
			"a local clickhouse-server under the data directory (unless clickhouse.dsn is set), and\n"+
			"the crawler, extractor, loader and alerter. With --once it crawls every site once, waits\n"+
			"until every document went through, prints a summary and exits; otherwise it crawls\n"+
			"once, serves the dashboard (dashboard.listen) and keeps crawling on schedule until\n"+
			"interrupted.")
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	fs.BoolVar(&c.once, "once", false, "crawl once, drain the pipeline, print a summary and exit")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Hour, "with --once, give up after this long")
	return fs
}

func (c *runCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("run takes no arguments, got %q", args)}
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, c.m.Stderr)
	start := time.Now()
	targets := []string{compPortal, compCrawler, compExtractor, compLoader, compAlerter}
	if !c.once {
		// A batch run has no one to show pages to; a serving run has the dashboard.
		targets = append(targets, compDashboard)
	}
	p, err := startPipeline(ctx, cfg, resolve(targets...), log, c.m.progressWriter())
	if err != nil {
		return err
	}
	defer p.close(context.Background())

	if !c.once {
		st, err := p.crawler.CrawlAll(ctx, p.sites)
		log.Info("crawl finished", "fetched", st.Fetched(), "published", st.Published, "errors", st.Errors)
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if err := p.crawlOnSchedule(ctx); err != nil {
			return err
		}
		log.Info("serving; crawling on schedule; interrupt to stop")
		select {
		case <-ctx.Done():
		case err := <-p.stageFailed(ctx):
			return err
		}
		return p.close(context.Background())
	}

	octx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	st, err := p.crawler.CrawlAll(octx, p.sites)
	if err != nil {
		return fmt.Errorf("crawl: %w", err)
	}
	if err := p.waitDrained(octx); err != nil {
		return err
	}
	var cross *alerter.Evaluation
	if cfg.Alerter.CrossReport.Enabled {
		// Every year loaded, not only the schedule's recent ones: a run --once
		// is a whole batch.
		years, err := p.alerter.WarehouseYears(octx, 0)
		if err != nil {
			return err
		}
		ev, err := p.alerter.Evaluate(octx, alerter.TriggerManual, years)
		if err != nil {
			return err
		}
		cross = &ev
	}
	if err := p.close(context.Background()); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	s := summary{Crawl: st, Extract: p.extractor.Stats(), Load: p.loader.Stats(), Alert: p.alerter.Stats(), Cross: cross, Took: time.Since(start)}
	s.write(c.m.Stdout)
	return nil
}

// summary is what run --once prints.
type summary struct {
	Crawl   crawler.Stats
	Extract extractor.Stats
	Load    loader.Stats
	Alert   alerter.Stats
	Cross   *alerter.Evaluation // the cross-report rules' run, if they ran
	Took    time.Duration
}

func (s summary) write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "sites crawled\t%d\n", s.Crawl.Sites)
	fmt.Fprintf(tw, "list pages\t%d\n", s.Crawl.ListPages)
	fmt.Fprintf(tw, "documents fetched\t%d\t(%d report pages, %d attachments)\n", s.Crawl.Fetched(), s.Crawl.Reports, s.Crawl.Attachments)
	fmt.Fprintf(tw, "documents published\t%d\t(%d unchanged: %d already in RAW, %d not modified, %d same content, %d not due)\n",
		s.Crawl.Published, s.Crawl.Duplicates+s.Crawl.NotModified+s.Crawl.Unchanged+s.Crawl.Skipped,
		s.Crawl.Duplicates, s.Crawl.NotModified, s.Crawl.Unchanged, s.Crawl.Skipped)
	fmt.Fprintf(tw, "crawl errors\t%d\t%v\n", sum(s.Crawl.Errors), s.Crawl.Errors)
	fmt.Fprintf(tw, "documents parsed\t%d\n", s.Extract.Parsed)
	fmt.Fprintf(tw, "documents rejected\t%d\t%v\n", sum(s.Extract.Rejected), s.Extract.Rejected)
	fmt.Fprintf(tw, "dead letters\t%d\n", uint64(s.Extract.Dead)+s.Load.DeadLetters+uint64(s.Alert.Dead))
	fmt.Fprintf(tw, "records loaded\t%d\t(%d rejections)\n", s.Load.Records, s.Load.Rejections)
	fmt.Fprintf(tw, "rows loaded\t%d\t%v\n", s.Load.Rows.Total(), s.Load.Rows)
	fmt.Fprintf(tw, "alerts raised\t%d\t%v\n", s.Alert.Alerts, s.Alert.ByRule)
	if s.Cross != nil {
		fmt.Fprintf(tw, "cross-report rules\t%d found\t(years %v; %d raised, %d resolved)\n", s.Cross.Found, s.Cross.Years, s.Cross.Raised, s.Cross.Resolved)
	}
	fmt.Fprintf(tw, "took\t%s\n", s.Took.Round(time.Millisecond))
	tw.Flush()
}

func sum[K comparable, V int | int64 | uint64](m map[K]V) V {
	var n V
	for _, v := range m {
		n += v
	}
	return n
}

// stageCmd runs one stage against an external NATS (and ClickHouse).
type stageCmd struct {
	m      *Main
	name   string
	config string
	once   bool
	years  string
}

func newStageCmd(m *Main, name string) *stageCmd { return &stageCmd{m: m, name: name} }

var stageTargets = map[string]string{"crawl": compCrawler, "extract": compExtractor, "load": compLoader, "alert": compAlerter, "serve": compDashboard}

func (c *stageCmd) flags() *flag.FlagSet {
	fs := newFlagSet(c.name, "[--config FILE]",
		fmt.Sprintf("Run only the %s stage, against the NATS of nats.url (and the ClickHouse of\n"+
			"clickhouse.dsn). Start as many copies as needed: they share the work.", stageTargets[c.name]))
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	switch c.name {
	case "crawl":
		fs.BoolVar(&c.once, "once", false, "crawl every site once and exit")
	case "alert":
		fs.BoolVar(&c.once, "once", false, "run the cross-report rules once (no consuming), print what they did and exit")
		fs.StringVar(&c.years, "years", "", "with --once, the report `years` (2022,2023; default: those of the schedule)")
	}
	return fs
}

func (c *stageCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("%s takes no arguments", c.name)}
	}
	years, err := parseYears(c.years)
	if err != nil {
		return usageError{err.Error()}
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, c.m.Stderr)
	target := stageTargets[c.name]
	if target == compAlerter && c.once {
		// One run, no consuming: the embedded NATS of the data directory (where
		// run keeps the alert state) will do when no nats.url is set.
		return c.evaluateOnce(ctx, cfg, log, years)
	}
	need := resolve(target)
	switch {
	case target == compDashboard && cfg.NATS.URL == "":
		// The warehouse pages need only ClickHouse; the pipeline page says NATS is
		// not configured.
		delete(need, compBus)
		log.Warn("nats.url is empty: the dashboard shows the warehouse only")
	case cfg.NATS.URL == "":
		return fmt.Errorf("%s: nats.url is empty; a single stage needs an external NATS (use 'govreport run' for one process)", c.name)
	}
	if target == compDashboard && cfg.Dashboard.Listen == "" {
		return fmt.Errorf("serve: dashboard.listen is empty")
	}
	if target == compCrawler {
		need[compPortal] = true
	}
	p, err := startPipeline(ctx, cfg, need, log, c.m.progressWriter())
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	if target == compCrawler {
		if c.once {
			st, err := p.crawler.CrawlAll(ctx, p.sites)
			log.Info("crawl finished", "fetched", st.Fetched(), "published", st.Published, "unchanged", st.Unchanged+st.NotModified, "errors", st.Errors)
			return err
		}
		if err := p.crawlOnSchedule(ctx); err != nil {
			return err
		}
	}
	select {
	case <-ctx.Done():
	case err := <-p.stageFailed(ctx):
		return err
	}
	return p.close(context.Background())
}

// evaluateOnce runs the alerter's cross-report rules once and prints the outcome.
func (c *stageCmd) evaluateOnce(ctx context.Context, cfg Config, log *slog.Logger, years []int) error {
	p, err := startPipeline(ctx, cfg, resolve(compBus, compClickHouse), log, nil)
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	a, err := p.newAlerter(ctx)
	if err != nil {
		return err
	}
	ev, err := a.Evaluate(ctx, alerter.TriggerManual, years)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "cross-report rules over %v: %d alerts found, %d raised, %d resolved, %d left to another alerter, in %s\n",
		ev.Years, ev.Found, ev.Raised, ev.Resolved, ev.Busy, ev.Took.Round(time.Millisecond))
	return p.close(context.Background())
}

// parseYears reads a comma-separated list of report years.
func parseYears(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		y, err := strconv.Atoi(f)
		if err != nil || y < 2000 || y > 2100 {
			return nil, fmt.Errorf("--years: %q is not a report year", f)
		}
		out = append(out, y)
	}
	return out, nil
}
