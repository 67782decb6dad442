package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/score"
)

// scoreOptions are parse --score's flags.
type scoreOptions struct {
	dir   string
	diffs bool
	min   float64
}

// documentExts are the files --score reads as documents.
var documentExts = map[string]bool{".html": true, ".htm": true, ".shtml": true, ".txt": true, ".text": true}

// expectedSuffixes name a document's expected record, tried in order.
var expectedSuffixes = []string{".golden.json", ".expected.json"}

// scoreCase is one document and its expected record.
type scoreCase struct {
	doc, expected string
}

// findCases walks dir for documents with an expected record beside them; the
// documents without one are returned apart.
func findCases(dir string) (cases []scoreCase, unscored []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !documentExts[strings.ToLower(filepath.Ext(path))] {
			return nil
		}
		base := strings.TrimSuffix(path, filepath.Ext(path))
		for _, suf := range expectedSuffixes {
			if _, err := os.Stat(base + suf); err == nil {
				cases = append(cases, scoreCase{doc: path, expected: base + suf})
				return nil
			}
		}
		unscored = append(unscored, path)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("score %s: %w", dir, err)
	}
	return cases, unscored, nil
}

// readExpected reads an expected record: a record, or an object whose "record" key
// holds one (what samplesite --write-expected writes).
func readExpected(path string) (*report.Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		Record json.RawMessage `json:"record"`
	}
	if json.Unmarshal(b, &wrapped) == nil && len(wrapped.Record) > 0 && string(wrapped.Record) != "null" {
		b = wrapped.Record
	}
	rec, err := report.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("expected record %s: %w", path, err)
	}
	return rec, nil
}

// run scores every document under dir and prints a table and the total.
func (o scoreOptions) run(stdout, stderr io.Writer) error {
	if o.min < 0 || o.min > 1 {
		return usageError{fmt.Sprintf("--min-accuracy %v: want a number from 0 to 1", o.min)}
	}
	cases, unscored, err := findCases(o.dir)
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		return fmt.Errorf("score %s: no document has an expected record (NAME%s beside NAME.html or NAME.txt)", o.dir, expectedSuffixes[0])
	}
	var total score.Total
	var failed int
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cells\tcorrect\taccuracy\textra\tdiffs\t document")
	for _, c := range cases {
		want, err := readExpected(c.expected)
		if err != nil {
			fmt.Fprintf(stderr, "govreport: %v\n", err)
			failed++
			continue
		}
		line, err := parseFile(c.doc)
		if err != nil {
			fmt.Fprintf(stderr, "govreport: parse %s: %v\n", c.doc, err)
			failed++
			continue
		}
		res := score.Compare(line.Record, want)
		total.Add(res)
		name, _ := filepath.Rel(o.dir, c.doc)
		note := ""
		if line.Rejection != nil {
			note = "  (rejected: " + string(line.Rejection.Reason) + ")"
		}
		fmt.Fprintf(tw, "%d\t%d\t%.2f%%\t%d\t%d\t %s%s\n", res.Cells, res.Correct, 100*res.Accuracy(), res.Extra, len(res.Diffs), name, note)
		if o.diffs {
			for _, d := range res.Diffs {
				fmt.Fprintf(tw, "\t\t\t\t\t     %s: got %s, want %s\n", d.Addr, d.Got, d.Want)
			}
		}
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n%d documents scored (%d exact), %d cells, %d correct: cell accuracy %.2f%%; %d extra cells\n",
		total.Documents, total.Exact, total.Cells, total.Correct, 100*total.Accuracy(), total.Extra)
	if len(unscored) > 0 {
		fmt.Fprintf(stdout, "%d documents have no expected record and were not scored\n", len(unscored))
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d documents could not be scored", failed)
	case total.Accuracy() < o.min:
		return fmt.Errorf("cell accuracy %.2f%% is below --min-accuracy %.2f%%", 100*total.Accuracy(), 100*o.min)
	}
	return nil
}
