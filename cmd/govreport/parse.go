package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/pkg/report"
)

// parseCmd prints the structured record of local documents.
type parseCmd struct {
	m      *Main
	pretty bool
	score  scoreOptions
}

func newParseCmd(m *Main) *parseCmd { return &parseCmd{m: m} }

func (c *parseCmd) flags() *flag.FlagSet {
	fs := newFlagSet("parse", "[--pretty] FILE... | --score DIR [--diffs] [--min-accuracy F]",
		"Read each file (HTML or plain text) with the extractor and print one JSON line per file:\n"+
			`{"file": PATH, "record": {...}} for a report, {"file": PATH, "rejection": {...}} for a`+"\n"+
			"document that is not a readable report. Exits 1 when a file cannot be read.\n\n"+
			"With --score DIR it instead reads every document under DIR (.html, .htm, .shtml, .txt)\n"+
			"that has an expected record beside it (NAME.golden.json or NAME.expected.json: a record,\n"+
			"or an object with a \"record\" key as samplesite writes), and prints the cell accuracy of\n"+
			"each document and overall (state, value and unit of every expected cell).")
	fs.BoolVar(&c.pretty, "pretty", false, "indent the JSON")
	fs.StringVar(&c.score.dir, "score", "", "score the documents under `DIR` against their expected records")
	fs.BoolVar(&c.score.diffs, "diffs", false, "with --score, list every differing cell")
	fs.Float64Var(&c.score.min, "min-accuracy", 0, "with --score, exit 1 when the overall cell accuracy is below `F` (0–1)")
	return fs
}

// parseLine is one line of parse's output.
type parseLine struct {
	File      string            `json:"file"`
	Record    *report.Record    `json:"record,omitempty"`
	Rejection *report.Rejection `json:"rejection,omitempty"`
}

func (c *parseCmd) run(_ context.Context, args []string) error {
	if c.score.dir != "" {
		if len(args) > 0 {
			return usageError{"parse --score DIR takes no FILE arguments"}
		}
		return c.score.run(c.m.Stdout, c.m.Stderr)
	}
	if len(args) == 0 {
		return usageError{"parse needs at least one FILE"}
	}
	enc := json.NewEncoder(c.m.Stdout)
	enc.SetEscapeHTML(false)
	if c.pretty {
		enc.SetIndent("", "  ")
	}
	var failed []string
	for _, file := range args {
		line, err := parseFile(file)
		if err != nil {
			fmt.Fprintf(c.m.Stderr, "govreport: parse %s: %v\n", file, err)
			failed = append(failed, file)
			continue
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files could not be read", len(failed), len(args))
	}
	return nil
}

// parseFile reads one local file into a record or a rejection.
func parseFile(file string) (parseLine, error) {
	body, err := os.ReadFile(file)
	if err != nil {
		return parseLine{}, err
	}
	u, err := extractor.FileURL(file)
	if err != nil {
		return parseLine{}, err
	}
	in := extractor.Input{URL: u, Body: body, ContentType: contentTypeOf(file, body)}
	rec, err := extractor.Parse(in)
	var rej *report.Rejection
	switch {
	case err == nil:
		return parseLine{File: file, Record: rec}, nil
	case errors.As(err, &rej):
		return parseLine{File: file, Rejection: rej}, nil
	}
	return parseLine{}, err
}

// contentTypeOf guesses a local file's type from its extension, then its bytes.
func contentTypeOf(file string, body []byte) string {
	ext := strings.ToLower(filepath.Ext(file))
	switch ext {
	case ".txt", ".text":
		return "text/plain"
	case ".htm", ".html", ".shtml":
		return "text/html"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(body)
}
