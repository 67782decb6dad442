package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/warehouse"
)

// alertsCmd lists alerts from the warehouse.
type alertsCmd struct {
	m        *Main
	config   string
	status   string
	rules    string
	severity string
	province string
	body     string
	year     int
	since    string
	limit    int
	format   string
	lang     string
}

func newAlertsCmd(m *Main) *alertsCmd { return &alertsCmd{m: m} }

func (c *alertsCmd) flags() *flag.FlagSet {
	fs := newFlagSet("alerts", "[--config FILE] [--status open|resolved|all] [--rule R,…] [--severity S] [--province P] [--body TEXT] [--year Y] [--since D] [--limit N] [--format table|tsv|json] [--lang zh|en]",
		"List alerts (alerts_current), newest first: open ones unless --status says otherwise.")
	fs.StringVar(&c.config, "config", "configs/govreport.yaml", "configuration `file`")
	fs.StringVar(&c.status, "status", "open", "`status`: open, resolved or all")
	fs.StringVar(&c.rules, "rule", "", "only these `rules`, comma-separated (R1, R5, jump, copy, missing, …)")
	fs.StringVar(&c.severity, "severity", "", "only this `severity`: error, warning or info")
	fs.StringVar(&c.province, "province", "", "only bodies of this `province` (吉林省)")
	fs.StringVar(&c.body, "body", "", "only bodies whose name contains `text`")
	fs.IntVar(&c.year, "year", 0, "only this report `year`")
	fs.StringVar(&c.since, "since", "", "only alerts raised since a `date` (2026-01-31) or for a duration (72h)")
	fs.IntVar(&c.limit, "limit", 50, "at most `n` alerts (0: all)")
	fs.StringVar(&c.format, "format", "table", "output `format`: table, tsv or json (one alert a line)")
	fs.StringVar(&c.lang, "lang", "zh", "message `language`: zh or en")
	return fs
}

// alertsQuery builds the listing's query and its arguments from the filters.
func (c *alertsCmd) alertsQuery(now time.Time) (string, []any, error) {
	var where []string
	var args []any
	switch c.status {
	case "open", "resolved":
		where, args = append(where, "status = ?"), append(args, c.status)
	case "all":
	default:
		return "", nil, usageError{fmt.Sprintf("--status %q: want open, resolved or all", c.status)}
	}
	if c.rules != "" {
		var rs []string
		for _, r := range strings.Split(c.rules, ",") {
			if r = strings.TrimSpace(r); r != "" {
				rs = append(rs, "?")
				args = append(args, r)
			}
		}
		where = append(where, "rule IN ("+strings.Join(rs, ", ")+")")
	}
	switch c.severity {
	case "":
	case "error", "warning", "info":
		where, args = append(where, "severity = ?"), append(args, c.severity)
	default:
		return "", nil, usageError{fmt.Sprintf("--severity %q: want error, warning or info", c.severity)}
	}
	if c.province != "" {
		where, args = append(where, "province = ?"), append(args, c.province)
	}
	if c.body != "" {
		where, args = append(where, "position(body, ?) > 0"), append(args, c.body)
	}
	if c.year != 0 {
		if c.year < 1900 || c.year > 2100 {
			return "", nil, usageError{fmt.Sprintf("--year %d out of range", c.year)}
		}
		where, args = append(where, "year = ?"), append(args, c.year)
	}
	if c.since != "" {
		t, err := parseSince(c.since, now)
		if err != nil {
			return "", nil, usageError{err.Error()}
		}
		where, args = append(where, "raised_at >= toDateTime(?, 'UTC')"), append(args, t.UTC().Format(time.DateTime))
	}
	if c.limit < 0 {
		return "", nil, usageError{"--limit must not be negative"}
	}
	msg := "message_zh"
	switch c.lang {
	case "zh":
	case "en":
		msg = "message_en"
	default:
		return "", nil, usageError{fmt.Sprintf("--lang %q: want zh or en", c.lang)}
	}
	cols := "raised_at, rule, severity, status, body, year, province, county, " + msg + " AS message, source_url"
	if c.format == "json" {
		cols = "alert_id, alert_key, raised_at, resolved_at, rule, severity, status, doc_id, body, year, level, province, city, county, township, region_code, township_code, source_url, scope, cells, cell_values, related_doc_ids, related_urls, evidence, message_zh, message_en"
	}
	q := "SELECT " + cols + " FROM alerts_current"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY raised_at DESC, alert_id"
	if c.limit > 0 {
		q += " LIMIT " + strconv.Itoa(c.limit)
	}
	return q, args, nil
}

// parseSince reads a date (2006-01-02, in UTC) or a duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date (2026-01-31) or a positive duration (72h)", s)
}

func (c *alertsCmd) run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{"alerts takes no arguments (filters are flags)"}
	}
	if c.format != "table" && c.format != "tsv" && c.format != "json" {
		return usageError{fmt.Sprintf("unknown format %q", c.format)}
	}
	q, qargs, err := c.alertsQuery(time.Now())
	if err != nil {
		return err
	}
	cfg, err := LoadConfig(c.config)
	if err != nil {
		return err
	}
	logCfg := cfg.Log
	if logCfg.Level == "info" || logCfg.Level == "debug" {
		logCfg.Level = "warn"
	}
	p, err := startPipeline(ctx, cfg, resolve(compClickHouse), newLogger(logCfg, c.m.Stderr), nil)
	if err != nil {
		return err
	}
	defer p.close(context.Background())
	res, err := warehouse.Query(ctx, p.conn, q, qargs...)
	if err != nil {
		return err
	}
	switch c.format {
	case "tsv":
		return res.WriteTSV(c.m.Stdout)
	case "json":
		return writeJSONLines(c.m.Stdout, res)
	}
	if len(res.Rows) == 0 {
		fmt.Fprintf(c.m.Stdout, "no %s alerts\n", strings.TrimPrefix(c.status, "all"))
		return nil
	}
	return res.WriteTable(c.m.Stdout)
}

// writeJSONLines writes each row as a JSON object of its columns' text.
func writeJSONLines(w io.Writer, res *warehouse.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, row := range res.Rows {
		obj := make(map[string]any, len(row))
		for j, col := range res.Columns {
			if res.IsNull(i, j) {
				obj[col] = nil
				continue
			}
			obj[col] = row[j]
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}
