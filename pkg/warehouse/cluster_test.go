package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/chserver/chtest"
)

// deployDir holds the ClickHouse deployment files.
var deployDir = filepath.Join("..", "..", "deploy", "clickhouse")

func TestClusterMigrations(t *testing.T) {
	single, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ClusterMigrations(ClusterOptions{Cluster: "gr"})
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	for i, m := range ms {
		if m.Version != single[i].Version || m.Checksum != single[i].Checksum {
			t.Errorf("cluster migration %d is not migration %d", m.Version, single[i].Version)
		}
		for _, s := range m.Statements {
			if !regexp.MustCompile(` ON CLUSTER gr\b`).MatchString(s) {
				t.Errorf("no ON CLUSTER: %s", s)
			}
			if regexp.MustCompile(`[^L] IN \(`).MatchString(s) {
				t.Errorf("an IN that is not GLOBAL: %s", s)
			}
		}
		all += strings.Join(m.Statements, ";\n") + ";\n"
	}
	for _, tbl := range Tables {
		local := "${database}." + tbl + LocalSuffix
		for _, want := range []string{
			"CREATE TABLE IF NOT EXISTS " + local + " ON CLUSTER gr (",
			"ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${database}/" + tbl + LocalSuffix + "', '{replica}', version)",
			"CREATE TABLE IF NOT EXISTS ${database}." + tbl + " ON CLUSTER gr AS " + local + " ENGINE = Distributed(gr, ${database}, " + tbl + LocalSuffix + ", sipHash64(",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("cluster schema lacks %q", want)
			}
		}
	}
	if !strings.Contains(all, "sipHash64(alert_id)") || !strings.Contains(all, "GLOBAL ANY LEFT JOIN") {
		t.Error("alerts not sharded by alert_id, or a JOIN not GLOBAL")
	}
	nk, err := ClusterMigrations(ClusterOptions{Cluster: "gr", NoKeeper: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range nk {
		for _, s := range m.Statements {
			if strings.Contains(s, "ON CLUSTER") || strings.Contains(s, "Replicated") {
				t.Errorf("NoKeeper statement needs Keeper: %s", s)
			}
		}
	}
	if _, err := ClusterMigrations(ClusterOptions{Cluster: "a-b"}); err == nil {
		t.Error("accepted a cluster name that needs quoting")
	}
	for _, bad := range []string{"ALTER TABLE ${database}.reports ADD COLUMN x UInt8", "SELECT 1 FROM t WHERE x GLOBAL IN (SELECT 1)", "CREATE VIEW IF NOT EXISTS ${database}.v AS\nSELECT 1 WHERE x NOT IN (SELECT 1)"} {
		if _, err := clusterStatement(bad, ClusterOptions{Cluster: "gr"}); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

// TestDeploySchemaFiles keeps the generated schema files under deploy/clickhouse in
// step with the migrations (go test -run TestDeploySchemaFiles -update rewrites them).
func TestDeploySchemaFiles(t *testing.T) {
	single, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	cluster, err := ClusterMigrations(ClusterOptions{Cluster: "govreport"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"schema.sql":         "-- Generated from pkg/warehouse/migrations by `go test ./pkg/warehouse -run TestDeploySchemaFiles -update`; do not edit.\n-- The single-node schema for database govreport (what `govreport migrate` applies).\n\n" + ClusterSQL(single, "govreport"),
		"cluster/schema.sql": "-- Generated from pkg/warehouse/migrations by `go test ./pkg/warehouse -run TestDeploySchemaFiles -update`; do not edit.\n-- The cluster schema for database govreport on cluster govreport (see warehouse.ClusterMigrations):\n-- clickhouse-client --multiquery < schema.sql on any one server applies it everywhere.\n\n" + ClusterSQL(cluster, "govreport"),
	}
	for name, want := range files {
		path := filepath.Join(deployDir, name)
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s is out of date: run go test ./pkg/warehouse -run TestDeploySchemaFiles -update", path)
		}
	}
}

// Passwords of the deploy users in the server TestDeploy starts.
var deployPasswords = map[string]string{
	"govreport_analyst":  "analyst-pw",
	"govreport_loader":   "loader-pw",
	"govreport_migrator": "migrator-pw",
}

// startDeployServer starts a server of its own with deploy/clickhouse/users.d and a
// one-shard cluster named govreport whose shard is the server itself.
func startDeployServer(t *testing.T) *chserver.Server {
	t.Helper()
	cfg := chserver.DefaultConfig()
	if cfg.Binary = chserver.FindBinary(); cfg.Binary == "" {
		if os.Getenv(chtest.RequireEnv) == "1" {
			t.Fatal(chserver.ErrNotFound)
		}
		t.Skip(chserver.ErrNotFound)
	}
	cfg.Dir = t.TempDir()
	cfg.MaxMemory = 2 << 30
	cfg.StopTimeout = 20 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.TCPPort = l.Addr().(*net.TCPAddr).Port
	l.Close()
	for user, pw := range deployPasswords {
		sum := sha256.Sum256([]byte(pw))
		t.Setenv(strings.ToUpper(user)+"_PASSWORD_SHA256", hex.EncodeToString(sum[:]))
	}
	users, err := os.ReadFile(filepath.Join(deployDir, "users.d", "govreport.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cluster := fmt.Sprintf(`<?xml version="1.0"?>
<yandex><remote_servers><govreport><shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard></govreport></remote_servers></yandex>
`, cfg.TCPPort)
	for name, data := range map[string][]byte{"users.d/govreport.xml": users, "config.d/cluster.xml": []byte(cluster)} {
		p := filepath.Join(cfg.Dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := chserver.Start(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("stop clickhouse-server: %v", err)
		}
	})
	return s
}

// TestDeploy checks deploy/clickhouse on a real 18.16 server: the roles of
// users.d/govreport.xml, and the cluster variant of the schema through Distributed
// tables (without Keeper) giving the same views as one server.
func TestDeploy(t *testing.T) {
	srv := startDeployServer(t)
	ctx := context.Background()
	open := func(t *testing.T, user string) (driver.Conn, error) {
		cfg := DefaultConfig()
		cfg.DSN = "clickhouse://" + user + ":" + deployPasswords[user] + "@" + srv.TCPAddr() + "/govreport"
		return Open(ctx, cfg)
	}
	t.Run("roles", func(t *testing.T) {
		mig, err := open(t, "govreport_migrator")
		if err != nil {
			t.Fatal(err)
		}
		defer mig.Close()
		if applied, err := Migrate(ctx, mig, "govreport"); err != nil || len(applied) == 0 {
			t.Fatalf("migrator: applied %v, %v", applied, err)
		}
		if err := mig.Exec(ctx, "CREATE DATABASE elsewhere"); err == nil {
			t.Error("migrator created a database other than govreport")
		}
		for _, user := range []string{"govreport_analyst", "govreport_loader"} {
			conn, err := open(t, user)
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			defer conn.Close()
			// Checking the schema needs no DDL.
			if applied, err := Migrate(ctx, conn, "govreport"); err != nil || len(applied) != 0 {
				t.Errorf("%s: migrate %v, %v", user, applied, err)
			}
			if _, err := Query(ctx, conn, "SELECT count() FROM system.one"); err != nil {
				t.Errorf("%s cannot read system tables: %v", user, err)
			}
			if _, err := Query(ctx, conn, "SELECT count() FROM default.nothing_here"); err == nil || !strings.Contains(err.Error(), "Access denied") {
				t.Errorf("%s reads another database: %v", user, err)
			}
		}
		an, _ := open(t, "govreport_analyst")
		defer an.Close()
		for _, v := range allViews() {
			if _, err := Query(ctx, an, "SELECT count() FROM "+v); err != nil {
				t.Errorf("analyst reads %s: %v", v, err)
			}
		}
		if _, err := Query(ctx, an, "SELECT count() FROM reports SETTINGS max_threads = 1"); err != nil {
			t.Errorf("analyst cannot tune a setting: %v", err)
		}
		if err := insertAlert(ctx, an); err == nil || !strings.Contains(err.Error(), "readonly") {
			t.Errorf("analyst inserted: %v", err)
		}
		if err := an.Exec(ctx, "CREATE TABLE govreport.scratch (x UInt8) ENGINE = Memory"); err == nil {
			t.Error("analyst created a table")
		}
		ld, _ := open(t, "govreport_loader")
		defer ld.Close()
		if err := insertAlert(ctx, ld); err != nil {
			t.Errorf("loader cannot insert: %v", err)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		def, err := clickhouse.Open(&clickhouse.Options{Addr: []string{srv.TCPAddr()}})
		if err != nil {
			t.Fatal(err)
		}
		defer def.Close()
		for _, db := range []string{"single", "sharded"} {
			if err := def.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Migrate(ctx, def, "single"); err != nil {
			t.Fatal(err)
		}
		if _, err := MigrateCluster(ctx, def, "sharded", ClusterOptions{Cluster: "govreport", NoKeeper: true}); err != nil {
			t.Fatal(err)
		}
		var engine string
		if err := def.QueryRow(ctx, "SELECT engine FROM system.tables WHERE database = 'sharded' AND name = 'reports'").Scan(&engine); err != nil || engine != "Distributed" {
			t.Fatalf("sharded.reports engine %q, %v", engine, err)
		}
		loadFixture(t, ctx, def, "single")
		sync := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_distributed_sync": 1}))
		loadFixture(t, sync, def, "sharded")
		want := viewDumps(t, srv.HTTPAddr(), "single")
		got := viewDumps(t, srv.HTTPAddr(), "sharded")
		for _, v := range allViews() {
			if err := sameTSV(got[v], want[v]); err != nil {
				t.Errorf("%s through Distributed tables: %v", v, err)
			}
		}
	})
	t.Run("keeper variant parses", func(t *testing.T) {
		// 18.16 without Keeper refuses ON CLUSTER after parsing the statement; a
		// syntax error would say so first.
		def, err := clickhouse.Open(&clickhouse.Options{Addr: []string{srv.TCPAddr()}})
		if err != nil {
			t.Fatal(err)
		}
		defer def.Close()
		ms, err := ClusterMigrations(ClusterOptions{Cluster: "govreport"})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			for _, s := range m.statementsFor("keeper") {
				err := def.Exec(ctx, s)
				if err == nil || !strings.Contains(err.Error(), "DDL background thread is not initialized") {
					t.Errorf("%v\n%s", err, s)
				}
			}
		}
	})
}

func insertAlert(ctx context.Context, conn driver.Conn) error {
	b, err := conn.PrepareBatch(ctx, "INSERT INTO alerts (alert_id, version, rule, status)")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Append("x", uint64(1), "R1", "open"); err != nil {
		return err
	}
	return b.Send()
}
