package extractor

import (
	"fmt"
	"time"

	"github.com/govreport/govreport/extractor/attach"
)

// Config configures the extractor stage.
type Config struct {
	// Workers is the number of documents parsed at once.
	Workers int `yaml:"workers"`
	// MaxBodyBytes rejects larger documents as too_large.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// AckWait is how long JetStream waits for an ack before redelivering a message.
	AckWait time.Duration `yaml:"ack_wait"`
	// FetchMaxWait bounds one pull request for messages.
	FetchMaxWait time.Duration `yaml:"fetch_max_wait"`
	// MaxDeliver is how many times a message is delivered; a message that failed
	// MaxDeliver-1 times goes to the dead-letter subject.
	MaxDeliver int `yaml:"max_deliver"`
	// Batch is how many messages one worker pulls at a time.
	Batch int `yaml:"batch"`
	// NakDelay is how long a message that failed for a transient reason (the object
	// store or PARSED unavailable) waits before its redelivery.
	NakDelay time.Duration `yaml:"nak_delay"`
	// Attachments configures the readers of PDF, Word and Excel attachments: their
	// hard limits (zip sizes and ratio, XML depth and tokens, PDF pages, objects and
	// stream bytes, sheet cells, converter output, time per document) and the
	// antiword program for .doc files.
	Attachments attach.Config `yaml:"attachments"`
}

// DefaultConfig returns the defaults: 2 workers, 20 MiB bodies, redelivery after a
// minute, 5 deliveries at most, and attach.DefaultConfig for attachments.
func DefaultConfig() Config {
	return Config{
		Workers:      2,
		MaxBodyBytes: DefaultMaxBodyBytes,
		AckWait:      time.Minute,
		FetchMaxWait: time.Second,
		MaxDeliver:   5,
		Batch:        8,
		NakDelay:     5 * time.Second,
		Attachments:  attach.DefaultConfig(),
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.Workers < 1 || c.Workers > 256:
		return fmt.Errorf("extractor.workers: %d, want 1 to 256", c.Workers)
	case c.MaxBodyBytes < 1<<10:
		return fmt.Errorf("extractor.max_body_bytes: %d is too small (minimum 1 KiB)", c.MaxBodyBytes)
	case c.AckWait < time.Second:
		return fmt.Errorf("extractor.ack_wait: %s, want at least 1s", c.AckWait)
	case c.FetchMaxWait <= 0 || c.FetchMaxWait >= c.AckWait:
		return fmt.Errorf("extractor.fetch_max_wait: %s, want more than 0 and less than ack_wait (%s)", c.FetchMaxWait, c.AckWait)
	case c.MaxDeliver < 2:
		return fmt.Errorf("extractor.max_deliver: %d, want at least 2 (one delivery and one retry)", c.MaxDeliver)
	case c.Batch < 1 || c.Batch > 1024:
		return fmt.Errorf("extractor.batch: %d, want 1 to 1024", c.Batch)
	case c.NakDelay < 0:
		return fmt.Errorf("extractor.nak_delay: must not be negative")
	case c.Attachments.Limits.Timeout >= c.AckWait:
		return fmt.Errorf("extractor.attachments.limits.timeout: %s, want less than ack_wait (%s)", c.Attachments.Limits.Timeout, c.AckWait)
	}
	return c.Attachments.Validate("extractor.attachments")
}
