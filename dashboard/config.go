package dashboard

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Config configures the dashboard.
type Config struct {
	// Listen is host:port to serve on; empty disables the dashboard in `run`.
	Listen string `yaml:"listen"`
	// Language is the default interface language: zh or en. A visitor's ?lang=
	// choice is kept in a cookie.
	Language string `yaml:"language"`
	// QueryTimeout bounds every ClickHouse query a page makes.
	QueryTimeout time.Duration `yaml:"query_timeout"`
	// MaxRows caps the explorer's table and its CSV download.
	MaxRows int `yaml:"max_rows"`
	// CacheTTL is how long a query's result is reused (0 turns the cache off).
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// Actions lists the changes the dashboard may make; all are off by default.
	Actions ActionsConfig `yaml:"actions"`
}

// ActionsConfig allows the dashboard's write actions.
type ActionsConfig struct {
	// Redrive allows re-publishing dead letters to the subject they came from.
	Redrive bool `yaml:"redrive"`
}

// DefaultConfig returns the defaults: loopback port 8080, Chinese, read-only.
func DefaultConfig() Config {
	return Config{
		Listen:       "127.0.0.1:8080",
		Language:     LangZH,
		QueryTimeout: 15 * time.Second,
		MaxRows:      5000,
		CacheTTL:     30 * time.Second,
	}
}

// Validate checks the configuration; errors name the key.
func (c *Config) Validate() error {
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			return fmt.Errorf("dashboard.listen: %w", err)
		}
	}
	if c.Language != LangZH && c.Language != LangEN {
		return fmt.Errorf("dashboard.language: %q, want zh or en", c.Language)
	}
	if c.QueryTimeout <= 0 {
		return errors.New("dashboard.query_timeout: must be positive")
	}
	if c.CacheTTL < 0 || c.CacheTTL > time.Hour {
		return fmt.Errorf("dashboard.cache_ttl: %s, want 0 to 1h", c.CacheTTL)
	}
	if c.MaxRows < 1 || c.MaxRows > 1_000_000 {
		return fmt.Errorf("dashboard.max_rows: %d, want 1 to 1000000", c.MaxRows)
	}
	return nil
}
