package warehouse

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed migrations/*.sql
var embedded embed.FS

// MigrationsTable records the applied migrations.
const MigrationsTable = "schema_migrations"

// DatabasePlaceholder is replaced in migration files by the target database, so
// that every table and view is created and referenced fully qualified.
const DatabasePlaceholder = "${database}"

// Migration is one versioned SQL file, migrations/NNNN_name.sql.
type Migration struct {
	Version    int
	Name       string
	Checksum   string // hex SHA-256 of the file
	Statements []string
}

var migrationFile = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// Migrations returns the migrations built into this binary, in version order.
func Migrations() ([]Migration, error) {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		return nil, err
	}
	return loadMigrations(sub)
}

// loadMigrations reads every *.sql file at the root of fsys.
func loadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationFile.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql (lower-case name)", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if v == 0 {
			return nil, fmt.Errorf("migration %s: versions start at 0001", e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same version %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		stmts := SplitStatements(string(b))
		if len(stmts) == 0 {
			return nil, fmt.Errorf("migration %s has no statements", e.Name())
		}
		sum := sha256.Sum256(b)
		out = append(out, Migration{Version: v, Name: m[2], Checksum: hex.EncodeToString(sum[:]), Statements: stmts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SplitStatements splits a migration file into statements: a statement ends with a
// line whose last non-blank character is ';'. Lines that are only a `--` comment
// are dropped, as are statements left empty; the trailing ';' is removed. Text
// after the last ';' is a statement too.
func SplitStatements(sql string) []string {
	var out []string
	var cur []string
	flush := func() {
		if s := strings.TrimSpace(strings.Join(cur, "\n")); s != "" {
			out = append(out, s)
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(sql, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		if strings.HasSuffix(trimmed, ";") {
			cur = append(cur, strings.TrimSuffix(strings.TrimRight(line, " \t"), ";"))
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}

// statementsFor returns a migration's statements for a database.
func (m Migration) statementsFor(database string) []string {
	out := make([]string, len(m.Statements))
	for i, s := range m.Statements {
		out[i] = strings.ReplaceAll(s, DatabasePlaceholder, database)
	}
	return out
}

// Migrate applies, in order, the built-in migrations that database does not have
// yet, and returns their versions. It is idempotent: a second run applies nothing,
// and runs no DDL, so a user without DDL rights can call it to check that the
// schema is up to date (it fails when a migration is pending).
// An applied migration whose file has changed since (another checksum) is an error:
// write a new migration instead of editing an applied one. Migration statements
// are themselves idempotent (IF NOT EXISTS; ALTER … ADD COLUMN skips the columns
// that exist; a view is dropped only to be created again), so two processes
// migrating at once, or a run interrupted between a statement and its record, do
// no harm.
func Migrate(ctx context.Context, conn driver.Conn, database string) ([]int, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	return migrate(ctx, conn, database, ms)
}

func migrate(ctx context.Context, conn driver.Conn, database string, ms []Migration) ([]int, error) {
	if !identifier.MatchString(database) {
		return nil, fmt.Errorf("migrate: database %q is not a plain identifier", database)
	}
	table := database + "." + MigrationsTable
	// Read before writing: a database that is up to date needs no DDL, so that
	// roles without DDL rights (the loader's, the analysts') can check the schema.
	exists, err := tableExists(ctx, conn, database, MigrationsTable)
	if err != nil {
		return nil, err
	}
	applied := map[int]string{}
	if exists {
		if applied, err = appliedMigrations(ctx, conn, table); err != nil {
			return nil, err
		}
	}
	var pending []Migration
	for _, m := range ms {
		sum, ok := applied[m.Version]
		switch {
		case !ok:
			pending = append(pending, m)
		case sum != m.Checksum:
			return nil, fmt.Errorf("migration %04d_%s was applied with checksum %s but the file now has %s: add a new migration instead of editing an applied one",
				m.Version, m.Name, short(sum), short(m.Checksum))
		}
	}
	if len(pending) == 0 {
		return nil, nil
	}
	if !exists {
		if err := conn.Exec(ctx, migrationsTableDDL(table)); err != nil {
			return nil, fmt.Errorf("create %s (%d migrations pending; run them as a user allowed DDL): %w", table, len(pending), err)
		}
	}
	var done []int
	for _, m := range pending {
		for i, stmt := range m.statementsFor(database) {
			stmt, err := withoutExistingColumns(ctx, conn, stmt)
			if err != nil {
				return done, fmt.Errorf("migration %04d_%s statement %d: %w", m.Version, m.Name, i+1, err)
			}
			if stmt == "" {
				continue // every column it adds is there: an earlier run applied it
			}
			if err := conn.Exec(ctx, stmt); err != nil {
				return done, fmt.Errorf("migration %04d_%s statement %d: %w", m.Version, m.Name, i+1, err)
			}
		}
		if err := recordMigration(ctx, conn, table, m); err != nil {
			return done, err
		}
		done = append(done, m.Version)
	}
	return done, nil
}

// alterAdd matches an ALTER TABLE … ADD COLUMN statement as migrations write it:
// the table on the first line, then one ADD COLUMN clause per line, each but the
// last ending with a comma.
var (
	alterAdd     = regexp.MustCompile(`^ALTER TABLE ([a-zA-Z0-9_]+)\.([a-zA-Z0-9_]+)((?: ON CLUSTER [a-zA-Z0-9_{}$]+)?)\n`)
	addColumnArg = regexp.MustCompile(`^\s*ADD COLUMN ([a-z0-9_]+) `)
)

// withoutExistingColumns returns an ALTER TABLE … ADD COLUMN statement without the
// clauses whose column the table already has, or "" when it has them all; other
// statements are returned as they are. ClickHouse 18.16 has no ADD COLUMN IF NOT
// EXISTS, and this keeps migrations repeatable after an interrupted run.
func withoutExistingColumns(ctx context.Context, conn driver.Conn, stmt string) (string, error) {
	m := alterAdd.FindStringSubmatch(stmt)
	if m == nil {
		return stmt, nil
	}
	clauses, err := addClauses(stmt[len(m[0]):])
	if err != nil {
		return "", err
	}
	existing, err := columnsOf(ctx, conn, m[1], m[2])
	if err != nil {
		return "", err
	}
	var keep []string
	for _, c := range clauses {
		if !existing[c.column] {
			keep = append(keep, c.text)
		}
	}
	if len(keep) == 0 {
		return "", nil
	}
	return strings.TrimSuffix(m[0], "\n") + "\n" + strings.Join(keep, ",\n"), nil
}

// addClause is one ADD COLUMN clause of an ALTER statement.
type addClause struct{ column, text string }

// addClauses splits the body of an ALTER TABLE … ADD COLUMN statement into its
// clauses, one a line.
func addClauses(body string) ([]addClause, error) {
	var out []addClause
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		text := strings.TrimRight(line, " \t")
		if i < len(lines)-1 {
			if !strings.HasSuffix(text, ",") {
				return nil, fmt.Errorf("ALTER TABLE: clause %q must end with a comma (one ADD COLUMN a line)", strings.TrimSpace(text))
			}
			text = strings.TrimSuffix(text, ",")
		}
		m := addColumnArg.FindStringSubmatch(text)
		if m == nil {
			return nil, fmt.Errorf("ALTER TABLE: %q is not an ADD COLUMN clause (migrations only add columns, one a line)", strings.TrimSpace(text))
		}
		out = append(out, addClause{column: m[1], text: text})
	}
	return out, nil
}

// columnsOf returns the names of a table's columns.
func columnsOf(ctx context.Context, conn driver.Conn, database, table string) (map[string]bool, error) {
	rows, err := conn.Query(ctx, "SELECT name FROM system.columns WHERE database = ? AND table = ?", database, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", database, table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("columns of %s.%s: %w", database, table, err)
		}
		out[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", database, table, err)
	}
	return out, nil
}

// migrationsTableDDL creates the table that records applied migrations.
func migrationsTableDDL(table string) string {
	return "CREATE TABLE IF NOT EXISTS " + table + ` (
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime('UTC')
) ENGINE = MergeTree ORDER BY version`
}

// tableExists reports whether database.name exists (a read, allowed to read-only users).
func tableExists(ctx context.Context, conn driver.Conn, database, name string) (bool, error) {
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = ? AND name = ?", database, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look up %s.%s: %w", database, name, err)
	}
	return n > 0, nil
}

// appliedMigrations returns the checksum of every applied version.
func appliedMigrations(ctx context.Context, conn driver.Conn, table string) (map[int]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, any(checksum) FROM "+table+" GROUP BY version")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var v uint32
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		out[int(v)] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return out, nil
}

func recordMigration(ctx context.Context, conn driver.Conn, table string, m Migration) error {
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+table+" (version, name, checksum, applied_at)")
	if err != nil {
		return fmt.Errorf("record migration %04d: %w", m.Version, err)
	}
	defer b.Close()
	if err := b.Append(uint32(m.Version), m.Name, m.Checksum, time.Now().UTC().Truncate(time.Second)); err != nil {
		return fmt.Errorf("record migration %04d: %w", m.Version, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("record migration %04d: %w", m.Version, err)
	}
	return nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
