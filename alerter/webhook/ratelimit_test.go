package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// dingTalkCount reads how many alerts a DingTalk message stands for: 1, or the
// count in a digest's title.
func dingTalkCount(t *testing.T, body []byte) (n int, digest bool) {
	t.Helper()
	var b dingTalkBody
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(b.Markdown.Title, "【摘要 digest】") {
		if _, err := fmt.Sscanf(strings.TrimPrefix(b.Markdown.Title, "【摘要 digest】"), "%d", &n); err != nil {
			t.Fatalf("digest title %q: %v", b.Markdown.Title, err)
		}
		return n, true
	}
	return 1, false
}

// maxInWindow is the most requests that arrived within any minute.
func maxInWindow(reqs []received) int {
	most := 0
	for i := range reqs {
		n := 0
		for j := range reqs {
			if !reqs[j].at.After(reqs[i].at) && reqs[j].at.After(reqs[i].at.Add(-time.Minute)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// queued is how many alerts wait in the first endpoint's queue.
func (r *run) queued() int {
	total, _ := r.d.endpoints[0].q.due()
	return total
}

// TestRateLimitDigest sends alerts to a DingTalk endpoint limited to 20 a
// minute and checks that no minute sees more than 20 requests and that every
// alert is accounted for, alone or in a digest.
func TestRateLimitDigest(t *testing.T) {
	cases := []struct {
		name  string
		n     int           // alerts sent, one per Send
		every time.Duration // fake time between them
		batch bool          // all in one Send instead
		// want is the shape of what arrives: requests, singles, digests.
		wantReqs, wantSingles int
	}{
		{name: "50 at once, one by one", n: 50, wantReqs: 21, wantSingles: 20},
		{name: "50 in one batch", n: 50, batch: true, wantReqs: 1, wantSingles: 0},
		{name: "19 in one batch", n: 19, batch: true, wantReqs: 19, wantSingles: 19},
		{name: "20 in one batch", n: 20, batch: true, wantReqs: 1, wantSingles: 0},
		{name: "200 every 1.5 s", n: 200, every: 1500 * time.Millisecond},
		{name: "100 every 4 s", n: 100, every: 4 * time.Second},
		{name: "60 every 3.1 s", n: 60, every: 3100 * time.Millisecond, wantReqs: 60, wantSingles: 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			rc := newReceiver(t, clk, ok(okDingTalk))
			ep := testEndpoint("ding", FormatDingTalk, rc.srv.URL)
			ep.Secret = testSecret
			r := start(t, Config{Endpoints: []Endpoint{ep}, FlushTimeout: time.Second}, clk)
			delivered := func() int { return int(r.counter("govreport_alerter_webhook_alerts_total", "outcome", "delivered")) }
			alerts := testAlerts(tc.n)
			if tc.batch {
				if err := r.d.Send(context.Background(), alerts); err != nil {
					t.Fatal(err)
				}
			} else {
				for i := range alerts {
					if i > 0 && tc.every > 0 {
						clk.Advance(tc.every)
					}
					if err := r.d.Send(context.Background(), alerts[i:i+1]); err != nil {
						t.Fatal(err)
					}
					// Each alert is delivered, or waits while the endpoint sleeps
					// until the window has room: the clock moves only then, so
					// the receiver stamps requests with the time they were sent.
					eventually(t, "the endpoint to settle", func() bool {
						d, q := delivered(), r.queued()
						return d+q == i+1 && (q == 0 || clk.Waiters() > 0)
					})
				}
			}
			// Let every window pass until all is delivered.
			drive(t, clk, func() bool { return delivered() == tc.n && r.queued() == 0 })
			reqs := rc.requests()
			total, singles := 0, 0
			for _, req := range reqs {
				n, digest := dingTalkCount(t, req.body)
				total += n
				if !digest {
					singles++
				}
			}
			if total != tc.n {
				t.Errorf("messages account for %d alerts, want %d", total, tc.n)
			}
			if most := maxInWindow(reqs); most > 20 {
				t.Errorf("%d requests within a minute, limit 20", most)
			}
			if tc.wantReqs > 0 && (len(reqs) != tc.wantReqs || singles != tc.wantSingles) {
				t.Errorf("%d requests (%d single), want %d (%d single)", len(reqs), singles, tc.wantReqs, tc.wantSingles)
			}
			if got := r.counter("govreport_alerter_webhook_digests_total"); int(got) != len(reqs)-singles {
				t.Errorf("digests metric %v, want %d", got, len(reqs)-singles)
			}
			t.Logf("%d alerts: %d requests, %d single, %d digests, busiest minute %d", tc.n, len(reqs), singles, len(reqs)-singles, maxInWindow(reqs))
		})
	}
}

// TestDigestOver sends a digest when more alerts than digest_over are due, even
// with room in the window.
func TestDigestOver(t *testing.T) {
	clk := newFakeClock()
	rc := newReceiver(t, clk, ok(okFeishu))
	ep := testEndpoint("lark", FormatFeishu, rc.srv.URL)
	ep.DigestOver = 5
	r := start(t, Config{Endpoints: []Endpoint{ep}}, clk)
	if err := r.d.Send(context.Background(), testAlerts(5)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "5 singles", func() bool { return r.counter("govreport_alerter_webhook_sent_total") == 5 })
	if clk.Waiters() != 0 {
		t.Fatal("the 5 singles waited")
	}
	if err := r.d.Send(context.Background(), testAlerts(6)); err != nil {
		t.Fatal(err)
	}
	// Feishu takes 5 requests a second: the digest waits for the next second.
	drive(t, clk, func() bool { return r.counter("govreport_alerter_webhook_digests_total") == 1 })
	reqs := rc.requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 6", len(reqs))
	}
	if gap := reqs[5].at.Sub(reqs[0].at); gap < time.Second {
		t.Errorf("6 requests within %v, Feishu accepts 5 a second", gap)
	}
}

// TestQueueOverflow fills a small queue: the alerts that do not fit are counted
// into the digest, none is lost silently, and Send never blocks.
func TestQueueOverflow(t *testing.T) {
	clk := newFakeClock()
	rc := newReceiver(t, clk, ok(okWeCom))
	ep := testEndpoint("wx", FormatWeCom, rc.srv.URL)
	ep.QueueSize = 5
	r := start(t, Config{Endpoints: []Endpoint{ep}}, clk)
	alerts := testAlerts(20)
	alerts[19].Rule = report.RuleR3
	alerts[19].Severity = alert.SeverityWarning
	if err := r.d.Send(context.Background(), alerts); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the digest", func() bool { return r.counter("govreport_alerter_webhook_digests_total") == 1 })
	if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "overflowed"); got != 15 {
		t.Errorf("overflowed %v, want 15", got)
	}
	if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "delivered"); got != 20 {
		t.Errorf("delivered %v, want 20", got)
	}
	var b weComBody
	if err := json.Unmarshal(rc.requests()[0].body, &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"20 条告警 20 alerts", "R1 ×19 · R3 ×1", "错误 error ×19 · 警告 warning ×1", "Overflowed, not listed:** 15", "…另有 15 条未列出 and 15 more"} {
		if !strings.Contains(b.Markdown.Content, want) {
			t.Errorf("digest lacks %q:\n%s", want, b.Markdown.Content)
		}
	}
}

// TestFeishuBurst keeps a Feishu endpoint under 5 requests a second as well as
// 100 a minute: 12 alerts due at once go out one by one, 5 a second.
func TestFeishuBurst(t *testing.T) {
	clk := newFakeClock()
	rc := newReceiver(t, clk, ok(okFeishu))
	r := start(t, Config{Endpoints: []Endpoint{testEndpoint("lark", FormatFeishu, rc.srv.URL)}}, clk)
	if err := r.d.Send(context.Background(), testAlerts(12)); err != nil {
		t.Fatal(err)
	}
	drive(t, clk, func() bool { return r.counter("govreport_alerter_webhook_sent_total") == 12 })
	reqs := rc.requests()
	for i := range reqs {
		n := 0
		for j := range reqs {
			if !reqs[j].at.After(reqs[i].at) && reqs[j].at.After(reqs[i].at.Add(-time.Second)) {
				n++
			}
		}
		if n > 5 {
			t.Fatalf("%d requests within a second", n)
		}
	}
	if r.counter("govreport_alerter_webhook_digests_total") != 0 {
		t.Error("a digest where the minute had room")
	}
}
