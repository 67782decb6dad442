package warehouse

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// ClusterPlaceholder is replaced in cluster statements by the cluster's name.
const ClusterPlaceholder = "${cluster}"

// LocalSuffix names the per-shard table behind each Distributed table: reports is
// Distributed over reports_local on every shard.
const LocalSuffix = "_local"

// ClusterOptions say how to turn the single-node schema into a cluster's.
type ClusterOptions struct {
	// Cluster is the cluster's name in the servers' remote_servers.
	Cluster string
	// NoKeeper leaves out what needs ClickHouse Keeper (ZooKeeper): the per-shard
	// tables use the plain engines and no statement says ON CLUSTER, so the schema
	// must be applied on every server. For a cluster without replication, and for
	// tests on a server without Keeper.
	NoKeeper bool
}

// Validate checks the options.
func (o ClusterOptions) Validate() error {
	if !identifier.MatchString(o.Cluster) {
		return fmt.Errorf("cluster %q is not a plain identifier (letters, digits, _)", o.Cluster)
	}
	return nil
}

// The statements ClusterMigrations understands.
var (
	createTable = regexp.MustCompile(`(?s)^CREATE TABLE IF NOT EXISTS \$\{database\}\.([a-z0-9_]+) (\(.*\)) ENGINE = ([A-Za-z]*)MergeTree(\(([^)]*)\))? (ORDER BY \(?([a-z0-9_]+).*)$`)
	createView  = regexp.MustCompile(`(?s)^CREATE VIEW IF NOT EXISTS \$\{database\}\.([a-z0-9_]+) AS\n(.*)$`)
	inSubquery  = regexp.MustCompile(`\bIN \(\s*SELECT\b`)
	join        = regexp.MustCompile(`\b((?:ANY|ALL) (?:LEFT|INNER|RIGHT|FULL) JOIN)\b`)
	notIn       = regexp.MustCompile(`\bNOT\s+IN\s*\(\s*SELECT\b`)
	global      = regexp.MustCompile(`\bGLOBAL\b`)
	alterTable  = regexp.MustCompile(`(?s)^ALTER TABLE \$\{database\}\.([a-z0-9_]+)\n(.*)$`)
	dropView    = regexp.MustCompile(`^DROP TABLE IF EXISTS \$\{database\}\.([a-z0-9_]+)$`)
)

// ClusterMigrations returns the built-in migrations rewritten for a cluster of
// shards (and replicas), generated from the same files as the single-node schema:
//
//   - every table T becomes T_local on each shard, a Replicated*MergeTree with the
//     Keeper path /clickhouse/tables/{shard}/<database>/T_local and replica
//     '{replica}' (the servers' macros), and T becomes a Distributed table over
//     T_local sharded by its first key column (doc_id or alert_id), so that every
//     version of a key lands on one shard and FINAL replaces as on one server;
//   - views keep their SQL and read the Distributed tables, with every IN
//     (SELECT …) made GLOBAL IN and every JOIN a GLOBAL JOIN, so that subqueries
//     see the whole cluster (reports_primary compares copies on different shards);
//   - ALTER TABLE … ADD COLUMN changes both T_local and T; DROP TABLE drops views
//     only (migrations drop a view to create it again with new columns);
//   - statements say ON CLUSTER (unless NoKeeper).
//
// The checksums are those of the files, so that single-node and cluster servers
// record the same migrations. A statement of a kind it does not know is an error:
// teach this function the new kind before shipping the migration.
func ClusterMigrations(opts ClusterOptions) ([]Migration, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	out := make([]Migration, len(ms))
	for i, m := range ms {
		c := m
		c.Statements = nil
		for j, s := range m.Statements {
			stmts, err := clusterStatement(s, opts)
			if err != nil {
				return nil, fmt.Errorf("migration %04d_%s statement %d: %w", m.Version, m.Name, j+1, err)
			}
			for _, cs := range stmts {
				c.Statements = append(c.Statements, strings.ReplaceAll(cs, ClusterPlaceholder, opts.Cluster))
			}
		}
		out[i] = c
	}
	return out, nil
}

func clusterStatement(s string, opts ClusterOptions) ([]string, error) {
	onCluster := " ON CLUSTER " + ClusterPlaceholder
	if opts.NoKeeper {
		onCluster = ""
	}
	if global.MatchString(s) || notIn.MatchString(s) {
		return nil, fmt.Errorf("GLOBAL or NOT IN (SELECT …) in a migration: write IN (SELECT …) and let the cluster variant add GLOBAL")
	}
	if m := createTable.FindStringSubmatch(s); m != nil {
		name, columns, variant, args, order, key := m[1], m[2], m[3], m[5], m[6], m[7]
		local := name + LocalSuffix
		engine := variant + "MergeTree"
		if args != "" {
			engine += "(" + args + ")"
		}
		if !opts.NoKeeper {
			params := "'/clickhouse/tables/{shard}/${database}/" + local + "', '{replica}'"
			if args != "" {
				params += ", " + args
			}
			engine = "Replicated" + variant + "MergeTree(" + params + ")"
		}
		return []string{
			"CREATE TABLE IF NOT EXISTS ${database}." + local + onCluster + " " + columns + " ENGINE = " + engine + " " + order,
			"CREATE TABLE IF NOT EXISTS ${database}." + name + onCluster + " AS ${database}." + local +
				" ENGINE = Distributed(" + ClusterPlaceholder + ", ${database}, " + local + ", sipHash64(" + key + "))",
		}, nil
	}
	if m := createView.FindStringSubmatch(s); m != nil {
		body := inSubquery.ReplaceAllString(m[2], "GLOBAL IN (SELECT")
		body = join.ReplaceAllString(body, "GLOBAL $1")
		return []string{"CREATE VIEW IF NOT EXISTS ${database}." + m[1] + onCluster + " AS\n" + body}, nil
	}
	if m := alterTable.FindStringSubmatch(s); m != nil {
		// The columns change on the shards' tables and on the Distributed table
		// over them, which must list the same columns.
		return []string{
			"ALTER TABLE ${database}." + m[1] + LocalSuffix + onCluster + "\n" + m[2],
			"ALTER TABLE ${database}." + m[1] + onCluster + "\n" + m[2],
		}, nil
	}
	if m := dropView.FindStringSubmatch(s); m != nil {
		// Migrations drop only views (to create them again with new columns); a
		// view is the same statement on every server.
		return []string{"DROP TABLE IF EXISTS ${database}." + m[1] + onCluster}, nil
	}
	head := s
	if i := strings.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return nil, fmt.Errorf("no cluster rule for %q: teach ClusterMigrations this kind of statement", head)
}

// ClusterSQL renders cluster migrations for a database as one SQL script, a
// statement per paragraph ending with ';', for clickhouse-client --multiquery.
func ClusterSQL(ms []Migration, database string) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "-- %04d_%s\n\n", m.Version, m.Name)
		for _, s := range m.statementsFor(database) {
			b.WriteString(s + ";\n\n")
		}
	}
	return b.String()
}

// MigrateCluster applies the cluster variant of the built-in migrations that
// database does not have yet (see ClusterMigrations), recording them in
// schema_migrations on the server conn talks to. With Keeper the statements run ON
// CLUSTER, so one run migrates every server; with NoKeeper run it on every server.
func MigrateCluster(ctx context.Context, conn driver.Conn, database string, opts ClusterOptions) ([]int, error) {
	ms, err := ClusterMigrations(opts)
	if err != nil {
		return nil, err
	}
	return migrate(ctx, conn, database, ms)
}
