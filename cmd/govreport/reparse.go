package main

import (
	"context"
	"flag"
	"fmt"
	"regexp"
	"time"

	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/pkg/bus"
)

// consumerName is what a replay's consumer may be called.
var consumerName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// reparseCmd replays archived raw documents through the parser.
type reparseCmd struct {
	m        *Main
	config   string
	name     string
	site     string
	province string
	since    string
}

func newReparseCmd(m *Main) *reparseCmd { return &reparseCmd{m: m} }

func (c *reparseCmd) flags() *flag.FlagSet {
	fs := newFlagSet("reparse", "[--config FILE] [--site ID | --province CODE] [--since DATE] [--name NAME]",
		"Run this binary's parser again over the raw documents archived in the RAW stream —\n"+
			"after a parser upgrade — and publish the new records to PARSED, where the loader\n"+
			"replaces the older rows (a record carries its parser version and extraction time).\n"+
			"It reads through a consumer of its own, so running extractors are not disturbed;\n"+
			"several reparse processes with the same --name share the work, and an interrupted\n"+
			"one resumes. It returns when every document archived when it started was read.\n"+
			"Without nats.url it uses the embedded NATS of the data directory (stop `run` first).")
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	fs.StringVar(&c.name, "name", extractor.DefaultReplayName, "the replay's consumer `name`")
	fs.StringVar(&c.site, "site", "", "only the documents of this site `ID`")
	fs.StringVar(&c.province, "province", "", "only the documents of this 2-digit province `code` (22 for 吉林省)")
	fs.StringVar(&c.since, "since", "", "only documents archived on or after this `date` (2026-01-31 or RFC 3339)")
	return fs
}

// replay builds the replay the flags ask for.
func (c *reparseCmd) replay() (extractor.Replay, error) {
	r := extractor.Replay{Name: c.name}
	switch {
	case c.site != "" && c.province != "":
		return r, usageError{"reparse: --site and --province exclude each other"}
	case c.site != "":
		r.Subject = bus.SubjectRaw + ".*." + bus.Token(c.site)
	case c.province != "":
		if len(c.province) != 2 || c.province[0] < '1' || c.province[0] > '9' || c.province[1] < '0' || c.province[1] > '9' {
			return r, usageError{fmt.Sprintf("reparse: --province %q is not a 2-digit province code", c.province)}
		}
		r.Subject = bus.SubjectRaw + "." + c.province + ".>"
	}
	if c.since != "" {
		t, err := time.Parse(time.RFC3339, c.since)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02", c.since, time.UTC)
		}
		if err != nil {
			return r, usageError{fmt.Sprintf("reparse: --since %q is not a date", c.since)}
		}
		r.Since = t
	}
	if !consumerName.MatchString(r.Name) || r.Name == bus.ConsumerExtractor {
		return r, usageError{fmt.Sprintf("reparse: --name %q: letters, digits, - and _, and not the extractor's own consumer", r.Name)}
	}
	return r, nil
}

func (c *reparseCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("reparse takes no arguments, got %q", args)}
	}
	r, err := c.replay()
	if err != nil {
		return err
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, c.m.Stderr)
	p, err := startPipeline(ctx, cfg, resolve(compBus), log, nil)
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	x, err := extractor.New(cfg.Extractor, p.bus, log.With("stage", "reparse"), p.reg)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := x.Replay(ctx, r); err != nil {
		return err
	}
	st := x.Stats()
	fmt.Fprintf(c.m.Stdout, "reparsed %d documents with parser %s: %d records, %d rejected %v, %d dead letters, in %s\n",
		st.Documents, extractor.Version, st.Parsed, sum(st.Rejected), st.Rejected, st.Dead, time.Since(start).Round(time.Millisecond))
	return p.close(context.Background())
}
