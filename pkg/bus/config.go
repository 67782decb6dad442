package bus

import (
	"fmt"
	"net"
	"net/url"
	"time"
)

// Config says which NATS the pipeline uses.
type Config struct {
	// URL of an external NATS server or cluster (comma-separated URLs allowed). Empty
	// starts an embedded server.
	URL string `yaml:"url"`
	// CredsFile is a NATS credentials file for the external server (optional).
	CredsFile string `yaml:"creds_file"`
	// Replicas of every stream: 1 for one server, 3 or 5 in a cluster.
	Replicas int `yaml:"replicas"`
	// MaxInlineBody is the largest raw body carried inside a message; larger bodies go
	// to the object store. Must stay below the server's max payload.
	MaxInlineBody int `yaml:"max_inline_body"`
	// ConnectTimeout bounds connecting and the initial stream set-up.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Embedded configures the embedded server (used when URL is empty).
	Embedded EmbeddedConfig `yaml:"embedded"`
}

// EmbeddedConfig configures the embedded nats-server.
type EmbeddedConfig struct {
	// Listen is a host:port for other processes to connect to; empty accepts only the
	// in-process connection.
	Listen string `yaml:"listen"`
	// StoreDir holds JetStream's files; empty means <data_dir>/nats.
	StoreDir string `yaml:"store_dir"`
	// MaxPayload is the server's largest message in bytes.
	MaxPayload int32 `yaml:"max_payload"`
}

// DefaultConfig returns the defaults: an embedded server, one replica, bodies up to
// 700 KiB inline under a 1 MiB max payload.
func DefaultConfig() Config {
	return Config{
		Replicas:       1,
		MaxInlineBody:  700 << 10,
		ConnectTimeout: 10 * time.Second,
		Embedded:       EmbeddedConfig{MaxPayload: 1 << 20},
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.URL != "" {
		if _, err := url.Parse(c.URL); err != nil {
			return fmt.Errorf("nats.url: %w", err)
		}
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return fmt.Errorf("nats.replicas: %d, want 1 to 5", c.Replicas)
	}
	if c.ConnectTimeout <= 0 {
		return fmt.Errorf("nats.connect_timeout: must be positive")
	}
	if c.Embedded.MaxPayload < 64<<10 {
		return fmt.Errorf("nats.embedded.max_payload: %d bytes is too small (minimum 64 KiB)", c.Embedded.MaxPayload)
	}
	if c.MaxInlineBody <= 0 {
		return fmt.Errorf("nats.max_inline_body: must be positive")
	}
	// Leave room for the JSON envelope: base64 grows the body by a third. (An external
	// server's limit is checked when publishing.)
	if encoded := int64(c.MaxInlineBody)*4/3 + 16<<10; c.URL == "" && encoded > int64(c.Embedded.MaxPayload) {
		return fmt.Errorf("nats.max_inline_body: %d bytes does not fit a %d byte message once encoded", c.MaxInlineBody, c.Embedded.MaxPayload)
	}
	if c.Embedded.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Embedded.Listen); err != nil {
			return fmt.Errorf("nats.embedded.listen: %w", err)
		}
	}
	return nil
}
