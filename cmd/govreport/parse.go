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
}

func newParseCmd(m *Main) *parseCmd { return &parseCmd{m: m} }

func (c *parseCmd) flags() *flag.FlagSet {
	fs := newFlagSet("parse", "[--pretty] FILE...",
		"Read each file (HTML or plain text) with the extractor and print one JSON line per file:\n"+
			`{"file": PATH, "record": {...}} for a report, {"file": PATH, "rejection": {...}} for a`+"\n"+
			"document that is not a readable report. Exits 1 when a file cannot be read.")
	fs.BoolVar(&c.pretty, "pretty", false, "indent the JSON")
	return fs
}

// parseLine is one line of parse's output.
type parseLine struct {
	File      string            `json:"file"`
	Record    *report.Record    `json:"record,omitempty"`
	Rejection *report.Rejection `json:"rejection,omitempty"`
}

func (c *parseCmd) run(_ context.Context, args []string) error {
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
