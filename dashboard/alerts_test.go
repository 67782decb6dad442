package dashboard

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var alertRE = regexp.MustCompile(`data-alert="([^"]*)"`)

// alertIDs returns the alerts listed on a page, in order.
func alertIDs(body string) string {
	var ids []string
	for _, m := range alertRE.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return strings.Join(ids, ",")
}

// alertRowOf returns the table row of an alert.
func alertRowOf(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `data-alert="`+id+`"`)
	if i < 0 {
		t.Fatalf("no row for alert %s", id)
	}
	return body[i : i+strings.Index(body[i:], "</tr>")]
}

func TestAlertsFilters(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	// Fixture: a1 R1 error open d4 (河北省 2023, raised 02-01), a2 jump warning open d2
	// (北京市 2023, raised 02-02), a3 R3 error resolved d1 (北京市 2022). Newest first.
	tests := []struct{ name, query, want string }{
		{"default is open", "", "a2,a1"},
		{"open", "status=open", "a2,a1"},
		{"resolved", "status=resolved", "a3"},
		{"all", "status=all", "a2,a1,a3"},
		{"rule", "rule=R1", "a1"},
		{"rule of a resolved alert", "rule=R3", ""},
		{"rule and status", "rule=R3&status=all", "a3"},
		{"severity", "severity=warning", "a2"},
		{"severity error, all", "severity=error&status=all", "a1,a3"},
		{"province", "province=北京市", "a2"},
		{"province, all", "province=北京市&status=all", "a2,a3"},
		{"year", "year=2022&status=all", "a3"},
		{"level", "level=county", "a1"},
		{"body", "body=" + url.QueryEscape("长安"), "a1"},
		{"nothing", "province=吉林省", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := get(t, h, "/alerts?"+tc.query)
			if code != http.StatusOK {
				t.Fatalf("status %d\n%s", code, body)
			}
			if got := alertIDs(body); got != tc.want {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAlertsPage(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	code, body := get(t, h, "/alerts")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	a1 := alertRowOf(t, body, "a1")
	for _, want := range []string{
		`class="text sev-error"`, `<a href="/report/d4">石家庄市长安区人民政府</a>`, "R1 收支平衡", "各类申请人之和为7，总计为10。",
		"<code>new_received.natural_person</code> = <b>7</b>", "<code>new_received.total</code> = <b>10</b>",
		"2024-02-01 11:00:00 UTC", `href="http://hb.example/caz-2023.html"`, "河北省 石家庄市 长安区", "<td>2023</td>",
	} {
		if !strings.Contains(a1, want) {
			t.Errorf("a1's row lacks %q:\n%s", want, a1)
		}
	}
	a2 := alertRowOf(t, body, "a2")
	for _, want := range []string{`class="text sev-warning"`, `<a href="/report/d2">`, "较往年突变", "<b>120</b>"} {
		if !strings.Contains(a2, want) {
			t.Errorf("a2's row lacks %q:\n%s", want, a2)
		}
	}
	// Counts by rule of the open alerts: R1 1 and jump 1, with links that keep the filter.
	for _, want := range []string{`data-rule-count="R1">1<`, `data-rule-count="jump">1<`, `href="/alerts?rule=jump"`, `id="chart-rules"`, "共 2 条预警"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `data-rule-count="R3"`) {
		t.Error("the resolved R3 alert is counted among the open ones")
	}
	// The counts leave the rule out of the filter, and keep the rest.
	_, body = get(t, h, "/alerts?rule=R1&status=all")
	for _, want := range []string{`data-rule-count="R1">1<`, `data-rule-count="R3">1<`, `data-rule-count="jump">1<`, `href="/alerts?rule=R3&amp;status=all"`, "共 1 条预警"} {
		if !strings.Contains(body, want) {
			t.Errorf("rule=R1&status=all lacks %q", want)
		}
	}

	_, body = get(t, h, "/alerts?status=resolved")
	a3 := alertRowOf(t, body, "a3")
	for _, want := range []string{"已修正。", "解除时间 2024-01-25 11:00:00 UTC", `<a href="/report/d1">`} {
		if !strings.Contains(a3, want) {
			t.Errorf("a3's row lacks %q:\n%s", want, a3)
		}
	}

	_, body = get(t, h, "/alerts?lang=en")
	for _, want := range []string{"The applicant columns sum to 7, the total is 10.", "Requests jumped against the median of earlier years.", "R1 balance", ">error<", "2 alerts"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	if strings.Contains(body, "各类申请人之和为7") {
		t.Error("English page shows the Chinese message")
	}
}

func TestAlertsRelatedAndBodyless(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	execRows(t, s, `INSERT INTO ${database}.alerts (alert_id, alert_key, version, rule, severity, status, doc_id, body, year, level, province, city, county, region_code, source_url, scope, cells, cell_values, related_doc_ids, related_urls, evidence, message_zh, message_en, raised_at, resolved_at)
VALUES
('a4', 'copy/2023/石家庄市长安区人民政府/tables', 1, 'copy', 'warning', 'open', 'd4', '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', 'http://hb.example/caz-2023.html', 'cross:copy:2023', [], [], ['d3', 'd6'], ['http://hb.example/sjz-2023.html', 'http://mirror.example/sjz-2023.html'], '{}', '表格与石家庄市人民政府的年报相同。', 'Tables identical to another report.', '2024-02-03 11:00:00', NULL),
('a5', 'missing/2023/某县人民政府', 1, 'missing', 'warning', 'open', '', '某县人民政府', 2023, 'county', '河北省', '', '', '', '', 'cross:missing:2023', [], [], [], [], '', '未发布2023年度年报。', 'No report for 2023.', '2024-02-04 11:00:00', NULL)`)
	h := s.Handler()
	code, body := get(t, h, "/alerts")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	if got := alertIDs(body); got != "a5,a4,a2,a1" {
		t.Errorf("alerts %q, want a5,a4,a2,a1", got)
	}
	a4 := alertRowOf(t, body, "a4")
	for _, want := range []string{`<a href="/report/d3">d3</a>`, `<a href="/report/d6">d6</a>`, "内容雷同", `<a href="/report/d4">`} {
		if !strings.Contains(a4, want) {
			t.Errorf("a4's row lacks %q:\n%s", want, a4)
		}
	}
	// A body without a document is not a link, nor is an empty source.
	a5 := alertRowOf(t, body, "a5")
	if strings.Contains(a5, "/report/") || strings.Contains(a5, "<a ") || !strings.Contains(a5, "某县人民政府") {
		t.Errorf("a5's row:\n%s", a5)
	}
}

func TestAlertsMaxRows(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxRows = 1
	s := newTestServer(t, cfg, nil)
	h := s.Handler()
	_, body := get(t, h, "/alerts")
	if got := alertIDs(body); got != "a2" {
		t.Errorf("alerts %q, want the newest, a2", got)
	}
	for _, want := range []string{`id="alerts-truncated"`, "预警超过 1 条", "共 2 条预警"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if _, body := get(t, h, "/alerts?rule=R1"); strings.Contains(body, `id="alerts-truncated"`) || alertIDs(body) != "a1" {
		t.Errorf("one alert of one: %q, truncated notice %v", alertIDs(body), strings.Contains(body, `id="alerts-truncated"`))
	}
}

func TestAlertsBadParams(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	for _, q := range []string{"status=closed", "severity=fatal", "rule=" + url.QueryEscape("R1' OR 1"), "level=galaxy", "year=20x3",
		"rule=" + strings.Repeat("R", 41)} {
		if code, body := get(t, h, "/alerts?"+q); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400\n%s", q, code, body)
		}
	}
}

func TestParseAlertParams(t *testing.T) {
	checkParams(t, parseAlertParams, []paramCase[alertParams]{
		{"", alertParams{Status: "open"}, false},
		{"status=all&rule=peer_outlier&severity=warning&province=河北省", alertParams{Filter: Filter{Province: "河北省"}, Rule: "peer_outlier", Severity: "warning", Status: "all"}, false},
		{"rule=future_rule_7", alertParams{Rule: "future_rule_7", Status: "open"}, false},
		{"status=OPEN", alertParams{}, true},
		{"rule=a-b", alertParams{}, true},
		{"severity=critical", alertParams{}, true},
	})
}

// Every rule the alerter raises has a label and a description in both languages.
func TestAlertRuleLabels(t *testing.T) {
	for _, r := range alertRules {
		for _, lang := range []string{LangZH, LangEN} {
			if l := ruleLabel(lang, r); l == r || l == "" {
				t.Errorf("%s: no %s label", r, lang)
			}
			if ruleAbout(lang, r) == "" {
				t.Errorf("%s: no %s description", r, lang)
			}
		}
	}
	if ruleLabel(LangZH, "future_rule") != "future_rule" || ruleAbout(LangZH, "future_rule") != "" {
		t.Error("an unknown rule is not shown as its code")
	}
}
