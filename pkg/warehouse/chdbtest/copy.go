package chdbtest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// HTTPQuery runs a query over a ClickHouse server's HTTP interface (addr) in
// database db and returns its output.
func HTTPQuery(addr, db, q string) (string, error) {
	u := url.URL{Scheme: "http", Host: addr, Path: "/", RawQuery: url.Values{"database": {db}}.Encode()}
	resp, err := http.Post(u.String(), "text/plain", strings.NewReader(q))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

// CopySteps returns the steps that rebuild database db of the server at addr
// (its HTTP interface) in chDB: create the database, run ddl (the schema's
// statements for db), and insert every table of tables from a TSV dump written
// under dir.
func CopySteps(t testing.TB, addr, db, dir string, ddl, tables []string) []Step {
	t.Helper()
	steps := []Step{{SQL: "CREATE DATABASE IF NOT EXISTS " + db}}
	for _, s := range ddl {
		steps = append(steps, Step{SQL: s})
	}
	for _, tbl := range tables {
		data, err := HTTPQuery(addr, db, "SELECT * FROM "+tbl+" FORMAT TabSeparatedWithNamesAndTypes")
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, tbl+".tsv")
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, Step{SQL: fmt.Sprintf("INSERT INTO %s.%s SELECT * FROM file('%s', 'TabSeparatedWithNamesAndTypes')", db, tbl, file)})
	}
	return steps
}
