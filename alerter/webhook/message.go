package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/govreport/govreport/alerter/alert"
)

// message is what one request carries: one alert, or a digest of many (some of
// them only tallied, when the queue overflowed).
type message struct {
	alerts  []alert.Alert
	omitted tally
	digest  bool

	attempts  int       // requests made so far
	notBefore time.Time // no request before this (backoff)
}

// count is the number of alerts the message stands for.
func (m *message) count() int { return len(m.alerts) + m.omitted.count }

// doc describes the message for the text formats.
func (m *message) doc(digestItems int) doc {
	if m.digest {
		return digestDoc(m.alerts, m.omitted, digestItems)
	}
	return alertDoc(&m.alerts[0])
}

// deliveryID names the message the same way on every attempt, so that a
// receiver can drop a retry it already processed: the alert's ID and status, or
// a hash of a digest's.
func (m *message) deliveryID() string {
	if !m.digest && len(m.alerts) == 1 {
		return m.alerts[0].ID + "-" + m.alerts[0].Status
	}
	h := sha256.New()
	for i := range m.alerts {
		h.Write([]byte(m.alerts[i].ID + "-" + m.alerts[i].Status + "\x00"))
	}
	return "digest-" + hex.EncodeToString(h.Sum(nil)[:16])
}
