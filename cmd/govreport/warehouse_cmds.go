package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/warehouse"
)

// migrateCmd applies the schema migrations and sets up the NATS streams.
type migrateCmd struct {
	m              *Main
	config         string
	natsOnly       bool
	clickhouseOnly bool
}

func newMigrateCmd(m *Main) *migrateCmd { return &migrateCmd{m: m} }

func (c *migrateCmd) flags() *flag.FlagSet {
	fs := newFlagSet("migrate", "[--config FILE] [--nats-only | --clickhouse-only]",
		"Apply the embedded ClickHouse migrations in order. Running it again applies nothing.\n"+
			"Without clickhouse.dsn it starts the local server under the data directory.\n"+
			"With nats.url set it also creates or updates the NATS streams, the raw-bodies object\n"+
			"store and the key-value buckets: run it as the admin user, so that the stages can run\n"+
			"with nats.manage_streams false as users without stream-admin rights.")
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	fs.BoolVar(&c.natsOnly, "nats-only", false, "set up only the NATS streams and buckets (needs nats.url)")
	fs.BoolVar(&c.clickhouseOnly, "clickhouse-only", false, "apply only the ClickHouse migrations")
	return fs
}

func (c *migrateCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{"migrate takes no arguments"}
	}
	if c.natsOnly && c.clickhouseOnly {
		return usageError{"migrate: --nats-only and --clickhouse-only exclude each other"}
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	if c.natsOnly && cfg.NATS.URL == "" {
		return usageError{"migrate --nats-only: nats.url is empty (an embedded server sets up its own streams)"}
	}
	log := newLogger(cfg.Log, c.m.Stderr)
	if cfg.NATS.URL != "" && !c.clickhouseOnly {
		if err := c.setUpNATS(ctx, cfg, log); err != nil {
			return err
		}
	}
	if c.natsOnly {
		return nil
	}
	p, err := startPipeline(ctx, cfg, resolve(compClickHouse), log, nil)
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	applied, err := warehouse.Migrate(ctx, p.conn, cfg.ClickHouse.Database)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "schema of database %s is current (%d migrations applied now)\n", cfg.ClickHouse.Database, len(applied))
	return nil
}

// setUpNATS creates or updates every stream, the object store and the key-value
// buckets on the external NATS, whatever nats.manage_streams says: migrate is the
// admin's set-up.
func (c *migrateCmd) setUpNATS(ctx context.Context, cfg Config, log *slog.Logger) error {
	ncfg := cfg.NATS
	ncfg.ManageStreams = true
	b, err := bus.Open(ctx, ncfg, cfg.DataDir, log)
	if err != nil {
		return fmt.Errorf("set up nats: %w", err)
	}
	defer b.Close()
	streams, obs, buckets := bus.SetUpNames()
	fmt.Fprintf(c.m.Stdout, "nats streams %s, object store %s and key-value buckets %s are current (%d replicas)\n",
		strings.Join(streams, ", "), obs, strings.Join(buckets, ", "), ncfg.Replicas)
	return nil
}

// sqlCmd runs one query and prints the result.
type sqlCmd struct {
	m      *Main
	config string
	format string
}

func newSQLCmd(m *Main) *sqlCmd { return &sqlCmd{m: m} }

func (c *sqlCmd) flags() *flag.FlagSet {
	fs := newFlagSet("sql", `[--config FILE] [--format table|tsv] "QUERY"`,
		"Run a query against the configured ClickHouse (the local server under the data directory\n"+
			"when clickhouse.dsn is empty) in the project's database and print the result.")
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	fs.StringVar(&c.format, "format", "table", "output `format`: table or tsv")
	return fs
}

func (c *sqlCmd) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"sql needs a QUERY"}
	}
	if c.format != "table" && c.format != "tsv" {
		return usageError{fmt.Sprintf("unknown format %q", c.format)}
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	// The local server's start-up is not news for someone running a query.
	logCfg := cfg.Log
	if logCfg.Level == "info" || logCfg.Level == "debug" {
		logCfg.Level = "warn"
	}
	log := newLogger(logCfg, c.m.Stderr)
	return withQuery(ctx, cfg, log, strings.Join(args, " "), c.format, c.m.Stdout)
}

// withQuery opens ClickHouse, runs q and writes the result.
func withQuery(ctx context.Context, cfg Config, log *slog.Logger, q, format string, w io.Writer) error {
	p, err := startPipeline(ctx, cfg, resolve(compClickHouse), log, nil)
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	res, err := warehouse.Query(ctx, p.conn, q)
	if err != nil {
		return err
	}
	if format == "tsv" {
		return res.WriteTSV(w)
	}
	return res.WriteTable(w)
}
