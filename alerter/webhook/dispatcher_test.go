package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
	"github.com/prometheus/client_golang/prometheus"
)

// TestFilter routes one batch to two endpoints with different filters.
func TestFilter(t *testing.T) {
	clk := newFakeClock()
	all := newReceiver(t, clk, ok(""))
	some := newReceiver(t, clk, ok(okDingTalk))
	epAll := testEndpoint("all", FormatJSON, all.srv.URL)
	epSome := testEndpoint("some", FormatDingTalk, some.srv.URL)
	epSome.Rules = []report.Rule{report.RuleR3}
	epSome.MinSeverity = "warning"
	epSome.SendResolved = false
	r := start(t, Config{Endpoints: []Endpoint{epAll, epSome}}, clk)

	mk := func(i int, rule report.Rule, sev, status string) alert.Alert {
		a := testAlert(i)
		a.Rule, a.Severity, a.Status = rule, sev, status
		return a
	}
	batch := []alert.Alert{
		mk(0, report.RuleR1, alert.SeverityError, alert.StatusOpen),       // wrong rule
		mk(1, report.RuleR3, alert.SeverityInfo, alert.StatusOpen),        // too mild
		mk(2, report.RuleR3, alert.SeverityWarning, alert.StatusOpen),     // passes
		mk(3, report.RuleR3, alert.SeverityError, alert.StatusResolved),   // resolved, not wanted
		mk(4, report.RuleR3, alert.SeverityError, alert.StatusOpen),       // passes
		mk(5, report.RuleR3, "catastrophic", alert.StatusOpen),            // unknown severity counts as info
		mk(6, report.RuleR1, alert.SeverityWarning, alert.StatusResolved), // only for "all"
	}
	if err := r.d.Send(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	eventually(t, "deliveries", func() bool {
		return r.counter("govreport_alerter_webhook_sent_total", "endpoint", "all") == 7 &&
			r.counter("govreport_alerter_webhook_sent_total", "endpoint", "some") == 2
	})
	var got []string
	for _, req := range some.requests() {
		var b dingTalkBody
		if err := json.Unmarshal(req.body, &b); err != nil {
			t.Fatal(err)
		}
		got = append(got, b.Markdown.Title)
	}
	want := []string{"【警告 warning】R3 德惠市岔路口镇人民政府 2020年度", "【错误 error】R3 德惠市岔路口镇人民政府 2020年度"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("filtered endpoint got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if names := r.d.Endpoints(); strings.Join(names, ",") != "all,some" {
		t.Errorf("endpoints %v", names)
	}
}

// TestShutdownFlush stops a dispatcher with a message waiting for its retry
// and more queued: the flush sends both at once, and Send then refuses.
func TestShutdownFlush(t *testing.T) {
	clk := newFakeClock()
	rc := newReceiver(t, clk, func(n int, _ *received) (int, string) {
		if n == 0 {
			return 503, ""
		}
		return 200, ""
	})
	ep := testEndpoint("j", FormatJSON, rc.srv.URL)
	ep.RetryInitial, ep.RetryMax = time.Hour, time.Hour
	r := start(t, Config{Endpoints: []Endpoint{ep}, FlushTimeout: 5 * time.Second}, clk)
	if err := r.d.Send(context.Background(), testAlerts(1)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the backoff", func() bool { return rc.count() == 1 && clk.Waiters() == 1 })
	if err := r.d.Send(context.Background(), testAlerts(3)[1:]); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the queue", func() bool { return r.queued() == 2 && clk.Waiters() == 1 })
	r.stop()
	if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "delivered"); got != 3 {
		t.Errorf("delivered %v alerts at shutdown, want 3", got)
	}
	if got := r.counter("govreport_alerter_webhook_digests_total"); got != 1 {
		t.Errorf("digests %v, want 1", got)
	}
	if rc.count() != 3 {
		t.Errorf("%d requests, want 3", rc.count())
	}
	if err := r.d.Send(context.Background(), testAlerts(1)); !errors.Is(err, ErrStopped) {
		t.Errorf("Send after stop: %v, want ErrStopped", err)
	}
}

// TestShutdownWindowFull stops with an alert that the rate limit holds back: it
// is counted as failed (shutdown), not dropped silently and not sent over the
// limit.
func TestShutdownWindowFull(t *testing.T) {
	clk := newFakeClock()
	rc := newReceiver(t, clk, ok(okDingTalk))
	ep := testEndpoint("d", FormatDingTalk, rc.srv.URL)
	ep.RatePerMinute = 1
	r := start(t, Config{Endpoints: []Endpoint{ep}, FlushTimeout: time.Second}, clk)
	if err := r.d.Send(context.Background(), testAlerts(1)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first", func() bool { return r.counter("govreport_alerter_webhook_sent_total") == 1 })
	if err := r.d.Send(context.Background(), testAlerts(2)[1:]); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the window wait", func() bool { return clk.Waiters() == 1 })
	r.stop()
	if got := r.counter("govreport_alerter_webhook_failed_total", "reason", reasonShutdown); got != 1 {
		t.Errorf("failed{shutdown} %v, want 1", got)
	}
	if rc.count() != 1 {
		t.Errorf("%d requests, want 1", rc.count())
	}
	if !strings.Contains(r.log.String(), `"reason":"shutdown"`) {
		t.Errorf("not logged:\n%s", r.log.String())
	}
}

func TestRunTwice(t *testing.T) {
	d, err := New(DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Run(ctx); err == nil {
		t.Error("second Run did not fail")
	}
	if err := d.Send(ctx, testAlerts(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a done context: %v", err)
	}
}

// TestNewSecrets checks where secrets come from: the config value first, else
// secret_env, which New (not Validate) requires to be set.
func TestNewSecrets(t *testing.T) {
	ep := testEndpoint("f", FormatFeishu, "https://open.feishu.cn")
	ep.SecretEnv = "GOVREPORT_TEST_FEISHU_SECRET"
	cfg := Config{Endpoints: []Endpoint{ep}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate reads the environment: %v", err)
	}
	_, err := New(cfg, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "GOVREPORT_TEST_FEISHU_SECRET") {
		t.Fatalf("unset secret_env: %v", err)
	}
	t.Setenv("GOVREPORT_TEST_FEISHU_SECRET", testSecret)
	d, err := New(cfg, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if s := d.endpoints[0].sink.(*feishuSink).secret; s != testSecret {
		t.Errorf("secret from env %q", s)
	}
	cfg.Endpoints[0].Secret = "from-config"
	d, err = New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := d.endpoints[0].sink.(*feishuSink).secret; s != "from-config" {
		t.Errorf("config secret did not come first: %q", s)
	}
	// Registering twice on one registry fails cleanly.
	reg := prometheus.NewRegistry()
	if _, err := New(cfg, nil, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg, nil, reg); err == nil {
		t.Error("second registration did not fail")
	}
	if _, err := New(cfg, nil, nil, WithHTTPClient(nil)); err == nil {
		t.Error("nil client accepted")
	}
}
