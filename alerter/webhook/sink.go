package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// sink writes messages in one format and reads the receiver's answers.
type sink interface {
	// build returns the request for a message at now (signatures use now).
	build(m *message, now time.Time) (request, error)
	// judge reads the response to a request.
	judge(status int, header http.Header, body []byte) outcome
}

// request is one HTTP POST.
type request struct {
	url    string
	body   []byte
	header http.Header
}

// verdict is what became of a request.
type verdict int

const (
	delivered   verdict = iota // the receiver took the message
	retry                      // a transient failure: try again after a backoff
	rateLimited                // the receiver is rate limited: try again later
	permanent                  // the receiver refused the message: do not retry
)

// outcome is a verdict with its reason (a metric label) and details (for logs).
type outcome struct {
	verdict verdict
	// reason is one of network, timeout, server_error, rate_limited,
	// bad_response, client_error, vendor_error.
	reason string
	detail string
	wait   time.Duration // rateLimited: how long the receiver asked to wait, if it said
}

// Failure reasons that are not HTTP answers.
const (
	reasonNetwork   = "network"
	reasonTimeout   = "timeout"
	reasonShutdown  = "shutdown"
	reasonBuild     = "build"
	reasonExhausted = "retries_exhausted"
)

// newRequest starts a JSON request with the headers every format sends.
func newRequest(url string, body []byte) request {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("User-Agent", "govreport-alerter")
	return request{url: url, body: body, header: h}
}

// encodeJSON encodes v without HTML escaping (the vendors read UTF-8 JSON; \u003c
// only costs bytes against their limits).
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// vendorCodes are how a robot API answers in its JSON body.
type vendorCodes struct {
	// read returns the code and message of a body, ok false when the body does
	// not carry one.
	read func(body []byte) (code int, msg string, ok bool)
	// rate are the codes that mean "rate limited", busy those that mean "try
	// again"; every other non-zero code is a refusal.
	rate, busy map[int]bool
}

// judgeVendor reads a robot API's answer: HTTP 200 with code 0 is delivered;
// 429 or a rate code is rate limited; 5xx, a busy code or an unreadable 200 is
// retried; any other status or code is permanent.
func judgeVendor(v vendorCodes, status int, header http.Header, body []byte) outcome {
	code, msg, ok := v.read(body)
	detail := fmt.Sprintf("HTTP %d", status)
	if ok {
		detail += fmt.Sprintf(", code %d: %s", code, truncate(clean(msg, 200), 200))
	}
	switch {
	case status == http.StatusTooManyRequests || (ok && v.rate[code]):
		return outcome{verdict: rateLimited, reason: "rate_limited", detail: detail, wait: retryAfter(header)}
	case status >= 500:
		return outcome{verdict: retry, reason: "server_error", detail: detail}
	case status < 200 || status > 299:
		return outcome{verdict: permanent, reason: "client_error", detail: detail}
	case !ok:
		return outcome{verdict: retry, reason: "bad_response", detail: detail + ", no result code in the body"}
	case code == 0:
		return outcome{verdict: delivered, detail: detail}
	case v.busy[code]:
		return outcome{verdict: retry, reason: "server_error", detail: detail}
	}
	return outcome{verdict: permanent, reason: "vendor_error", detail: detail}
}

// judgeHTTP reads a plain receiver's answer from its status alone.
func judgeHTTP(status int, header http.Header) outcome {
	detail := fmt.Sprintf("HTTP %d", status)
	switch {
	case status >= 200 && status <= 299:
		return outcome{verdict: delivered, detail: detail}
	case status == http.StatusTooManyRequests:
		return outcome{verdict: rateLimited, reason: "rate_limited", detail: detail, wait: retryAfter(header)}
	case status == http.StatusRequestTimeout:
		return outcome{verdict: retry, reason: reasonTimeout, detail: detail}
	case status >= 500:
		return outcome{verdict: retry, reason: "server_error", detail: detail}
	}
	return outcome{verdict: permanent, reason: "client_error", detail: detail}
}

// maxRetryAfter bounds the wait a receiver may ask for.
const maxRetryAfter = time.Hour

// retryAfter reads Retry-After (seconds) or Feishu's x-ogw-ratelimit-reset
// (seconds); 0 when neither is there. An HTTP-date Retry-After is not read.
func retryAfter(h http.Header) time.Duration {
	for _, k := range []string{"Retry-After", "X-Ogw-Ratelimit-Reset"} {
		if s, err := strconv.Atoi(h.Get(k)); err == nil && s > 0 {
			return min(time.Duration(s)*time.Second, maxRetryAfter)
		}
	}
	return 0
}

// errcodeBody is the answer of DingTalk and WeCom robots.
type errcodeBody struct {
	Errcode *int   `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

func readErrcode(body []byte) (int, string, bool) {
	var b errcodeBody
	if json.Unmarshal(body, &b) != nil || b.Errcode == nil {
		return 0, "", false
	}
	return *b.Errcode, b.Errmsg, true
}
