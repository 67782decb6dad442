package dashboard

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestReportCells(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	d, err := s.reportData(context.Background(), LangZH, "d4")
	if err != nil {
		t.Fatal(err)
	}
	if d.Body != "石家庄市长安区人民政府" || d.Year != 2023 || d.Template != "2021" {
		t.Fatalf("meta %+v", d)
	}
	byAddr := map[string]cellView{}
	for _, r := range d.AppRows {
		for _, c := range r.Cells {
			byAddr[c.Addr] = c
		}
	}
	// The fixture's states, and R1 (violated) on the three cells it read; R3
	// (unassessable) involves the text cell but does not mark it violated.
	cases := []struct {
		addr, state, text string
		violated          bool
		findings          string
		byPosition        bool
	}{
		{"new_received.natural_person", stateNumber, "7", true, "f0", false},
		{"new_received.commercial", stateBlank, "", true, "f0", false},
		{"new_received.total", stateNumber, "10", true, "f0", false},
		{"granted.total", stateNumber, "5", false, "", true},
		{"unable.not_held.total", stateText, "无", false, "f1", false},
		{"total.total", stateNumber, "5", false, "f1", false},
		{"carried_forward.total", stateMissing, "", false, "", false},
		{"carried_over.total", stateMissing, "", false, "", false}, // absent from the table
	}
	for _, c := range cases {
		got, ok := byAddr[c.addr]
		if !ok {
			t.Errorf("%s: not in the table", c.addr)
			continue
		}
		if got.State != c.state || got.Text != c.text || got.Violated != c.violated || got.Findings != c.findings || got.ByPosition != c.byPosition {
			t.Errorf("%s: got %+v, want state %s text %q violated %v findings %q position %v", c.addr, got, c.state, c.text, c.violated, c.findings, c.byPosition)
		}
	}
	// Template 2021 prints the three 其他处理 rows, not the 2019 one.
	if _, ok := byAddr["other.total"]; ok {
		t.Error("2021 report shows the 2019 row 其他处理")
	}
	if len(d.Findings) != 2 || d.Findings[0].Rule != "R1" || d.Findings[0].LHS != "7" || d.Findings[0].RHS != "10" {
		t.Errorf("findings %+v", d.Findings)
	}
	if len(d.Alerts) != 1 || d.Alerts[0].Rule != "R1" {
		t.Errorf("open alerts %+v", d.Alerts)
	}
}

func TestReportPage(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	code, body := get(t, s.Handler(), "/report/d4")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	body = strings.ReplaceAll(body, "&#43;", "+") // html/template escapes +
	for _, want := range []string{
		`class="cell-number finding" data-cell="new_received.total" data-state="number" data-findings="f0" title="10">10</td>`,
		`data-cell="unable.not_held.total" data-state="text" data-findings="f1" title="无">无</td>`,
		`class="cell-number cell-position" data-cell="granted.total"`,
		`data-finding="f0" data-rule="R1" data-status="violated"`,
		"（三）不予公开", "结果纠正", "http://hb.example/caz-2023.html",
		"没有存档副本", // no NATS in this test
		"一、本年新收政府信息公开申请数量：本年新收 + 上年结转 应等于 办理结果总计 + 结转下年度，实际为 7 ≠ 10。",
		"（七）总计", "有文字或缺失的单元格，无法校验",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	code, body = get(t, s.Handler(), "/report/d4?lang=en")
	body = strings.ReplaceAll(body, "&#43;", "+")
	if code != http.StatusOK || !strings.Contains(body, "I. New requests this year") || !strings.Contains(body, "Corrected") ||
		!strings.Contains(body, "I. New requests this year: new + carried over should equal processed + carried forward; found 7 ≠ 10.") {
		t.Errorf("English page: status %d", code)
	}
	for _, p := range []string{"/report/nope", "/report/bad%20id", "/report/d4/archive/x"} {
		if code, _ := get(t, s.Handler(), p); code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, code)
		}
	}
	if code, _ := get(t, s.Handler(), "/report/d4/archive"); code != http.StatusServiceUnavailable {
		t.Errorf("archive without NATS: status %d, want 503", code)
	}
}
