package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/alerter/alert"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

// Known answers computed with Python's hmac module (the vendors' own sample
// code), for secret "this is secret".
func TestSignKnownAnswers(t *testing.T) {
	const secret = "this is secret"
	if got, want := dingTalkSign(secret, 1577262236757), "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="; got != want {
		t.Errorf("dingtalk sign %s, want %s", got, want)
	}
	if got, want := url.QueryEscape(dingTalkSign(secret, 1577262236757)), "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D"; got != want {
		t.Errorf("dingtalk sign escaped %s, want %s", got, want)
	}
	if got, want := feishuSign(secret, 1599360473), "/eYKrXQBzTjUZJ3s6NX16VxGbTwmK7AEs8/FnvC1CSw="; got != want {
		t.Errorf("feishu sign %s, want %s", got, want)
	}
	if got, want := jsonSign(secret, 1599360473, []byte(`{"a":1}`)), "90d5e38ebfc52949619d95ece8c817f03e52ca6fdffa95edfb3a98748cd20216"; got != want {
		t.Errorf("json sign %s, want %s", got, want)
	}
}

func hmacSHA256(key, msg string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// TestFormats sends one alert, one resolved alert and one digest to a receiver
// of each format and checks what arrives: the exact body (goldens in testdata),
// the headers, the URL, and that the signatures verify.
func TestFormats(t *testing.T) {
	resolved := testAlert(7)
	resolved.Status = alert.StatusResolved
	at := time.Date(2024, 3, 1, 9, 20, 0, 0, time.UTC)
	resolved.ResolvedAt = &at
	cases := []struct {
		name   string
		format Format
		secret string
		ok     string
		alerts []alert.Alert
		check  func(t *testing.T, r received, now time.Time)
	}{
		{"json", FormatJSON, "", "", []alert.Alert{testAlert(1)}, checkJSON("")},
		{"json-signed", FormatJSON, testSecret, "", []alert.Alert{testAlert(1)}, checkJSON(testSecret)},
		{"json-digest", FormatJSON, testSecret, "", testAlerts(3), checkJSON(testSecret)},
		{"dingtalk", FormatDingTalk, testSecret, okDingTalk, []alert.Alert{testAlert(1)}, checkDingTalk(testSecret)},
		{"dingtalk-unsigned", FormatDingTalk, "", okDingTalk, []alert.Alert{testAlert(1)}, checkDingTalk("")},
		{"dingtalk-resolved", FormatDingTalk, testSecret, okDingTalk, []alert.Alert{resolved}, checkDingTalk(testSecret)},
		{"dingtalk-digest", FormatDingTalk, testSecret, okDingTalk, testAlerts(12), checkDingTalk(testSecret)},
		{"wecom", FormatWeCom, "", okWeCom, []alert.Alert{testAlert(1)}, checkWeCom},
		{"wecom-digest", FormatWeCom, "", okWeCom, testAlerts(3), checkWeCom},
		{"feishu", FormatFeishu, testSecret, okFeishu, []alert.Alert{testAlert(1)}, checkFeishu(testSecret)},
		{"feishu-unsigned", FormatFeishu, "", okFeishu, []alert.Alert{testAlert(1)}, checkFeishu("")},
		{"feishu-digest", FormatFeishu, testSecret, okFeishu, testAlerts(3), checkFeishu(testSecret)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			rc := newReceiver(t, clk, ok(tc.ok))
			ep := testEndpoint("ep", tc.format, rc.srv.URL)
			ep.Secret = tc.secret
			ep.DigestOver = 1 // several alerts in one Send make a digest
			r := start(t, Config{Endpoints: []Endpoint{ep}, FlushTimeout: time.Second}, clk)
			if err := r.d.Send(context.Background(), tc.alerts); err != nil {
				t.Fatal(err)
			}
			eventually(t, "delivery", func() bool { return r.counter("govreport_alerter_webhook_sent_total") == 1 })
			reqs := rc.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			req := reqs[0]
			if req.method != "POST" || !strings.HasPrefix(req.header.Get("Content-Type"), "application/json") {
				t.Errorf("%s with Content-Type %q", req.method, req.header.Get("Content-Type"))
			}
			if !utf8.Valid(req.body) || !json.Valid(req.body) {
				t.Fatalf("body is not valid UTF-8 JSON: %q", req.body)
			}
			tc.check(t, req, clk.Now())
			golden(t, filepath.Join("testdata", tc.name+".golden.json"), req.body)
			if got := r.counter("govreport_alerter_webhook_alerts_total", "outcome", "delivered"); got != float64(len(tc.alerts)) {
				t.Errorf("%v alerts delivered, want %d", got, len(tc.alerts))
			}
			digests := r.counter("govreport_alerter_webhook_digests_total")
			if want := len(tc.alerts) > 1; (digests == 1) != want {
				t.Errorf("digests %v, want digest %v", digests, want)
			}
			r.stop()
			assertNoSecrets(t, "log", r.log.String())
		})
	}
}

// golden compares an indented JSON body with a file (rewritten with -update).
func golden(t *testing.T, path string, body []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		t.Fatal(err)
	}
	b.WriteByte('\n')
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("body differs from %s:\n%s", path, b.String())
	}
}

func checkJSON(secret string) func(t *testing.T, r received, now time.Time) {
	return func(t *testing.T, r received, now time.Time) {
		if r.uri != "/alerts?token="+testToken {
			t.Errorf("uri %q", r.uri)
		}
		var probe map[string]any
		if err := json.Unmarshal(r.body, &probe); err != nil {
			t.Fatal(err)
		}
		if probe["digest"] == true {
			if !strings.HasPrefix(r.header.Get(HeaderDelivery), "digest-") {
				t.Errorf("delivery id %q", r.header.Get(HeaderDelivery))
			}
			alerts := probe["alerts"].([]any)
			if probe["count"] != float64(len(alerts)) || len(alerts) < 2 {
				t.Errorf("digest count %v with %d alerts", probe["count"], len(alerts))
			}
		} else {
			// A single alert arrives exactly as alert.Marshal encodes it.
			var a alert.Alert
			if err := json.Unmarshal(r.body, &a); err != nil {
				t.Fatal(err)
			}
			want, _ := a.Marshal()
			if !bytes.Equal(want, r.body) {
				t.Errorf("body is not alert.Marshal's encoding:\n%s\n%s", r.body, want)
			}
			if r.header.Get(HeaderDelivery) != a.ID+"-open" {
				t.Errorf("delivery id %q", r.header.Get(HeaderDelivery))
			}
		}
		ts, sig := r.header.Get(HeaderTimestamp), r.header.Get(HeaderSignature)
		if secret == "" {
			if ts != "" || sig != "" {
				t.Errorf("unsigned endpoint sent %q %q", ts, sig)
			}
			return
		}
		if ts != strconv.FormatInt(now.Unix(), 10) {
			t.Errorf("timestamp %q, want %d", ts, now.Unix())
		}
		want := "sha256=" + hex.EncodeToString(hmacSHA256(secret, ts+"."+string(r.body)))
		if sig != want {
			t.Errorf("signature %q, want %q", sig, want)
		}
	}
}

func checkDingTalk(secret string) func(t *testing.T, r received, now time.Time) {
	return func(t *testing.T, r received, now time.Time) {
		u, err := url.ParseRequestURI(r.uri)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if u.Path != "/robot/send" || q.Get("access_token") != testToken {
			t.Errorf("uri %q lost its path or token", r.uri)
		}
		var b struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Title string `json:"title"`
				Text  string `json:"text"`
			} `json:"markdown"`
		}
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			t.Fatal(err)
		}
		if b.MsgType != "markdown" || b.Markdown.Title == "" || !strings.HasPrefix(b.Markdown.Text, "#### ") {
			t.Errorf("message %+v", b)
		}
		if len(b.Markdown.Text) > maxMarkdown {
			t.Errorf("text %d bytes", len(b.Markdown.Text))
		}
		if secret == "" {
			if q.Has("sign") || q.Has("timestamp") {
				t.Errorf("unsigned endpoint sent %q", r.uri)
			}
			return
		}
		ts := q.Get("timestamp")
		if ts != strconv.FormatInt(now.UnixMilli(), 10) {
			t.Errorf("timestamp %q, want %d ms", ts, now.UnixMilli())
		}
		want := base64.StdEncoding.EncodeToString(hmacSHA256(secret, ts+"\n"+secret))
		if q.Get("sign") != want {
			t.Errorf("sign %q, want %q", q.Get("sign"), want)
		}
		if !strings.Contains(u.RawQuery, "sign="+url.QueryEscape(want)) {
			t.Errorf("sign is not URL-escaped in %q", u.RawQuery)
		}
	}
}

func checkWeCom(t *testing.T, r received, _ time.Time) {
	if r.uri != "/cgi-bin/webhook/send?key="+testHookID {
		t.Errorf("uri %q", r.uri)
	}
	var b struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatal(err)
	}
	if b.MsgType != "markdown" || !strings.HasPrefix(b.Markdown.Content, "#### ") || len(b.Markdown.Content) > maxMarkdown {
		t.Errorf("message %+v", b)
	}
}

func checkFeishu(secret string) func(t *testing.T, r received, now time.Time) {
	return func(t *testing.T, r received, now time.Time) {
		if r.uri != "/open-apis/bot/v2/hook/"+testHookID {
			t.Errorf("uri %q", r.uri)
		}
		if len(r.body) > maxFeishuBody {
			t.Errorf("body %d bytes", len(r.body))
		}
		var b struct {
			Timestamp string `json:"timestamp"`
			Sign      string `json:"sign"`
			MsgType   string `json:"msg_type"`
			Content   struct {
				Post map[string]struct {
					Title   string `json:"title"`
					Content [][]struct {
						Tag  string `json:"tag"`
						Text string `json:"text"`
						Href string `json:"href"`
					} `json:"content"`
				} `json:"post"`
			} `json:"content"`
		}
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			t.Fatal(err)
		}
		post, ok := b.Content.Post["zh_cn"]
		if b.MsgType != "post" || !ok || post.Title == "" || len(post.Content) == 0 {
			t.Fatalf("message %+v", b)
		}
		links := 0
		for _, para := range post.Content {
			for _, el := range para {
				switch el.Tag {
				case "a":
					links++
					if !strings.HasPrefix(el.Href, "http://www.dehui.gov.cn/") {
						t.Errorf("link %q", el.Href)
					}
				case "text":
				default:
					t.Errorf("tag %q", el.Tag)
				}
			}
		}
		if links == 0 {
			t.Error("no link to the source")
		}
		if secret == "" {
			if b.Timestamp != "" || b.Sign != "" {
				t.Errorf("unsigned endpoint sent %q %q", b.Timestamp, b.Sign)
			}
			return
		}
		if b.Timestamp != strconv.FormatInt(now.Unix(), 10) {
			t.Errorf("timestamp %q, want %d s", b.Timestamp, now.Unix())
		}
		if want := base64.StdEncoding.EncodeToString(hmacSHA256(b.Timestamp+"\n"+secret, "")); b.Sign != want {
			t.Errorf("sign %q, want %q", b.Sign, want)
		}
	}
}

// TestJSONNonFiniteEvidence: an alert with a NaN in its evidence is sent without
// that figure, alone and in a digest (alert.Marshal leaves it out).
func TestJSONNonFiniteEvidence(t *testing.T) {
	bad := testAlert(9)
	bad.Evidence = map[string]float64{"ratio": math.NaN(), "received": 3}
	s := &jsonSink{url: "https://example.org/h"}
	req, err := s.build(&message{alerts: []alert.Alert{bad}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(req.body), "ratio") || !strings.Contains(string(req.body), `"received":3`) {
		t.Errorf("body %s", req.body)
	}
	req, err = s.build(&message{alerts: []alert.Alert{testAlert(1), bad}, digest: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var d jsonDigest
	if err := json.Unmarshal(req.body, &d); err != nil {
		t.Fatal(err)
	}
	if d.Count != 2 || d.Omitted != 0 || len(d.Alerts) != 2 {
		t.Errorf("digest count %d omitted %d alerts %d", d.Count, d.Omitted, len(d.Alerts))
	}
}
