package webhook

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

func TestTruncate(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "…"},
		{"abcdef", 5, "ab…"},
		{"勾稽关系", 12, "勾稽关系"},
		{"勾稽关系", 11, "勾稽…"}, // 6 bytes of text + 3 of ellipsis
		{"勾稽关系", 8, "勾…"},   // never half a character
		{"勾稽关系", 2, ""},     // no room even for the ellipsis
		{"a勾稽关系", 7, "a勾…"},
		{"a勾稽关系", 6, "a…"},              // the cut lands inside 勾
		{"\xff\xfe勾", 100, "\xff\xfe勾"}, // truncate keeps bytes; clean repairs them
	}
	for _, c := range cases {
		if got := truncate(c.in, c.max); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
	if got := clean("a\nb\r\x00c\u2028d\xff", 100); got != "a b  c d\uFFFD" {
		t.Errorf("clean = %q", got)
	}
}

func TestMarkdownEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"new_received.total", "new_received.total"},
		{"_emphasis_", `\_emphasis\_`},
		{"a *b* [c](d) `e` <f> #g |h| ~i~ \\", "a \\*b\\* \\[c\\](d) \\`e\\` \\<f\\> \\#g \\|h\\| \\~i\\~ \\\\"},
		{"第三部分“总计”列（七）", "第三部分“总计”列（七）"},
		{"<font color=\"warning\">x</font>", `\<font color="warning"\>x\</font\>`},
	}
	for _, c := range cases {
		if got := mdEscape(c.in); got != c.want {
			t.Errorf("mdEscape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"- a": `\- a`, "12. a": `12\. a`, "3) a": `3\) a`, "2020年": "2020年", "+1": `\+1`} {
		if got := escapeLineStart(in); got != want {
			t.Errorf("escapeLineStart(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinkURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://www.dehui.gov.cn/a.html", "http://www.dehui.gov.cn/a.html"},
		{"http://x.gov.cn/a (1).html", "http://x.gov.cn/a%20%281%29.html"},
		{"http://x.gov.cn/a)](javascript:alert(1))", "http://x.gov.cn/a%29%5D%28javascript:alert%281%29%29"},
		{"javascript:alert(1)", ""},
		{"/relative/path", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := linkURL(c.in); got != c.want {
			t.Errorf("linkURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// hugeAlert has every field far over any limit.
func hugeAlert(i int) alert.Alert {
	a := testAlert(i)
	a.Body = strings.Repeat("德惠市岔路口镇人民政府", 50)
	a.MessageZH = strings.Repeat("勾稽关系不成立，", 5000)
	a.MessageEN = strings.Repeat("received + carried over ≠ total; ", 3000)
	a.Cells, a.CellValues = nil, nil
	for c := 0; c < 3000; c++ {
		a.Cells = append(a.Cells, fmt.Sprintf("row_%d.natural_person", c))
		a.CellValues = append(a.CellValues, strconv.Itoa(c))
	}
	a.Evidence = map[string]float64{}
	for e := 0; e < 200; e++ {
		a.Evidence[fmt.Sprintf("k%03d", e)] = float64(e) / 7
	}
	for r := 0; r < 40; r++ {
		a.Related = append(a.Related, alert.Related{DocID: "d", Body: "某局", Year: 2019, SourceURL: "http://x.gov.cn/" + strings.Repeat("p", 100)})
	}
	return a
}

// TestRenderLimits renders oversized alerts and digests: every message stays
// within its vendor's limit, valid UTF-8 and valid JSON, and says what it left
// out.
func TestRenderLimits(t *testing.T) {
	now := time.Unix(1709285400, 0)
	single := &message{alerts: []alert.Alert{hugeAlert(0)}}
	var many []alert.Alert
	for i := 0; i < 300; i++ {
		many = append(many, hugeAlert(i))
	}
	var extra tally
	for i := 0; i < 77; i++ {
		a := testAlert(i)
		extra.add(&a)
	}
	digest := &message{alerts: many, omitted: extra, digest: true}
	for _, s := range []sink{
		&dingTalkSink{url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "s", digestItems: 100},
		&weComSink{url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", digestItems: 100},
		&feishuSink{url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "s", digestItems: 100},
	} {
		for _, m := range []*message{single, digest} {
			req, err := s.build(m, now)
			if err != nil {
				t.Fatal(err)
			}
			text := checkRendered(t, s, req.body)
			if m.digest {
				shown := len(regexp.MustCompile(`(?m)(^|\n|"text":")\d+\. 【`).FindAllString(text, -1))
				note := fmt.Sprintf("…另有 %d 条未列出 and %d more", 377-shown, 377-shown)
				if shown == 0 || shown >= 100 || !strings.Contains(text, note) {
					t.Errorf("%T digest shows %d items, lacks %q", s, shown, note)
				}
			} else if !strings.Contains(text, "已截断 truncated") && !strings.Contains(text, "more") {
				t.Errorf("%T single alert does not say it was cut", s)
			}
		}
	}
}

// checkRendered checks a vendor body against its limits and returns its text.
func checkRendered(t *testing.T, s sink, body []byte) string {
	t.Helper()
	if !utf8.Valid(body) || !json.Valid(body) {
		t.Fatalf("%T: body is not valid UTF-8 JSON", s)
	}
	switch s.(type) {
	case *dingTalkSink:
		var b dingTalkBody
		json.Unmarshal(body, &b)
		if len(b.Markdown.Text) > maxMarkdown || len(b.Markdown.Title) > maxTitle || !strings.HasPrefix(b.Markdown.Text, "#### ") {
			t.Errorf("dingtalk text %d bytes, title %d", len(b.Markdown.Text), len(b.Markdown.Title))
		}
		return b.Markdown.Text
	case *weComSink:
		var b weComBody
		json.Unmarshal(body, &b)
		if len(b.Markdown.Content) > maxMarkdown || !strings.HasPrefix(b.Markdown.Content, "#### ") {
			t.Errorf("wecom content %d bytes", len(b.Markdown.Content))
		}
		return b.Markdown.Content
	case *feishuSink:
		if len(body) > maxFeishuBody {
			t.Errorf("feishu body %d bytes", len(body))
		}
		var b feishuBody
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatal(err)
		}
		var content [][]feishuElement
		if err := json.Unmarshal(b.Content.Post.ZhCN.Content, &content); err != nil || len(content) == 0 {
			t.Errorf("feishu content %v", err)
		}
		return string(body)
	}
	return string(body)
}

// FuzzRender renders any alert, alone and in a digest, in every format: the
// result is valid UTF-8 JSON within the vendors' limits.
func FuzzRender(f *testing.F) {
	f.Add("德惠市岔路口镇人民政府", "勾稽关系不成立", "R1 broken", "new_received.total", "5", "http://www.dehui.gov.cn/a.html", "R1", "error", 2020, uint8(3))
	f.Add("*_[x](y)`<b>#", "- 1. > quote", "\x00\xff\n\r", "\u2028", "\"", "javascript:alert(1)", "", "", 0, uint8(0))
	f.Add(strings.Repeat("局", 3000), strings.Repeat("超", 9000), strings.Repeat("x", 9000), strings.Repeat("c", 500), strings.Repeat("9", 500), "http://a/"+strings.Repeat("(", 700), "r", "warning", -1, uint8(200))
	sinks := []sink{
		&jsonSink{url: "https://example.org/h", secret: "s"},
		&dingTalkSink{url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "s", digestItems: 100},
		&weComSink{url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", digestItems: 100},
		&feishuSink{url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "s", digestItems: 100},
	}
	f.Fuzz(func(t *testing.T, body, zh, en, cell, value, src, rule, sev string, year int, n uint8) {
		a := alert.Alert{ID: "id", Rule: report.Rule(rule), Severity: sev, Status: alert.StatusOpen, Body: body, Year: year,
			SourceURL: src, Scope: cell, MessageZH: zh, MessageEN: en, Region: report.Region{Province: body, Code: value},
			Related: []alert.Related{{Body: body, SourceURL: src}}, Evidence: map[string]float64{cell: float64(year)}}
		for i := 0; i < int(n)%50; i++ {
			a.Cells = append(a.Cells, cell)
			a.CellValues = append(a.CellValues, value)
		}
		resolved := a
		resolved.Status = alert.StatusResolved
		msgs := []*message{{alerts: []alert.Alert{a}}, {alerts: []alert.Alert{resolved}}}
		var many []alert.Alert
		for i := 0; i <= int(n)%24; i++ { // TestRenderLimits covers long digests
			many = append(many, a)
		}
		var omitted tally
		omitted.add(&resolved)
		msgs = append(msgs, &message{alerts: many, omitted: omitted, digest: true})
		for _, s := range sinks {
			for _, m := range msgs {
				req, err := s.build(m, time.Unix(1709285400, 0))
				if err != nil {
					t.Fatalf("%T: %v", s, err)
				}
				checkRendered(t, s, req.body)
			}
		}
	})
}

// BenchmarkRenderSign renders and signs one alert for DingTalk (markdown, URL
// signature) and Feishu (post, body signature).
func BenchmarkRenderSign(b *testing.B) {
	m := &message{alerts: []alert.Alert{testAlert(1)}}
	now := time.Unix(1709285400, 0)
	for _, s := range []sink{
		&dingTalkSink{url: "https://oapi.dingtalk.com/robot/send?access_token=" + testToken, secret: testSecret, digestItems: 10},
		&feishuSink{url: "https://open.feishu.cn/open-apis/bot/v2/hook/" + testHookID, secret: testSecret, digestItems: 10},
		&jsonSink{url: "https://example.org/h", secret: testSecret},
	} {
		b.Run(fmt.Sprintf("%T", s)[len("*webhook."):], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.build(m, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	digest := &message{alerts: testAlerts(50), digest: true}
	b.Run("dingTalkDigest50", func(b *testing.B) {
		s := &dingTalkSink{url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: testSecret, digestItems: 10}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.build(digest, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
