package webhook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// feishuSink posts to a Feishu/Lark custom bot (自定义机器人) a rich-text post:
// {"msg_type":"post","content":{"post":{"zh_cn":{"title":…,"content":[[{"tag":
// "text","text":…},{"tag":"a","text":…,"href":…}],…]}}}}, with "timestamp"
// (seconds, a string) and "sign" in the body when the endpoint has a secret.
// Requests are at most 20 KB. The bot answers {"code":0,"msg":"success"} (older
// bots {"StatusCode":0,"StatusMessage":"success"}); 11232 and 99991400 (HTTP
// 429 or 400) mean rate limited; any other code (19021 bad signature or stale
// timestamp, 19024 keyword check failed, 9499 bad request, …) is a refusal.
type feishuSink struct {
	url         string
	secret      string
	digestItems int
}

// maxFeishuBody is Feishu's limit on a request body; the post content is kept
// 2 KB under it, leaving room for the title, the signature and the envelope.
const (
	maxFeishuBody    = 20 * 1024
	maxFeishuContent = maxFeishuBody - 2048
)

var feishuCodes = vendorCodes{
	read: readFeishuCode,
	rate: map[int]bool{11232: true, 99991400: true},
}

type feishuBody struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   struct {
		Post struct {
			ZhCN struct {
				Title   string          `json:"title"`
				Content json.RawMessage `json:"content"`
			} `json:"zh_cn"`
		} `json:"post"`
	} `json:"content"`
}

// feishuElement is one element of a post paragraph.
type feishuElement struct {
	Tag  string `json:"tag"`
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

func (s *feishuSink) build(m *message, now time.Time) (request, error) {
	d := m.doc(s.digestItems)
	var b feishuBody
	b.MsgType = "post"
	b.Content.Post.ZhCN.Title = d.title
	content, err := feishuContent(&d)
	if err != nil {
		return request{}, err
	}
	b.Content.Post.ZhCN.Content = content
	if s.secret != "" {
		ts := now.Unix()
		b.Timestamp = strconv.FormatInt(ts, 10)
		b.Sign = feishuSign(s.secret, ts)
	}
	body, err := encodeJSON(b)
	if err != nil {
		return request{}, fmt.Errorf("encode feishu message: %w", err)
	}
	return newRequest(s.url, body), nil
}

// feishuContent writes the paragraphs as post content within maxFeishuContent
// bytes. The heading is the post's title, so it is not repeated.
func feishuContent(d *doc) (json.RawMessage, error) {
	var parts []string
	var items []bool
	for _, p := range d.paras {
		if p.head {
			continue
		}
		els := make([]feishuElement, 0, len(p.spans))
		for _, sp := range p.spans {
			if sp.href != "" {
				els = append(els, feishuElement{Tag: "a", Text: sp.text, Href: sp.href})
			} else {
				els = append(els, feishuElement{Tag: "text", Text: sp.text})
			}
		}
		b, err := encodeJSON(els)
		if err != nil {
			return nil, fmt.Errorf("encode feishu paragraph: %w", err)
		}
		parts = append(parts, string(b))
		items = append(items, p.item)
	}
	note := func(shown int, cut bool) string {
		n := d.moreNote(shown, cut)
		if n == "" {
			return ""
		}
		b, _ := encodeJSON([]feishuElement{{Tag: "text", Text: n}})
		return string(b)
	}
	out := "[" + fit(parts, items, ",", maxFeishuContent-2, note) + "]"
	if !json.Valid([]byte(out)) { // only if fit had to cut inside a paragraph
		out = "[" + note(0, true) + "]"
	}
	return json.RawMessage(out), nil
}

func (s *feishuSink) judge(status int, header http.Header, body []byte) outcome {
	return judgeVendor(feishuCodes, status, header, body)
}

// readFeishuCode reads {"code":…,"msg":…} or the older {"StatusCode":…,
// "StatusMessage":…}.
func readFeishuCode(body []byte) (int, string, bool) {
	var b struct {
		Code          *int   `json:"code"`
		Msg           string `json:"msg"`
		StatusCode    *int   `json:"StatusCode"`
		StatusMessage string `json:"StatusMessage"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 0, "", false
	}
	switch {
	case b.Code != nil:
		return *b.Code, b.Msg, true
	case b.StatusCode != nil:
		return *b.StatusCode, b.StatusMessage, true
	}
	return 0, "", false
}
