package webhook

import (
	"fmt"
	"net/http"
	"time"
)

// weComSink posts to a WeCom group robot (企业微信群机器人):
// {"msgtype":"markdown","markdown":{"content":…}}, content at most 4096 bytes.
// WeCom robots are not signed: the key in the URL is the credential. The robot
// answers {"errcode":0,"errmsg":"ok"}; 45009 ("api freq out of limit") means
// rate limited, -1 system busy; any other code (93000 invalid webhook url,
// 40058 content too long, …) is a refusal.
type weComSink struct {
	url         string
	digestItems int
}

var weComCodes = vendorCodes{
	read: readErrcode,
	rate: map[int]bool{45009: true},
	busy: map[int]bool{-1: true},
}

type weComBody struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func (s *weComSink) build(m *message, _ time.Time) (request, error) {
	d := m.doc(s.digestItems)
	var b weComBody
	b.MsgType = "markdown"
	b.Markdown.Content = markdown(&d, weComBreak, maxMarkdown)
	body, err := encodeJSON(b)
	if err != nil {
		return request{}, fmt.Errorf("encode wecom message: %w", err)
	}
	return newRequest(s.url, body), nil
}

func (s *weComSink) judge(status int, header http.Header, body []byte) outcome {
	return judgeVendor(weComCodes, status, header, body)
}
