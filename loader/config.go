package loader

import (
	"fmt"
	"time"
)

// Config configures the loader stage.
type Config struct {
	// BatchRows flushes a batch once it holds this many table rows (all tables
	// together; a record of template 2021 is about 250 rows).
	BatchRows int `yaml:"batch_rows"`
	// BatchAge flushes a non-empty batch this long after its first message arrived.
	BatchAge time.Duration `yaml:"batch_age"`
	// FetchMaxWait bounds one pull from JetStream when the batch is empty.
	FetchMaxWait time.Duration `yaml:"fetch_max_wait"`
	// AckWait is how long JetStream waits for an ack before redelivering; it must
	// cover BatchAge plus an insert.
	AckWait time.Duration `yaml:"ack_wait"`
	// MaxDeliver bounds the deliveries of one message. A message whose last delivery
	// fails to load goes to the dead-letter subject with the error.
	MaxDeliver int `yaml:"max_deliver"`
	// RetryBackoff is the first wait after a failed insert; it doubles with every
	// failure in a row, up to 32 times its value.
	RetryBackoff time.Duration `yaml:"retry_backoff"`
	// ShutdownTimeout bounds flushing the open batch when the loader stops; a batch
	// that cannot be flushed in time is nak'ed.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// DefaultConfig returns the defaults: batches of 50,000 rows or 2 s, 1 s pulls, a
// 2 min ack wait, 10 deliveries, 1 s first back-off, 30 s to shut down.
func DefaultConfig() Config {
	return Config{
		BatchRows:       50_000,
		BatchAge:        2 * time.Second,
		FetchMaxWait:    time.Second,
		AckWait:         2 * time.Minute,
		MaxDeliver:      10,
		RetryBackoff:    time.Second,
		ShutdownTimeout: 30 * time.Second,
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.BatchRows < 1 || c.BatchRows > 1_000_000:
		return fmt.Errorf("loader.batch_rows: %d, want 1 to 1000000", c.BatchRows)
	case c.BatchAge < 10*time.Millisecond:
		return fmt.Errorf("loader.batch_age: %s, want at least 10ms", c.BatchAge)
	case c.FetchMaxWait < 10*time.Millisecond:
		return fmt.Errorf("loader.fetch_max_wait: %s, want at least 10ms", c.FetchMaxWait)
	case c.MaxDeliver < 2:
		return fmt.Errorf("loader.max_deliver: %d, want at least 2 (bounded, and room for one retry)", c.MaxDeliver)
	case c.RetryBackoff <= 0:
		return fmt.Errorf("loader.retry_backoff: must be positive")
	case c.ShutdownTimeout <= 0:
		return fmt.Errorf("loader.shutdown_timeout: must be positive")
	case c.AckWait < 2*(c.BatchAge+c.FetchMaxWait)+10*time.Second:
		return fmt.Errorf("loader.ack_wait: %s is too short for batch_age %s and fetch_max_wait %s (want at least twice their sum plus 10s)",
			c.AckWait, c.BatchAge, c.FetchMaxWait)
	}
	return nil
}
