package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Open connects to cfg.DSN over the native protocol, creates cfg.Database when
// missing and returns a connection pool whose default database is cfg.Database. The
// caller closes it.
func Open(ctx context.Context, cfg Config) (driver.Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.DSN == "" {
		return nil, errors.New("warehouse: no dsn configured")
	}
	opts, err := clickhouse.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("warehouse.dsn: %w", err)
	}
	opts.DialTimeout = cfg.DialTimeout
	opts.ReadTimeout = cfg.QueryTimeout + 30*time.Second
	opts.MaxOpenConns = cfg.MaxOpenConns
	opts.MaxIdleConns = min(cfg.MaxOpenConns, 4)
	if opts.Settings == nil {
		opts.Settings = clickhouse.Settings{}
	}
	opts.Settings["max_execution_time"] = int(cfg.QueryTimeout / time.Second)

	// The database may not exist yet, and connecting to a missing database fails:
	// create it through the default database first.
	boot := *opts
	boot.Auth.Database = ""
	boot.MaxOpenConns, boot.MaxIdleConns = 1, 1
	bc, err := clickhouse.Open(&boot)
	if err != nil {
		return nil, fmt.Errorf("connect to clickhouse %v: %w", opts.Addr, err)
	}
	err = ensureDatabase(ctx, bc, cfg.Database)
	bc.Close()
	if err != nil {
		return nil, fmt.Errorf("database %s on %v: %w", cfg.Database, opts.Addr, err)
	}

	opts.Auth.Database = cfg.Database
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to clickhouse %v: %w", opts.Addr, err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("ping clickhouse %v: %w", opts.Addr, err)
	}
	return conn, nil
}

// ensureDatabase creates database unless it exists. It looks first, so that users
// without DDL rights (analysts, the loader) can open an existing database.
func ensureDatabase(ctx context.Context, conn driver.Conn, database string) error {
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.databases WHERE name = ?", database).Scan(&n); err != nil {
		return fmt.Errorf("look up: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+database); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	return nil
}
