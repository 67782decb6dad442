package bus

import (
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
)

// LoadedNotice says that a batch of reports reached the warehouse: the alerter's
// cross-report rules run again over the years it touched.
type LoadedNotice struct {
	// Years are the report years of the records loaded.
	Years []int `json:"years"`
	// Reports is the number of records loaded.
	Reports int `json:"reports"`
}

// PublishLoaded sends a notice on SubjectLoaded (core NATS: fire and forget).
func PublishLoaded(nc *nats.Conn, n LoadedNotice) error {
	data, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("encode loaded notice: %w", err)
	}
	if err := nc.Publish(SubjectLoaded, data); err != nil {
		return fmt.Errorf("publish loaded notice: %w", err)
	}
	return nil
}

// ParseLoaded decodes a notice sent by PublishLoaded.
func ParseLoaded(data []byte) (LoadedNotice, error) {
	var n LoadedNotice
	if err := json.Unmarshal(data, &n); err != nil {
		return LoadedNotice{}, fmt.Errorf("decode loaded notice: %w", err)
	}
	return n, nil
}
