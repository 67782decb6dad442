package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
)

// dingTalkSign is DingTalk's 加签: base64(HMAC-SHA256(key=secret,
// msg=timestamp+"\n"+secret)), the timestamp in milliseconds. The caller
// URL-escapes it into the sign query parameter.
func dingTalkSign(secret string, millis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(millis, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// feishuSign is Feishu's 签名校验: base64(HMAC-SHA256(key=timestamp+"\n"+secret,
// msg=empty)), the timestamp in seconds. It goes into the JSON body.
func feishuSign(secret string, seconds int64) string {
	mac := hmac.New(sha256.New, []byte(strconv.FormatInt(seconds, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// jsonSign signs a plain JSON delivery: hex(HMAC-SHA256(key=secret,
// msg=timestamp+"."+body)), the timestamp in seconds as sent in
// X-Govreport-Timestamp. Signing the timestamp with the body lets a receiver
// refuse replays of old deliveries.
func jsonSign(secret string, seconds int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(seconds, 10) + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
