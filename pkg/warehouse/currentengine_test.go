package warehouse

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/pkg/warehouse/chdbtest"
)

type chdbStep = chdbtest.Step

func chdbOpen(t *testing.T) *chdbtest.Engine { return chdbtest.Open(t) }

// chdbRun runs steps in a fresh chDB session of the test.
func chdbRun(t *testing.T, eng *chdbtest.Engine, steps []chdbStep) (string, []chdbtest.Result) {
	t.Helper()
	return eng.RunChecked(t, t.TempDir(), steps, 0)
}

// TestDeploySQLParsesOnCurrentEngine parses, on a current ClickHouse, what cannot run
// without Keeper or access control: the cluster schema with Replicated tables and ON
// CLUSTER, and deploy/clickhouse/rbac.sql.
func TestDeploySQLParsesOnCurrentEngine(t *testing.T) {
	eng := chdbOpen(t)
	ms, err := ClusterMigrations(ClusterOptions{Cluster: "govreport"})
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	for _, m := range ms {
		stmts = append(stmts, m.statementsFor("govreport")...)
	}
	rbac, err := os.ReadFile(filepath.Join(deployDir, "rbac.sql"))
	if err != nil {
		t.Fatal(err)
	}
	rbacStmts := SplitStatements(string(rbac))
	if len(rbacStmts) < 5 {
		t.Fatalf("rbac.sql has %d statements", len(rbacStmts))
	}
	stmts = append(stmts, rbacStmts...)
	steps := make([]chdbStep, len(stmts))
	for i, s := range stmts {
		steps[i] = chdbStep{SQL: "EXPLAIN AST " + s}
	}
	version, res := chdbRun(t, eng, steps)
	for i, r := range res {
		if r.Err != "" {
			t.Errorf("ClickHouse %s does not parse: %s\n%s", version, r.Err, stmts[i])
		}
	}
}
