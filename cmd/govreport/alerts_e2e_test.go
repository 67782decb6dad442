package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter"
	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
)

// TestCrossReportAlertsEndToEnd crawls a two-year portal with one of each planted
// cross-report anomaly through the whole pipeline: the cross-report rules raise
// exactly those alerts (with the planted cells, bodies and documents) and nothing
// else; a second evaluation and a restarted pipeline raise nothing again.
func TestCrossReportAlertsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs clickhouse-server")
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	cfg := sampleportal.DefaultConfig()
	cfg.Seed, cfg.Sites, cfg.ReportsPerSite, cfg.Years = 2, 12, 48, []int{2021, 2022}
	cfg.NoticesPerSite, cfg.ListPageSize = 0, 20
	cfg.HistoryAnomalies = true
	portal, base, sitesFile := servePortal(t, cfg)
	planted := portal.ExpectedHistory(base)
	if len(planted) != 5 {
		t.Fatalf("%d planted history anomalies, want 5", len(planted))
	}
	var want []string
	for _, h := range planted {
		switch h.Rule {
		case sampleportal.PlantedCarryOver:
			for _, c := range h.Cols {
				want = append(want, fmt.Sprintf("%s|%s|%d|col:%s|%s", h.Rule, h.Body, h.Year, c, h.DocID))
			}
		case sampleportal.PlantedJump, sampleportal.PlantedPeerOutlier:
			want = append(want, fmt.Sprintf("%s|%s|%d|received|%s", h.Rule, h.Body, h.Year, h.DocID))
		case sampleportal.PlantedCopy:
			want = append(want, fmt.Sprintf("%s|%s|%d|tables|%s|%s", h.Rule, h.Body, h.Year, h.DocID, h.OriginalID))
		case sampleportal.PlantedMissing:
			want = append(want, fmt.Sprintf("%s|%s|%d|report|%s", h.Rule, h.Body, h.Year, h.DocID))
		default:
			t.Fatalf("unknown planted anomaly %q", h.Rule)
		}
	}
	slices.Sort(want)

	config := writeRunConfig(t, srv.DSN(""), db, sitesFile)
	summary := runOnce(t, config)
	t.Logf("run --once:\n%s", summary)
	ctx := context.Background()
	conn := openDB(t, srv.DSN(db))
	crossQuery := "SELECT concat(rule, '|', body, '|', toString(year), '|', scope, '|', doc_id, " +
		"if(rule = 'copy', concat('|', related_doc_ids[1]), '')) FROM " + db + ".alerts_current " +
		"WHERE status = 'open' AND rule NOT IN " + perReportRules
	diffSets(t, "cross-report alerts", want, queryStrings(t, ctx, conn, crossQuery))
	if n := summaryCount(t, summary, "cross-report rules"); n != len(want) {
		t.Errorf("summary: cross-report rules found %d, want %d", n, len(want))
	}
	// Every alert names its evidence — cells with values (a copy: the original
	// document) — in both languages, with a link.
	bad := queryStrings(t, ctx, conn, "SELECT concat(rule, ' ', body) FROM "+db+".alerts_current "+
		"WHERE rule NOT IN "+perReportRules+" AND (message_zh = '' OR message_en = '' OR source_url = '' "+
		"OR length(cells) != length(cell_values) "+
		"OR (rule NOT IN ('missing', 'copy') AND length(cells) = 0) OR (rule = 'copy' AND length(related_doc_ids) = 0))")
	if len(bad) > 0 {
		t.Errorf("alerts without their evidence: %v", bad)
	}

	// Another evaluation, as a separate command over the same state: nothing new.
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr}
	if err := m.Run(ctx, []string{"alert", "--once", "--config", config, "--years", "2021,2022"}); err != nil {
		t.Fatalf("alert --once: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("%d alerts found, 0 raised, 0 resolved", len(want))) {
		t.Errorf("alert --once: %s", stdout.String())
	}
	// A restarted pipeline over the same data: no alert raised twice.
	countAlerts := "SELECT toString(count()) FROM " + db + ".alerts"
	before := queryStrings(t, ctx, conn, countAlerts)
	again := runOnce(t, config)
	if n := summaryCount(t, again, "alerts raised"); n != 0 {
		t.Errorf("second run raised %d alerts:\n%s", n, again)
	}
	if after := queryStrings(t, ctx, conn, countAlerts); after[0] != before[0] {
		t.Errorf("alerts rows %s after the second run, %s before", after[0], before[0])
	}
}

// TestSeed000Alerts reads the real seed 000 (德惠市岔路口镇, 2020) with the extractor
// and checks the alerts it raises: R1 and R3 on the natural-person and total
// columns, with the cells involved and the values the report printed.
func TestSeed000Alerts(t *testing.T) {
	path := repoFile("extractor/testdata/seeds/000_649a0d222900ab96.txt")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := extractor.Parse(extractor.Input{URL: "file://" + path, Body: body, ContentType: "text/plain; charset=utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := alerter.DefaultConfig()
	enabled := map[report.Rule]bool{}
	for _, r := range cfg.Rules {
		enabled[r] = true
	}
	var got []string
	for _, a := range alert.FromRecord(rec, enabled, time.Now()) {
		pairs := make([]string, len(a.Cells))
		for i, c := range a.Cells {
			pairs[i] = c + "=" + a.CellValues[i]
		}
		got = append(got, fmt.Sprintf("%s %s %s", a.Rule, a.Scope, strings.Join(pairs[:min(4, len(pairs))], " ")))
		if !strings.Contains(a.MessageZH, "德惠市岔路口镇") || !strings.Contains(a.MessageEN, "("+string(a.Rule)+")") {
			t.Errorf("%s %s messages: %q / %q", a.Rule, a.Scope, a.MessageZH, a.MessageEN)
		}
	}
	want := []string{
		"R1 col:natural_person new_received.natural_person=5 carried_over.natural_person=0 total.natural_person=0 carried_forward.natural_person=0",
		"R1 col:total new_received.total=5 carried_over.total=0 total.total=0 carried_forward.total=0",
		"R3 col:natural_person total.natural_person=0 granted.natural_person=5 partially_granted.natural_person=0 withheld.state_secret.natural_person=0",
		"R3 col:total total.total=0 granted.total=5 partially_granted.total=0 withheld.state_secret.total=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("seed 000 alerts\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// perReportRules is the SQL list of the per-report rules, for telling their alerts
// from the cross-report rules'.
var perReportRules = func() string {
	q := make([]string, len(alert.PerReportRules))
	for i, r := range alert.PerReportRules {
		q[i] = "'" + string(r) + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}()
