package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
	"github.com/prometheus/client_golang/prometheus"
)

// Credentials the tests plant; no log line may contain them.
const (
	testToken  = "0123456789abcdef0123456789abcdef0123456789abcdef"
	testSecret = "SEC0c5b1f7a2e9d4c3b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"
	testHookID = "3f2a9c1e-7b4d-4e8a-9c6f-1a2b3c4d5e6f"
)

// received is one request a receiver got.
type received struct {
	at     time.Time // fake-clock time
	method string
	uri    string
	header http.Header
	body   []byte
}

// answer is what a receiver replies to request number n (0-based).
type answer func(n int, r *received) (status int, body string)

// receiver is a local HTTP server that records what arrives.
type receiver struct {
	srv    *httptest.Server
	clk    *fakeClock
	reply  answer
	header http.Header // set on every answer

	mu   sync.Mutex
	reqs []received
}

func newReceiver(t *testing.T, clk *fakeClock, reply answer) *receiver {
	t.Helper()
	return newReceiverHeader(t, clk, reply, nil)
}

// newReceiverWithHeader answers 429 with a header, then 200.
func newReceiverWithHeader(t *testing.T, clk *fakeClock, key, value string) *receiver {
	t.Helper()
	h := http.Header{}
	h.Set(key, value)
	return newReceiverHeader(t, clk, func(n int, _ *received) (int, string) {
		if n == 0 {
			return http.StatusTooManyRequests, ""
		}
		return http.StatusOK, ""
	}, h)
}

func newReceiverHeader(t *testing.T, clk *fakeClock, reply answer, header http.Header) *receiver {
	t.Helper()
	rc := &receiver{clk: clk, reply: reply, header: header}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := received{at: clk.Now(), method: r.Method, uri: r.RequestURI, header: r.Header.Clone(), body: body}
		rc.mu.Lock()
		n := len(rc.reqs)
		rc.reqs = append(rc.reqs, rec)
		rc.mu.Unlock()
		status, out := rc.reply(n, &rec)
		if status == 0 { // hang until the client gives up
			<-r.Context().Done()
			return
		}
		for k, v := range rc.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.reqs...)
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// ok answers every request with a vendor's success.
func ok(body string) answer { return func(int, *received) (int, string) { return 200, body } }

const (
	okDingTalk = `{"errcode":0,"errmsg":"ok"}`
	okWeCom    = `{"errcode":0,"errmsg":"ok"}`
	okFeishu   = `{"code":0,"msg":"success","data":{}}`
)

// run is a dispatcher running in the background with its metrics and log.
type run struct {
	d    *Dispatcher
	reg  *prometheus.Registry
	log  *syncBuffer
	stop func() // cancels Run and waits for it
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start builds a dispatcher over cfg with a debug-level JSON log and runs it.
func start(t *testing.T, cfg Config, clk *fakeClock) *run {
	t.Helper()
	r := &run{reg: prometheus.NewRegistry(), log: &syncBuffer{}}
	log := slog.New(slog.NewJSONHandler(r.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := New(cfg, log, r.reg, withClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	r.d = d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not stop")
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

// counter reads a counter of the run's registry (0 when the series does not exist).
func (r *run) counter(name string, labels ...string) float64 {
	mfs, err := r.reg.Gather()
	if err != nil {
		panic(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue metric
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// eventually polls cond for up to 5 seconds of real time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// settle waits until the endpoint goroutines are idle or waiting on the clock:
// the receiver count stops changing for a few milliseconds.
func settle(rc *receiver) {
	last, stable := -1, 0
	for stable < 20 {
		time.Sleep(time.Millisecond)
		if n := rc.count(); n == last {
			stable++
		} else {
			last, stable = n, 0
		}
	}
}

// testEndpoint returns the defaults of a format pointed at a receiver, with the
// path and query a real vendor URL has (and its token).
func testEndpoint(name string, f Format, base string) Endpoint {
	e := DefaultEndpoint(f)
	e.Name = name
	switch f {
	case FormatDingTalk:
		e.URL = base + "/robot/send?access_token=" + testToken
	case FormatWeCom:
		e.URL = base + "/cgi-bin/webhook/send?key=" + testHookID
	case FormatFeishu:
		e.URL = base + "/open-apis/bot/v2/hook/" + testHookID
	default:
		e.URL = base + "/alerts?token=" + testToken
	}
	return e
}

// testAlert is an R1 alert of seed 000's kind, numbered to be distinct.
func testAlert(i int) alert.Alert {
	raised := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	a := alert.Alert{
		Key:        alert.KeyFor(report.RuleR1, fmt.Sprintf("doc%03d", i), "col:total"),
		Rule:       report.RuleR1,
		Severity:   alert.SeverityError,
		Status:     alert.StatusOpen,
		DocID:      fmt.Sprintf("doc%03d", i),
		Body:       "德惠市岔路口镇人民政府",
		Year:       2020,
		Level:      report.Level("township"),
		Region:     report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		SourceURL:  fmt.Sprintf("http://www.dehui.gov.cn/zwgk/%03d.html", i),
		Scope:      "col:total",
		Cells:      []string{"new_received.total", "carried_over.total", "total.total", "carried_forward.total"},
		CellValues: []string{"5", "0", "0", "0"},
		MessageZH:  "德惠市岔路口镇人民政府2020年度报告：第三部分“总计”列勾稽关系不成立，本年新收加上年结转为5，办理结果总计加结转下年度为0。",
		MessageEN:  "德惠市岔路口镇人民政府, report for 2020: section 3, column col:total: received + carried over = 5, but total handled + carried forward = 0 (R1).",
		RaisedAt:   raised,
		Version:    100,
	}
	a.ID = alert.ID(a.Key, "abc")
	return a
}

func testAlerts(n int) []alert.Alert {
	out := make([]alert.Alert, n)
	for i := range out {
		out[i] = testAlert(i)
	}
	return out
}

// assertNoSecrets fails when text contains a planted credential.
func assertNoSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range []string{testToken, testSecret, testHookID} {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the credential %s…", where, s[:6])
		}
	}
}
