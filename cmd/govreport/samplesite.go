package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
	"gopkg.in/yaml.v3"
)

// sampleSiteCmd serves the generated sample portal.
type sampleSiteCmd struct {
	m             *Main
	listen        string
	cfg           sampleportal.Config
	writeExpected string
	writeSites    string
	exitAfter     bool
}

func newSampleSiteCmd(m *Main) *sampleSiteCmd {
	return &sampleSiteCmd{m: m, cfg: sampleportal.DefaultConfig()}
}

func (c *sampleSiteCmd) flags() *flag.FlagSet {
	fs := newFlagSet("samplesite", "[--listen ADDR] [--seed N] [--sites N] [--reports N] [--write-expected DIR] [--write-sites FILE]",
		"Serve the generated sample portal: N sites, each with a report column of paginated list\n"+
			"pages and report pages rendered from generated records. The same seed gives the same\n"+
			"portal byte for byte. --write-expected writes the records the pipeline must produce,\n"+
			"--write-sites the site definitions to crawl it.")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8790", "`address` to serve on")
	fs.Uint64Var(&c.cfg.Seed, "seed", c.cfg.Seed, "generator `seed`")
	fs.IntVar(&c.cfg.Sites, "sites", c.cfg.Sites, "number of `sites`")
	fs.IntVar(&c.cfg.ReportsPerSite, "reports", c.cfg.ReportsPerSite, "reports per site")
	fs.StringVar(&c.writeExpected, "write-expected", "", "write the expected records under `DIR`")
	fs.StringVar(&c.writeSites, "write-sites", "", "write the site definitions to `FILE` (YAML)")
	fs.BoolVar(&c.exitAfter, "no-serve", false, "write the files and exit without serving")
	return fs
}

func (c *sampleSiteCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{"samplesite takes no arguments"}
	}
	portal, err := sampleportal.Generate(c.cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	if c.writeExpected != "" {
		if err := portal.WriteExpected(c.writeExpected, base); err != nil {
			return err
		}
	}
	if c.writeSites != "" {
		data, err := yaml.Marshal(sites.File{Sites: portal.Sites(base)})
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.writeSites, data, 0o644); err != nil {
			return fmt.Errorf("write sites: %w", err)
		}
	}
	if c.exitAfter {
		return nil
	}
	srv := &http.Server{Handler: portal.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(c.m.Stderr, "sample portal: %s (%d sites, %d reports)\n", base, c.cfg.Sites, c.cfg.Sites*c.cfg.ReportsPerSite)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
