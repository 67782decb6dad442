package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/warehouse"
	"gopkg.in/yaml.v3"
)

// grafanaDir is deploy/grafana.
var grafanaDir = repoFile("deploy/grafana")

// dsRef is a panel's or target's data source.
type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// grafanaTarget is a panel query: PromQL in Expr, or ClickHouse SQL in RawSQL.
type grafanaTarget struct {
	RefID      string `json:"refId"`
	Datasource *dsRef `json:"datasource"`
	Expr       string `json:"expr"`
	RawSQL     string `json:"rawSql"`
}

type grafanaPanel struct {
	ID         int             `json:"id"`
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	Datasource *dsRef          `json:"datasource"`
	Targets    []grafanaTarget `json:"targets"`
	Panels     []grafanaPanel  `json:"panels"`
}

type grafanaDashboard struct {
	UID        string         `json:"uid"`
	Title      string         `json:"title"`
	Panels     []grafanaPanel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Datasource *dsRef          `json:"datasource"`
			Query      json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	file string
}

// panels returns every panel, those inside rows included, rows left out.
func (d grafanaDashboard) panels() []grafanaPanel {
	var out []grafanaPanel
	var walk func([]grafanaPanel)
	walk = func(ps []grafanaPanel) {
		for _, p := range ps {
			if p.Type == "row" {
				walk(p.Panels)
				continue
			}
			out = append(out, p)
		}
	}
	walk(d.Panels)
	return out
}

// variableQuery is a template variable's query text (a string, or {query: …}).
func variableQuery(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var q struct {
		Query string `json:"query"`
	}
	_ = json.Unmarshal(raw, &q)
	return q.Query
}

// grafanaDatasources reads the provisioned data sources: uid → type.
func grafanaDatasources(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(grafanaDir, "provisioning/datasources/govreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name           string            `yaml:"name"`
			UID            string            `yaml:"uid"`
			Type           string            `yaml:"type"`
			URL            string            `yaml:"url"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("datasources: %v", err)
	}
	out := map[string]string{}
	for _, ds := range f.Datasources {
		out[ds.UID] = ds.Type
		switch ds.UID {
		case "prometheus":
			if ds.Type != "prometheus" || ds.URL != "http://prometheus:9090" {
				t.Errorf("prometheus data source: %+v", ds)
			}
		case "clickhouse":
			j := ds.JSONData
			if ds.Type != "grafana-clickhouse-datasource" || j["port"] != 9000 || j["protocol"] != "native" ||
				j["defaultDatabase"] != "govreport" || j["username"] != "govreport_analyst" || j["host"] == nil ||
				ds.SecureJSONData["password"] != "$GOVREPORT_CLICKHOUSE_PASSWORD" {
				t.Errorf("clickhouse data source: %+v", ds)
			}
		}
	}
	if f.APIVersion != 1 || out["prometheus"] == "" || out["clickhouse"] == "" {
		t.Errorf("want apiVersion 1 and data sources prometheus and clickhouse, got %d %v", f.APIVersion, out)
	}
	return out
}

// grafanaDashboards reads every dashboard file.
func grafanaDashboards(t *testing.T) []grafanaDashboard {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(grafanaDir, "dashboards/*.json"))
	if err != nil || len(files) != 2 {
		t.Fatalf("dashboards: %v %v, want pipeline-health.json and national-figures.json", files, err)
	}
	var out []grafanaDashboard
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d grafanaDashboard
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		d.file = filepath.Base(f)
		out = append(out, d)
	}
	return out
}

func TestGrafanaProvisioning(t *testing.T) {
	ds := grafanaDatasources(t)
	data, err := os.ReadFile(filepath.Join(grafanaDir, "provisioning/dashboards/govreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var prov struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	if err := yaml.Unmarshal(data, &prov); err != nil {
		t.Fatalf("dashboard provider: %v", err)
	}
	if prov.APIVersion != 1 || len(prov.Providers) != 1 || prov.Providers[0].Type != "file" || prov.Providers[0].Options.Path != "/var/lib/grafana/dashboards" {
		t.Errorf("dashboard provider: %+v", prov)
	}
	uids, titles := map[string]bool{}, map[string]bool{}
	for _, d := range grafanaDashboards(t) {
		if d.UID == "" || d.Title == "" || uids[d.UID] || titles[d.Title] {
			t.Errorf("%s: uid %q title %q must be set and unique", d.file, d.UID, d.Title)
		}
		uids[d.UID], titles[d.Title] = true, true
		ids := map[int]bool{}
		for _, p := range d.panels() {
			if ids[p.ID] {
				t.Errorf("%s: panel id %d twice", d.file, p.ID)
			}
			ids[p.ID] = true
			refs := []*dsRef{p.Datasource}
			for _, tg := range p.Targets {
				refs = append(refs, tg.Datasource)
			}
			for _, r := range refs {
				if r == nil || ds[r.UID] == "" || ds[r.UID] != r.Type {
					t.Errorf("%s: panel %q: data source %+v is not provisioned (%v)", d.file, p.Title, r, ds)
				}
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", d.file, p.Title)
			}
		}
		for _, v := range d.Templating.List {
			if v.Type == "query" && (v.Datasource == nil || ds[v.Datasource.UID] == "") {
				t.Errorf("%s: variable %s: data source %+v is not provisioned", d.file, v.Name, v.Datasource)
			}
		}
	}
}

var (
	promStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promRanges   = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promVars     = regexp.MustCompile(`\$\{?\w+\}?`)
	promIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
	promNumber   = regexp.MustCompile(`\b\d+(\.\d+)?([eE][-+]?\d+)?\b`)
	promLabelVal = regexp.MustCompile(`^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)`)
)

// promKeywords are PromQL words that are not metric names.
var promKeywords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"bool": true, "offset": true, "and": true, "or": true, "unless": true, "atan2": true, "inf": true, "nan": true,
}

// promMetricNames returns the metric names a PromQL expression (or a Grafana
// label_values query) reads.
func promMetricNames(expr string) []string {
	if m := promLabelVal.FindStringSubmatch(strings.TrimSpace(expr)); m != nil {
		return []string{m[1]}
	}
	s := promStrings.ReplaceAllString(expr, " ")
	s = promMatchers.ReplaceAllString(s, " ")
	s = promRanges.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promVars.ReplaceAllString(s, " ")
	s = promNumber.ReplaceAllString(s, " ")
	var out []string
	for _, m := range promIdent.FindAllStringSubmatch(s, -1) {
		name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[0]), "("))
		if m[1] != "" || promKeywords[strings.ToLower(name)] {
			continue // a function or aggregation, or a keyword
		}
		out = append(out, name)
	}
	return out
}

// unknownMetrics returns the names expr reads that are not registered: known is
// name → true, histograms the registered histograms (whose _bucket, _sum and
// _count series exist).
func unknownMetrics(expr string, known, histograms map[string]bool) []string {
	var out []string
	for _, n := range promMetricNames(expr) {
		if known[n] {
			continue
		}
		base := n
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if strings.HasSuffix(n, suf) {
				base = strings.TrimSuffix(n, suf)
			}
		}
		if base != n && histograms[base] {
			continue
		}
		out = append(out, n)
	}
	return out
}

func TestPromMetricNames(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`sum by (kind) (rate(govreport_crawler_pages_total{job=~"$job", kind!="x y"}[$__rate_interval]))`, []string{"govreport_crawler_pages_total"}},
		{`histogram_quantile(0.95, sum by (le) (rate(a_seconds_bucket[5m]))) / on (instance) group_left (version) b_info`, []string{"a_seconds_bucket", "b_info"}},
		{`label_values(govreport_build_info{job=~"$job"}, instance)`, []string{"govreport_build_info"}},
		{`up == bool 1 or vector(0)`, []string{"up"}},
	}
	for _, tt := range tests {
		if got := promMetricNames(tt.expr); !slices.Equal(got, tt.want) {
			t.Errorf("promMetricNames(%s) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

// Every metric a dashboard's PromQL names is one the binary registers.
func TestGrafanaMetricsExist(t *testing.T) {
	run := registeredMetrics(t)["run"]
	known := map[string]bool{}
	for n := range run {
		known[n] = true
	}
	histograms := map[string]bool{}
	for n, d := range docMetrics(t) {
		if d.kind == "histogram" {
			histograms[n] = true
		}
	}
	for n, typ := range gatheredTypes {
		if typ == "histogram" {
			histograms[n] = true
		}
	}
	// The check itself: a misspelt name, a histogram suffix on a counter, and a
	// name no process registers must be caught.
	checks := []struct {
		expr string
		bad  []string
	}{
		{`rate(govreport_crawler_pages_total[5m])`, nil},
		{`rate(govreport_loader_batch_seconds_bucket[5m])`, nil},
		{`rate(govreport_crawler_pagez_total[5m])`, []string{"govreport_crawler_pagez_total"}},
		{`govreport_loader_batches_total_count`, []string{"govreport_loader_batches_total_count"}},
		{`sum(govreport_run_pages_total)`, []string{"govreport_run_pages_total"}},
	}
	for _, c := range checks {
		if got := unknownMetrics(c.expr, known, histograms); !slices.Equal(got, c.bad) {
			t.Errorf("unknownMetrics(%s) = %v, want %v", c.expr, got, c.bad)
		}
	}
	exprs := 0
	for _, d := range grafanaDashboards(t) {
		for _, p := range d.panels() {
			for _, tg := range p.Targets {
				if tg.Expr == "" {
					continue
				}
				exprs++
				if len(promMetricNames(tg.Expr)) == 0 {
					t.Errorf("%s: panel %q: no metric found in %s", d.file, p.Title, tg.Expr)
				}
				if bad := unknownMetrics(tg.Expr, known, histograms); len(bad) > 0 {
					t.Errorf("%s: panel %q: %v not registered by govreport: %s", d.file, p.Title, bad, tg.Expr)
				}
			}
		}
		for _, v := range d.Templating.List {
			if v.Datasource != nil && v.Datasource.UID == "prometheus" {
				q := variableQuery(v.Query)
				if bad := unknownMetrics(q, known, histograms); len(bad) > 0 || q == "" {
					t.Errorf("%s: variable %s: %v not registered: %q", d.file, v.Name, bad, q)
				}
			}
		}
	}
	if exprs < 20 {
		t.Errorf("only %d PromQL queries found", exprs)
	}
}

// Every ClickHouse query of the dashboards runs on a migrated warehouse (18.16 here)
// with $year set, and returns the columns its panel shows.
func TestGrafanaSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("needs clickhouse-server")
	}
	want := map[string][]string{
		"年度报告数 Reports per year":                              {"report_year", "reports"},
		"各省报告数 Reports per province, $year":                   {"province", "reports"},
		"本年新收与办理 Requests received and processed per year":    {"report_year", "received", "processed"},
		"予以公开率 Granted share per year":                        {"report_year", "granted", "handled", "granted_share"},
		"办理结果构成 Outcome mix, $year":                           {"outcome", "requests"},
		"行政复议和行政诉讼纠错率 Review and litigation correction rates": {"report_year", "review_group", "all_cases", "corrected_cases", "decided_cases", "correction_share"},
		"规则不合格率 Rule failure shares, $year":                   {"rule", "failing", "checked", "failure_share"},
		"未关闭告警 Open alerts by rule":                           {"rule", "open_alerts"},
		"variable year":                                       {"year"},
	}
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)
	conn := openDB(t, srv.DSN(db))
	ctx := context.Background()
	if _, err := warehouse.Migrate(ctx, conn, db); err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{}
	for _, d := range grafanaDashboards(t) {
		for _, p := range d.panels() {
			for _, tg := range p.Targets {
				if tg.RawSQL != "" {
					queries[p.Title] = tg.RawSQL
				}
			}
		}
		for _, v := range d.Templating.List {
			if v.Datasource != nil && v.Datasource.UID == "clickhouse" {
				queries["variable "+v.Name] = variableQuery(v.Query)
			}
		}
	}
	for title := range want {
		if _, ok := queries[title]; !ok {
			t.Errorf("no ClickHouse query for %q", title)
		}
	}
	for title, sql := range queries {
		cols, ok := want[title]
		if !ok {
			t.Errorf("ClickHouse query %q is not in the test's table", title)
			continue
		}
		sql = strings.ReplaceAll(sql, "$year", "2023")
		if strings.Contains(sql, "$") {
			t.Errorf("%s: a variable other than $year: %s", title, sql)
			continue
		}
		rows, err := conn.Query(ctx, sql)
		if err != nil {
			t.Errorf("%s: %v\n%s", title, err, sql)
			continue
		}
		if got := rows.Columns(); !slices.Equal(got, cols) {
			t.Errorf("%s: columns %v, want %v", title, got, cols)
		}
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Errorf("%s: %v", title, err)
		}
		rows.Close()
	}
}
