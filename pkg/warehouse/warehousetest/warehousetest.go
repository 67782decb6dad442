// Package warehousetest gives tests of other packages a migrated database of their
// own on a real ClickHouse server (pkg/chserver/chtest).
package warehousetest

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/warehouse"
)

// Open returns a connection to a fresh database on server s (nil: the shared test
// server) with every migration applied, and the database's name. The connection
// closes and the database is dropped when the test ends.
func Open(t testing.TB, s *chserver.Server) (driver.Conn, string) {
	t.Helper()
	if s == nil {
		s = chtest.Shared(t)
	}
	db := chtest.Database(t, s)
	cfg := warehouse.DefaultConfig()
	cfg.DSN, cfg.Database = s.DSN(""), db
	ctx := context.Background()
	conn, err := warehouse.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := warehouse.Migrate(ctx, conn, db); err != nil {
		t.Fatal(err)
	}
	return conn, db
}
