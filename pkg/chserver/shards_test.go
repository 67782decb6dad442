package chserver_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/chserver/chtest"
)

// TestStartShards starts two servers that form cluster pair: each lists both shards
// in system.clusters, and a Distributed table on either reads the rows of both.
func TestStartShards(t *testing.T) {
	srvs := chtest.StartShards(t, "pair", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, s := range srvs {
		conn := open(t, s.DSN(""))
		var shards, local uint64
		if err := conn.QueryRow(ctx, "SELECT count(), toUInt64(sum(is_local)) FROM system.clusters WHERE cluster = 'pair'").Scan(&shards, &local); err != nil {
			t.Fatal(err)
		}
		if shards != 2 || local != 1 {
			t.Errorf("server %d: cluster pair has %d shards (%d local), want 2 (1)", i+1, shards, local)
		}
		for _, q := range []string{
			"CREATE TABLE n_local (n UInt8) ENGINE = Memory",
			fmt.Sprintf("INSERT INTO n_local (n) SELECT %d", i+1), // INSERT … VALUES through Exec hangs on 18.16
			"CREATE TABLE n AS n_local ENGINE = Distributed(pair, default, n_local)",
		} {
			if err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("server %d: %s: %v", i+1, q, err)
			}
		}
	}
	for i, s := range srvs {
		var got string
		if err := open(t, s.DSN("")).QueryRow(ctx, "SELECT toString(arraySort(groupArray(n))) FROM n").Scan(&got); err != nil {
			t.Fatalf("server %d: %v", i+1, err)
		}
		if got != "[1,2]" {
			t.Errorf("server %d reads %s through the Distributed table, want [1,2]", i+1, got)
		}
	}
}
