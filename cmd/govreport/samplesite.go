package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
	writePages    string
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
	fs.StringVar(&c.writePages, "write-pages", "", "write every report page under `DIR`, each with its expected record beside it\n(NAME.html or NAME.txt and NAME.expected.json: what parse --score reads)")
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
	if c.writePages != "" {
		if err := writePages(portal, base, c.writePages); err != nil {
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

// writePages renders every report page of the portal into dir, with its expected
// record beside it: the set parse --score measures the extractor on.
func writePages(portal *sampleportal.Portal, base, dir string) error {
	h := portal.Handler()
	for _, e := range portal.Expected(base) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, e.Path, nil))
		if rec.Code != http.StatusOK {
			return fmt.Errorf("render %s: status %d", e.Path, rec.Code)
		}
		name := filepath.Join(dir, strings.TrimSuffix(sampleportal.ExpectedFileName(e.Path), ".json"))
		ext := ".html"
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
			ext = ".txt"
		}
		exp, err := json.MarshalIndent(e, "", "  ")
		if err != nil {
			return fmt.Errorf("encode expected %s: %w", e.Path, err)
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("write pages: %w", err)
		}
		if err := os.WriteFile(name+ext, rec.Body.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write pages: %w", err)
		}
		if err := os.WriteFile(name+".expected.json", append(exp, '\n'), 0o644); err != nil {
			return fmt.Errorf("write pages: %w", err)
		}
	}
	return nil
}
