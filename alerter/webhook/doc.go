// Package webhook delivers alerts to HTTP webhooks: plain JSON receivers and the
// group robots of DingTalk (钉钉自定义机器人), WeCom (企业微信群机器人) and Feishu/Lark
// (飞书自定义机器人).
//
// A Dispatcher is built from a Config listing the endpoints. Send hands it alerts
// without blocking; Run owns one goroutine per endpoint that renders, signs and
// posts them, retries transient failures with exponential backoff and jitter, and
// keeps each endpoint under its rate limit (a sliding window over the last minute).
// When more alerts are due than the window allows, or more than digest_over at
// once, they go out as one digest that counts every alert by rule and severity and
// lists the first few; when an endpoint's queue overflows, the alerts that do not
// fit are counted into the next digest. No alert is dropped silently: every one is
// delivered, counted in a digest, or counted as failed in the metrics and the log.
//
// Webhook URLs carry credentials (DingTalk access_token, WeCom key, the Feishu hook
// id) and endpoints may hold signing secrets: neither ever appears in a log line,
// an error or a metric label — URLs are shown through redactURL.
//
// Message formats, signatures, answers and limits follow these pages:
//   - DingTalk custom robot: https://open.dingtalk.com/document/group/custom-robot-access
//     (markdown message; 加签 = timestamp in ms and sign in the query; at most 20
//     messages a minute, then 10 minutes throttled — errcode 130101 "send too
//     fast, exceed 20 times per minute").
//   - WeCom group robot: https://developer.work.weixin.qq.com/document/path/91770
//     (markdown message; 40058 "markdown.content exceed max length 4096"; 45009
//     "api freq out of limit"; 93000 invalid webhook url; 20 messages a minute).
//   - Feishu custom bot: https://open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN
//     (post message; 签名校验 with timestamp in seconds and sign in the body;
//     100 requests a minute and 5 a second; bodies at most 20 KB; 11232 rate
//     limited; 19021 bad signature or stale timestamp) and
//     https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
//     (HTTP 429, or 400 on older APIs, with code 99991400 and x-ogw-ratelimit-reset).
package webhook
