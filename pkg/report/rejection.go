package report

import (
	"encoding/json"
	"fmt"
	"time"
)

// Reason says why a document was rejected instead of becoming a record.
type Reason string

// Rejection reasons.
const (
	ReasonNotReport   Reason = "not_report"   // a page that is not an annual report (a list, a notice, a guide)
	ReasonUnreadable  Reason = "unreadable"   // a report whose content could not be read
	ReasonTooLarge    Reason = "too_large"    // a body over the configured size limit
	ReasonBadEncoding Reason = "bad_encoding" // bytes that decode in no supported encoding
	ReasonEmpty       Reason = "empty"        // no body, or no text in it
	ReasonUnsupported Reason = "unsupported"  // a format the extractor cannot read yet
)

// Rejection is what the extractor publishes for a document that is kept but is not a
// readable report: the document's identity and the reason.
type Rejection struct {
	Schema        int       `json:"schema"`
	DocID         string    `json:"doc_id"`
	URL           string    `json:"url"`
	Site          string    `json:"site,omitempty"`
	Kind          string    `json:"kind,omitempty"`
	Title         string    `json:"title,omitempty"`
	Reason        Reason    `json:"reason"`
	Detail        string    `json:"detail"`
	ContentSHA256 string    `json:"content_sha256,omitempty"`
	Size          int64     `json:"size"`
	FetchedAt     time.Time `json:"fetched_at,omitzero"`
	ExtractedAt   time.Time `json:"extracted_at"`
	ParserVersion string    `json:"parser_version"`
	Region        Region    `json:"region"`
}

// Error makes a rejection usable as an error: "not_report: detail".
func (r *Rejection) Error() string { return string(r.Reason) + ": " + r.Detail }

// Version returns the rejection's version for replacing rows (ExtractedAt in ns).
func (r *Rejection) Version() uint64 {
	if r.ExtractedAt.IsZero() {
		return 0
	}
	return uint64(r.ExtractedAt.UnixNano())
}

// UnmarshalRejection decodes a rejection and checks its schema version.
func UnmarshalRejection(b []byte) (*Rejection, error) {
	var r Rejection
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode rejection: %w", err)
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("rejection schema %d: this build reads schema %d", r.Schema, SchemaVersion)
	}
	if r.DocID == "" || r.Reason == "" {
		return nil, fmt.Errorf("rejection without doc_id or reason")
	}
	return &r, nil
}
