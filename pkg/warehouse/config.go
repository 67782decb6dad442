package warehouse

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Config says which ClickHouse the pipeline uses.
type Config struct {
	// DSN is a clickhouse-go DSN for the native protocol, e.g.
	// clickhouse://user:pass@host:9000?dial_timeout=5s. A database in its path must
	// match Database. Empty means a local server is started (see package chserver).
	DSN string `yaml:"dsn"`
	// Database holds the pipeline's tables; Open creates it when missing.
	Database string `yaml:"database"`
	// DialTimeout bounds connecting.
	DialTimeout time.Duration `yaml:"dial_timeout"`
	// QueryTimeout bounds one query on the server (max_execution_time) and the wait
	// for the server's answer.
	QueryTimeout time.Duration `yaml:"query_timeout"`
	// MaxOpenConns bounds the connection pool.
	MaxOpenConns int `yaml:"max_open_conns"`
}

// DefaultConfig returns the defaults: database govreport, 5 s to connect, 5 min per
// query, 8 connections.
func DefaultConfig() Config {
	return Config{
		Database:     "govreport",
		DialTimeout:  5 * time.Second,
		QueryTimeout: 5 * time.Minute,
		MaxOpenConns: 8,
	}
}

// identifier is what this package accepts as a database name: it is pasted into
// SQL, so nothing that would need quoting.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CheckIdent returns an error unless name is a plain identifier (letters, digits,
// _), safe to paste into SQL as a database or table name.
func CheckIdent(name string) error {
	if !identifier.MatchString(name) {
		return fmt.Errorf("%q is not a plain identifier (letters, digits, _)", name)
	}
	return nil
}

// Validate checks the configuration. An empty DSN is valid (a local server).
func (c *Config) Validate() error {
	if !identifier.MatchString(c.Database) {
		return fmt.Errorf("warehouse.database: %q is not a plain identifier (letters, digits, _)", c.Database)
	}
	if c.DSN != "" {
		if !strings.HasPrefix(c.DSN, "clickhouse://") && !strings.HasPrefix(c.DSN, "tcp://") {
			return fmt.Errorf("warehouse.dsn: want clickhouse://host:port (the native protocol); the HTTP protocol does not work with every server")
		}
		opts, err := clickhouse.ParseDSN(c.DSN)
		if err != nil {
			return fmt.Errorf("warehouse.dsn: %w", err)
		}
		if db := opts.Auth.Database; db != "" && db != c.Database {
			return fmt.Errorf("warehouse.dsn: names database %q but warehouse.database is %q", db, c.Database)
		}
	}
	if c.DialTimeout <= 0 {
		return fmt.Errorf("warehouse.dial_timeout: must be positive")
	}
	if c.QueryTimeout < time.Second {
		return fmt.Errorf("warehouse.query_timeout: %s is under a second", c.QueryTimeout)
	}
	if c.MaxOpenConns < 1 {
		return fmt.Errorf("warehouse.max_open_conns: %d, want at least 1", c.MaxOpenConns)
	}
	return nil
}
