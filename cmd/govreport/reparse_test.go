package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
)

func TestReparseFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--site", "a", "--province", "22"}, "exclude each other"},
		{[]string{"--province", "jl"}, "not a 2-digit province code"},
		{[]string{"--since", "last week"}, "not a date"},
		{[]string{"--name", "extractor"}, "not the extractor's own consumer"},
		{[]string{"--name", "a b"}, "letters, digits"},
		{[]string{"extra"}, "takes no arguments"},
	} {
		_, _, err := run(t, append([]string{"reparse"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("reparse %v: %v, want %q", c.args, err, c.want)
		}
	}
}

// TestReparse replays what the embedded NATS of a data directory archived.
func TestReparse(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := bus.Open(ctx, bus.DefaultConfig(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(repoFile("extractor/testdata/seeds/000_649a0d222900ab96.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for i, site := range []rawdoc.Site{{ID: "dehui", Code: "220183"}, {ID: "bj", Code: "110000"}} {
		doc, _ := rawdoc.New(fmt.Sprintf("http://example.gov.cn/%d.txt", i), body, time.Now())
		doc.Site, doc.ContentType = site, "text/plain; charset=utf-8"
		if _, err := b.PublishRaw(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	b.Close()
	config := filepath.Join(dir, "govreport.yaml")
	if err := os.WriteFile(config, []byte(fmt.Sprintf("data_dir: %s\nlog: {level: warn}\nmetrics: {listen: \"\"}\n", data)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(t, "reparse", "--config", config, "--province", "22")
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(out, "reparsed 1 documents with parser ") || !strings.Contains(out, ": 1 records, 0 rejected") {
		t.Errorf("output %q", out)
	}
	out, stderr, err = run(t, "reparse", "--config", config)
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(out, "reparsed 2 documents") {
		t.Errorf("output %q", out)
	}
}
