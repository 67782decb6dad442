package webhook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Headers of plain JSON deliveries.
const (
	// HeaderSignature carries "sha256=" and hex(HMAC-SHA256(secret,
	// timestamp+"."+body)) when the endpoint has a secret.
	HeaderSignature = "X-Govreport-Signature"
	// HeaderTimestamp carries the signing time in Unix seconds.
	HeaderTimestamp = "X-Govreport-Timestamp"
	// HeaderDelivery names a message the same way on every attempt, so that a
	// receiver can drop retries it already processed.
	HeaderDelivery = "X-Govreport-Delivery"
)

// jsonSink posts an alert as alert.Alert.Marshal encodes it, or a digest as
// {"digest":true,"count":…,"by_rule":…,"by_severity":…,"resolved":…,
// "omitted":…,"alerts":[…]}, where omitted counts alerts whose details were
// dropped — the queue overflowed, or the alert could not be encoded — and
// which are in count and the tallies all the same.
type jsonSink struct {
	url    string
	secret string
}

// jsonDigest is the body of a digest.
type jsonDigest struct {
	Digest     bool              `json:"digest"`
	Count      int               `json:"count"`
	ByRule     map[string]int    `json:"by_rule"`
	BySeverity map[string]int    `json:"by_severity"`
	Resolved   int               `json:"resolved"`
	Omitted    int               `json:"omitted"`
	Alerts     []json.RawMessage `json:"alerts"`
}

func (s *jsonSink) build(m *message, now time.Time) (request, error) {
	var body []byte
	if m.digest {
		all := m.omitted.clone()
		d := jsonDigest{Digest: true, Omitted: m.omitted.count, Alerts: make([]json.RawMessage, 0, len(m.alerts))}
		for i := range m.alerts {
			b, err := m.alerts[i].Marshal()
			if err != nil {
				// An alert that cannot be encoded (a NaN in its evidence) is
				// counted without its details rather than sinking the digest.
				all.add(&m.alerts[i])
				d.Omitted++
				continue
			}
			all.add(&m.alerts[i])
			d.Alerts = append(d.Alerts, b)
		}
		d.Count, d.ByRule, d.BySeverity, d.Resolved = all.count, all.byRule, all.bySeverity, all.resolved
		b, err := encodeJSON(d)
		if err != nil {
			return request{}, fmt.Errorf("encode digest: %w", err)
		}
		body = b
	} else {
		b, err := m.alerts[0].Marshal()
		if err != nil {
			return request{}, fmt.Errorf("encode alert %s: %w", m.alerts[0].ID, err)
		}
		body = b
	}
	r := newRequest(s.url, body)
	r.header.Set(HeaderDelivery, m.deliveryID())
	if s.secret != "" {
		ts := now.Unix()
		r.header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		r.header.Set(HeaderSignature, "sha256="+jsonSign(s.secret, ts, body))
	}
	return r, nil
}

func (s *jsonSink) judge(status int, header http.Header, _ []byte) outcome {
	return judgeHTTP(status, header)
}
