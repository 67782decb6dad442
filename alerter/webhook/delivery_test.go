package webhook

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// drive advances the fake clock to each timer the endpoint waits on until done
// says the delivery is over.
func drive(t *testing.T, clk *fakeClock, done func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		eventually(t, "the endpoint to finish or wait", func() bool { return done() || clk.Waiters() > 0 })
		if done() {
			return
		}
		clk.Advance(clk.NextDeadline().Sub(clk.Now()))
	}
	t.Fatal("delivery did not finish in 100 steps")
}

// refusedURL is an address nobody listens on.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestFailures drives one alert through a failing receiver of each kind and
// checks requests, retries and the verdict; no log line may carry a credential.
func TestFailures(t *testing.T) {
	seq := func(answers ...[2]any) answer {
		return func(n int, _ *received) (int, string) {
			if n >= len(answers) {
				n = len(answers) - 1
			}
			return answers[n][0].(int), answers[n][1].(string)
		}
	}
	cases := []struct {
		name        string
		format      Format
		reply       answer // nil: connection refused
		tweak       func(*Endpoint)
		wantReqs    int
		wantSent    float64
		wantRetries float64
		wantFailed  string // failure reason, "" when delivered
	}{
		{name: "500 then 200", format: FormatJSON, reply: seq([2]any{500, "oops"}, [2]any{200, ""}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "502 503 504 then 200", format: FormatJSON, reply: seq([2]any{502, ""}, [2]any{503, ""}, [2]any{504, ""}, [2]any{204, ""}),
			wantReqs: 4, wantSent: 1, wantRetries: 3},
		{name: "500 always", format: FormatJSON, reply: seq([2]any{500, ""}),
			wantReqs: 4, wantRetries: 3, wantFailed: "server_error"},
		{name: "400 is permanent", format: FormatJSON, reply: seq([2]any{400, `{"error":"bad"}`}),
			wantReqs: 1, wantFailed: "client_error"},
		{name: "404 is permanent", format: FormatWeCom, reply: seq([2]any{404, ""}),
			wantReqs: 1, wantFailed: "client_error"},
		{name: "redirect is refused", format: FormatJSON, reply: seq([2]any{302, ""}),
			wantReqs: 1, wantFailed: "client_error"},
		{name: "429 then 200", format: FormatJSON, reply: seq([2]any{429, ""}, [2]any{200, ""}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "dingtalk rate limited then ok", format: FormatDingTalk,
			reply:    seq([2]any{200, `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`}, [2]any{200, okDingTalk}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "dingtalk busy then ok", format: FormatDingTalk,
			reply:    seq([2]any{200, `{"errcode":-1,"errmsg":"系统繁忙"}`}, [2]any{200, okDingTalk}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "dingtalk sign mismatch", format: FormatDingTalk,
			reply:    seq([2]any{200, `{"errcode":310000,"errmsg":"sign not match"}`}),
			wantReqs: 1, wantFailed: "vendor_error"},
		{name: "dingtalk garbage body", format: FormatDingTalk, reply: seq([2]any{200, `<html>proxy</html>`}),
			tweak: func(e *Endpoint) { e.MaxRetries = 1 }, wantReqs: 2, wantRetries: 1, wantFailed: "bad_response"},
		{name: "wecom rate limited then ok", format: FormatWeCom,
			reply:    seq([2]any{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`}, [2]any{200, okWeCom}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "wecom content too long", format: FormatWeCom,
			reply:    seq([2]any{200, `{"errcode":40058,"errmsg":"markdown.content exceed max length 4096"}`}),
			wantReqs: 1, wantFailed: "vendor_error"},
		{name: "feishu rate limited then ok", format: FormatFeishu,
			reply:    seq([2]any{400, `{"code":99991400,"msg":"request trigger frequency limit"}`}, [2]any{200, okFeishu}),
			wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "feishu bad signature", format: FormatFeishu,
			reply:    seq([2]any{200, `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`}),
			wantReqs: 1, wantFailed: "vendor_error"},
		{name: "feishu old answer", format: FormatFeishu,
			reply:    seq([2]any{200, `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`}),
			wantReqs: 1, wantSent: 1},
		{name: "hanging receiver", format: FormatDingTalk, reply: seq([2]any{0, ""}),
			tweak: func(e *Endpoint) { e.Timeout = 50 * time.Millisecond; e.MaxRetries = 1 }, wantReqs: 2, wantRetries: 1, wantFailed: "timeout"},
		{name: "hanging then ok", format: FormatFeishu, reply: seq([2]any{0, ""}, [2]any{200, okFeishu}),
			tweak: func(e *Endpoint) { e.Timeout = 50 * time.Millisecond }, wantReqs: 2, wantSent: 1, wantRetries: 1},
		{name: "connection refused", format: FormatDingTalk, reply: nil,
			tweak: func(e *Endpoint) { e.MaxRetries = 2 }, wantReqs: 3, wantRetries: 2, wantFailed: "network"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			var rc *receiver
			base := refusedURL(t)
			if tc.reply != nil {
				rc = newReceiver(t, clk, tc.reply)
				base = rc.srv.URL
			}
			ep := testEndpoint("ep", tc.format, base)
			if tc.format != FormatWeCom {
				ep.Secret = testSecret
			}
			if tc.tweak != nil {
				tc.tweak(&ep)
			}
			r := start(t, Config{Endpoints: []Endpoint{ep}, FlushTimeout: time.Second}, clk)
			if err := r.d.Send(context.Background(), testAlerts(1)); err != nil {
				t.Fatal(err)
			}
			done := func() bool {
				return r.counter("govreport_alerter_webhook_sent_total")+r.counter("govreport_alerter_webhook_failed_total") > 0
			}
			drive(t, clk, done)
			// Nothing more happens however long we wait: not retried forever.
			clk.Advance(24 * time.Hour)
			if rc != nil {
				settle(rc)
			}
			if got := r.counter("govreport_alerter_webhook_requests_total"); got != float64(tc.wantReqs) {
				t.Errorf("%v requests, want %d", got, tc.wantReqs)
			}
			if rc != nil && rc.count() != tc.wantReqs {
				t.Errorf("receiver got %d requests, want %d", rc.count(), tc.wantReqs)
			}
			if got := r.counter("govreport_alerter_webhook_sent_total"); got != tc.wantSent {
				t.Errorf("sent %v, want %v", got, tc.wantSent)
			}
			if got := r.counter("govreport_alerter_webhook_retries_total"); got != tc.wantRetries {
				t.Errorf("retries %v, want %v", got, tc.wantRetries)
			}
			if tc.wantFailed != "" {
				if got := r.counter("govreport_alerter_webhook_failed_total", "reason", tc.wantFailed); got != 1 {
					t.Errorf("failed{reason=%s} = %v, want 1", tc.wantFailed, got)
				}
				if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "failed"); got != 1 {
					t.Errorf("alerts failed %v, want 1", got)
				}
			} else if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "delivered"); got != 1 {
				t.Errorf("alerts delivered %v, want 1", got)
			}
			r.stop()
			logs := r.log.String()
			assertNoSecrets(t, "log", logs)
			if tc.wantFailed != "" && !strings.Contains(logs, `"reason":"`+tc.wantFailed+`"`) {
				t.Errorf("the failure is not logged with its reason:\n%s", logs)
			}
			if !strings.Contains(logs, redacted) {
				t.Errorf("the log does not name the endpoint's redacted URL:\n%s", logs)
			}
		})
	}
}

// TestRateLimitedWaits checks when a rate-limited message is retried: after the
// endpoint's rate_limited_wait (DingTalk: 10 minutes), or after the
// receiver's Retry-After.
func TestRateLimitedWaits(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		first  func(n int, _ *received) (int, string)
		want   time.Duration
	}{
		{"dingtalk 130101", FormatDingTalk, func(n int, _ *received) (int, string) {
			if n == 0 {
				return 200, `{"errcode":130101,"errmsg":"send too fast"}`
			}
			return 200, okDingTalk
		}, 10 * time.Minute},
		{"json 429 retry-after", FormatJSON, nil, 7 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			reply := tc.first
			var rc *receiver
			if reply == nil {
				// Retry-After needs a header: a receiver of its own.
				rc = newReceiverWithHeader(t, clk, "Retry-After", "7")
			} else {
				rc = newReceiver(t, clk, reply)
			}
			ep := testEndpoint("ep", tc.format, rc.srv.URL)
			r := start(t, Config{Endpoints: []Endpoint{ep}}, clk)
			t0 := clk.Now()
			if err := r.d.Send(context.Background(), testAlerts(1)); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the wait", func() bool { return rc.count() == 1 && clk.Waiters() == 1 })
			if got := clk.NextDeadline().Sub(t0); got != tc.want {
				t.Fatalf("retry after %v, want %v", got, tc.want)
			}
			clk.Advance(tc.want - time.Second)
			settle(rc)
			if rc.count() != 1 {
				t.Fatalf("retried %v early", time.Second)
			}
			clk.Advance(time.Second)
			eventually(t, "delivery", func() bool { return r.counter("govreport_alerter_webhook_sent_total") == 1 })
			if got := rc.requests()[1].at.Sub(t0); got != tc.want {
				t.Errorf("second request at +%v, want +%v", got, tc.want)
			}
		})
	}
}

// TestRedactURL checks what a logged URL keeps.
func TestRedactURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://oapi.dingtalk.com/robot/send?access_token=" + testToken, "https://oapi.dingtalk.com/robot/send?access_token=REDACTED"},
		{"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x%2B", "https://oapi.dingtalk.com/robot/send?access_token=REDACTED&timestamp=REDACTED&sign=REDACTED"},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + testHookID, "https://qyapi.weixin.qq.com/cgi-bin/webhook/REDACTED?key=REDACTED"},
		{"https://open.feishu.cn/open-apis/bot/v2/hook/" + testHookID, "https://open.feishu.cn/open-apis/bot/v2/hook/REDACTED"},
		{"https://hooks.example.org/services/T0001/B0002/" + testToken, "https://hooks.example.org/services/T0001/B0002/REDACTED"},
		{"https://user:pw@example.org/alerts#frag", "https://REDACTED@example.org/alerts#REDACTED"},
		{"http://127.0.0.1:8080/alerts", "http://127.0.0.1:8080/alerts"},
		{"::not a url", "<url not shown>"},
		{"", "<url not shown>"},
	}
	for _, c := range cases {
		if got := redactURL(c.in); got != c.want {
			t.Errorf("redactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestScrubber checks that errors quoting a signed URL lose its credentials.
func TestScrubber(t *testing.T) {
	raw := "https://oapi.dingtalk.com/robot/send?access_token=" + testToken
	s := newScrubber(raw, testSecret)
	signed := raw + "&timestamp=1709285400000&sign=abc%2Bdef"
	err := s.err(&url.Error{Op: "Post", URL: signed, Err: errors.New("dial tcp: connection refused")})
	assertNoSecrets(t, "error", err.Error())
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("the cause is lost: %v", err)
	}
	text := "secret " + testSecret + " in " + raw
	assertNoSecrets(t, "text", s.clean(text))
	if got := s.clean("nothing to hide"); got != "nothing to hide" {
		t.Errorf("clean changed plain text: %q", got)
	}
}
