package main

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/sampleportal"
)

// attachmentPortal is the end-to-end portal with about a third of the reports
// published only as a .docx or .xlsx attachment of an article page saying "详见附件".
var attachmentPortal = func() sampleportal.Config {
	c := e2ePortal
	c.AttachmentRate = 0.3
	return c
}()

// TestRunOnceAttachments crawls a portal where many reports are published only as
// attachments with `run --once`: the crawler must follow the article pages to the
// files, the extractor read the files and reject the pages, and ClickHouse hold
// every report's cells, metadata and findings as generated — those of the
// attachments as the files state them.
func TestRunOnceAttachments(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs clickhouse-server")
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	portal, base, sitesFile := servePortal(t, attachmentPortal)
	expected := portal.Expected(base)
	notices := portal.Notices(base)

	formats := map[string]int{}
	dated := map[bool]int{}
	attached := 0
	for _, e := range expected {
		if a := e.Attachment; a != nil {
			attached++
			formats[a.Format]++
			dated[a.Dated]++
		}
	}
	pages := 0
	for _, n := range notices {
		if n.Attachment != "" {
			pages++
		}
	}
	t.Logf("%d reports, %d published as attachments (%v; %d dated, %d not), %d non-report pages (%d linking an attachment)",
		len(expected), attached, formats, dated[true], dated[false], len(notices), pages)
	if formats[sampleportal.FormatDocx] == 0 || formats[sampleportal.FormatXLSX] == 0 || dated[true] == 0 || dated[false] == 0 {
		t.Fatalf("the portal must have .docx and .xlsx attachments, dated and not: %v, %v", formats, dated)
	}
	if pages != attached {
		t.Fatalf("%d article pages link an attachment, want one per attachment (%d)", pages, attached)
	}

	config := writeRunConfig(t, srv.DSN(""), db, sitesFile)
	summary := runOnce(t, config)
	t.Logf("run --once:\n%s", summary)
	for label, want := range map[string]int{
		"sites crawled":      attachmentPortal.Sites,
		"documents fetched":  len(expected) + len(notices), // report pages, article pages, notices, files
		"documents parsed":   len(expected),
		"documents rejected": len(notices),
		"records loaded":     len(expected),
		"dead letters":       0,
	} {
		if got := summaryCount(t, summary, label); got != want {
			t.Errorf("summary %q = %d, want %d", label, got, want)
		}
	}
	m := regexp.MustCompile(`(?m)^documents fetched\s+\d+\s+\((\d+) report pages, (\d+) attachments\)`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("summary has no documents fetched line with attachments:\n%s", summary)
	}
	if got := atoi(m[2]); got != attached {
		t.Errorf("summary: %d attachments fetched, want the %d served", got, attached)
	}
	if got := atoi(m[1]); got != len(expected)-attached+len(notices) {
		t.Errorf("summary: %d report pages fetched, want %d", got, len(expected)-attached+len(notices))
	}

	ctx := context.Background()
	conn := openDB(t, srv.DSN(""))

	// Cell by cell, every report: those printed on pages and, above all, those
	// read from the attached files.
	got := loadedCells(t, ctx, conn, db)
	cells, wrong, attachCells := 0, 0, 0
	for _, e := range expected {
		want := expectedCells(e.Record)
		have := got[e.Record.Meta.DocID]
		delete(got, e.Record.Meta.DocID)
		if e.Attachment != nil {
			attachCells += len(want)
			if len(have) == 0 {
				t.Errorf("%s (%s attachment of %s): no cells loaded", e.Path, e.Attachment.Format, e.Attachment.PagePath)
				wrong += len(want)
				continue
			}
		}
		for addr, w := range want {
			cells++
			if h, ok := have[addr]; !ok || h != w {
				if wrong++; wrong <= 10 {
					t.Errorf("%s [%s] %s: loaded %q, generated %q", e.Path, e.Layout, addr, h, w)
				}
			}
		}
		for addr, h := range have {
			if _, ok := want[addr]; !ok {
				if wrong++; wrong <= 10 {
					t.Errorf("%s [%s] %s: loaded %q, not generated", e.Path, e.Layout, addr, h)
				}
			}
		}
	}
	for doc := range got {
		t.Errorf("cells loaded for document %s that is not a generated report", doc)
	}
	t.Logf("%d cells compared (%d of them from attachments), %d wrong", cells, attachCells, wrong)

	// The report rows carry what each document states: for an attachment, its
	// title's body and year, and its signature's date or none.
	var wantMeta, wantFindings, wantRejected []string
	for _, e := range expected {
		r := e.Record
		wantMeta = append(wantMeta, strings.Join([]string{r.Meta.DocID, r.Meta.SourceURL, r.Meta.Body, strconv.Itoa(r.Meta.Year),
			string(r.Meta.Level), r.Meta.Region.Province, r.Meta.Region.City, r.Meta.Region.County, r.Meta.Region.Code,
			string(r.Template), r.Meta.PublishedAt}, "|"))
		for _, f := range r.Findings {
			wantFindings = append(wantFindings, strings.Join([]string{r.Meta.DocID, string(f.Rule), string(f.Status), f.Scope}, "|"))
		}
	}
	slices.Sort(wantMeta)
	diffSets(t, "reports", wantMeta, queryStrings(t, ctx, conn,
		"SELECT doc_id, source_url, body, toString(year), level, province, city, county, region_code, template, "+
			"ifNull(toString(published_date), '') FROM "+db+".reports_current"))
	diffSets(t, "findings", wantFindings, queryStrings(t, ctx, conn,
		"SELECT doc_id, rule, status, scope FROM "+db+".findings_current"))

	// The notices and the article pages that only link a file are rejected as no
	// report; every file is parsed.
	for _, n := range notices {
		wantRejected = append(wantRejected, n.DocID+"|"+string(n.Reason))
	}
	diffSets(t, "rejected documents", wantRejected, queryStrings(t, ctx, conn,
		"SELECT doc_id, reason FROM "+db+".raw_documents_current WHERE status = 'rejected'"))
	// Every report is a parsed raw document at the URL it was read from: the file's,
	// for an attachment. (A record does not say whether it came from a page or an
	// attachment, so the loader leaves the kind of parsed documents empty.)
	var wantParsed []string
	for _, e := range expected {
		wantParsed = append(wantParsed, e.Record.Meta.DocID+"|"+e.URL)
	}
	slices.Sort(wantParsed)
	diffSets(t, "documents parsed", wantParsed, queryStrings(t, ctx, conn,
		"SELECT doc_id, url FROM "+db+".raw_documents_current WHERE status = 'parsed'"))
}
