package webhook

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// dingTalkSink posts to a DingTalk custom robot (自定义机器人):
// {"msgtype":"markdown","markdown":{"title":…,"text":…}}, signed (加签) by adding
// timestamp (ms) and sign to the URL's query when the endpoint has a secret.
// The robot answers HTTP 200 with {"errcode":0,"errmsg":"ok"}; errcode 130101
// ("send too fast, exceed 20 times per minute") means rate limited, -1 system
// busy; any other code (310000 keyword/sign/IP check failed, 300001 bad token,
// …) is a refusal.
type dingTalkSink struct {
	url         string
	secret      string
	digestItems int
}

var dingTalkCodes = vendorCodes{
	read: readErrcode,
	rate: map[int]bool{130101: true},
	busy: map[int]bool{-1: true},
}

type dingTalkBody struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
}

func (s *dingTalkSink) build(m *message, now time.Time) (request, error) {
	d := m.doc(s.digestItems)
	var b dingTalkBody
	b.MsgType = "markdown"
	b.Markdown.Title = d.title
	b.Markdown.Text = markdown(&d, dingTalkBreak, maxMarkdown)
	body, err := encodeJSON(b)
	if err != nil {
		return request{}, fmt.Errorf("encode dingtalk message: %w", err)
	}
	target := s.url
	if s.secret != "" {
		u, err := url.Parse(s.url)
		if err != nil {
			return request{}, fmt.Errorf("dingtalk url does not parse")
		}
		ms := now.UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ms, 10))
		q.Set("sign", dingTalkSign(s.secret, ms))
		u.RawQuery = q.Encode()
		target = u.String()
	}
	return newRequest(target, body), nil
}

func (s *dingTalkSink) judge(status int, header http.Header, body []byte) outcome {
	return judgeVendor(dingTalkCodes, status, header, body)
}
