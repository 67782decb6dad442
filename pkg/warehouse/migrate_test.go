package warehouse

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"comments only", "-- a\n  -- b;\n", nil},
		{"one", "SELECT 1;", []string{"SELECT 1"}},
		{"no final semicolon", "SELECT 1;\nSELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"multi-line", "CREATE TABLE t (\n    x UInt8\n) ENGINE = Memory;\n\nSELECT 1;\n", []string{"CREATE TABLE t (\n    x UInt8\n) ENGINE = Memory", "SELECT 1"}},
		{"semicolon inside a line", "SELECT ';' AS s, 2\nFROM t;", []string{"SELECT ';' AS s, 2\nFROM t"}},
		{"trailing blanks", "SELECT 1;  \t\nSELECT 2 ;\n", []string{"SELECT 1", "SELECT 2"}},
		{"crlf", "SELECT 1;\r\nSELECT 2;\r\n", []string{"SELECT 1", "SELECT 2"}},
		{"comment between", "SELECT 1\n-- why\nFROM t;", []string{"SELECT 1\nFROM t"}},
		{"lone semicolons", ";\n;\nSELECT 1;", []string{"SELECT 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitStatements(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzSplitStatements(f *testing.F) {
	f.Add("CREATE TABLE t (x UInt8) ENGINE = Memory;\nSELECT 1;\n")
	f.Add("-- c\nSELECT ';'\n;\r\nx")
	f.Fuzz(func(t *testing.T, in string) {
		stmts := SplitStatements(in)
		for _, s := range stmts {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("statement %q is empty or untrimmed", s)
			}
		}
		// Splitting the statements joined back is stable.
		var b strings.Builder
		for _, s := range stmts {
			b.WriteString(s + ";\n")
		}
		if again := SplitStatements(b.String()); !reflect.DeepEqual(again, stmts) {
			t.Fatalf("re-split %q = %q, want %q", b.String(), again, stmts)
		}
	})
}

func TestEmbeddedMigrations(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != 1 || ms[0].Name != "init" {
		t.Fatalf("migrations %+v", ms)
	}
	for i, m := range ms {
		if i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %d after %d", m.Version, ms[i-1].Version)
		}
		for _, s := range m.Statements {
			// Every statement names its database explicitly (views included).
			if !strings.Contains(s, DatabasePlaceholder) {
				t.Errorf("%04d: statement without %s: %s", m.Version, DatabasePlaceholder, s)
			}
			for _, banned := range []string{"TTL", "CODEC", "LowCardinality", "DateTime64", "ADD COLUMN IF NOT EXISTS", "DELETE FROM", "WITH ", " OVER ", "INDEX ", "Map(", "JSON", "Bool"} {
				if strings.Contains(s, banned) {
					t.Errorf("%04d: %q does not work on ClickHouse 18.16: %s", m.Version, banned, s)
				}
			}
		}
	}
	// Every table and view the package names is created by some migration.
	all := ""
	for _, m := range ms {
		all += strings.Join(m.Statements, "\n")
	}
	for _, name := range append(append([]string{}, Tables...), Views...) {
		if !strings.Contains(all, DatabasePlaceholder+"."+name+" ") {
			t.Errorf("no migration creates %s", name)
		}
	}
}

func TestLoadMigrationsErrors(t *testing.T) {
	ok := &fstest.MapFile{Data: []byte("SELECT 1;\n")}
	tests := map[string]fstest.MapFS{
		"bad name":      {"1_init.sql": ok},
		"upper case":    {"0001_Init.sql": ok},
		"version zero":  {"0000_init.sql": ok},
		"duplicate":     {"0001_a.sql": ok, "0001_b.sql": ok},
		"no statements": {"0001_a.sql": {Data: []byte("-- nothing\n")}},
	}
	for name, fsys := range tests {
		t.Run(name, func(t *testing.T) {
			if ms, err := loadMigrations(fsys); err == nil {
				t.Fatalf("accepted %+v", ms)
			}
		})
	}
	ms, err := loadMigrations(fstest.MapFS{"0002_b.sql": ok, "0001_a.sql": ok, "README.md": {Data: []byte("x")}})
	if err != nil || len(ms) != 2 || ms[0].Name != "a" || ms[1].Version != 2 {
		t.Fatalf("got %+v, %v", ms, err)
	}
	// sha256sum of the file's bytes.
	if want := "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"; ms[0].Checksum != want || ms[1].Checksum != want {
		t.Errorf("checksums %s %s, want %s", ms[0].Checksum, ms[1].Checksum, want)
	}
}
