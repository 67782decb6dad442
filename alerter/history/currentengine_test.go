package history

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/govreport/govreport/pkg/warehouse/chdbtest"
)

// TestQueriesOnCurrentEngine runs every query of the package on a current
// ClickHouse (chDB) over a copy of the tables loaded in 18.16, and checks that both
// engines give the same answers. groupArray's order is not part of the answer: the
// arrays of a report's cells are compared as sets of cells.
func TestQueriesOnCurrentEngine(t *testing.T) {
	eng := chdbtest.Open(t)
	conn, db := openWarehouse(t)
	cfg := sampleportal.DefaultConfig()
	cfg.Sites, cfg.ReportsPerSite, cfg.Years, cfg.HistoryAnomalies = 12, 48, []int{2021, 2022}, true
	p, err := sampleportal.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var recs []*report.Record
	var ids []string
	for i, e := range p.Expected("http://127.0.0.1:8080") {
		e.Record.Meta.ExtractedAt = fixtureTime
		sum := sha256.Sum256([]byte(e.URL))
		e.Record.Meta.ContentSHA256 = hex.EncodeToString(sum[:])
		recs = append(recs, e.Record)
		if i%40 == 0 {
			ids = append(ids, e.Record.Meta.DocID)
		}
	}
	load(t, conn, db, recs...)

	type query struct {
		name, sql string
		arrays    bool
	}
	idList := "('" + strings.Join(ids, "', '") + "')"
	queries := []query{
		{"meta", metaQuery(db), false},
		{"application figures", figuresQuery(db, []int{2021, 2022}), true},
		{"stock figures", stockQuery(db, []int{2021, 2022}), true},
	}
	for _, tb := range cellTables {
		queries = append(queries,
			query{"vectors of " + tb.name, vectorQuery(db, tb), true},
			query{"cells of " + tb.name, strings.Replace(cellsQuery(db, tb), "?", idList, 1), false})
	}

	httpAddr := chtest.Shared(t).HTTPAddr()
	dir := t.TempDir()
	ms, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var ddl []string
	for _, m := range ms {
		for _, s := range m.Statements {
			ddl = append(ddl, strings.ReplaceAll(s, warehouse.DatabasePlaceholder, db))
		}
	}
	steps := chdbtest.CopySteps(t, httpAddr, db, dir, ddl, warehouse.Tables)
	setup := len(steps)
	want := make([]string, len(queries))
	for i, q := range queries {
		if want[i], err = chdbtest.HTTPQuery(httpAddr, db, q.sql+"\nFORMAT TSV"); err != nil {
			t.Fatalf("%s on 18.16: %v", q.name, err)
		}
		if strings.Count(want[i], "\n") < 3 {
			t.Fatalf("%s on 18.16: %d rows: the comparison would prove nothing", q.name, strings.Count(want[i], "\n"))
		}
		steps = append(steps, chdbtest.Step{SQL: q.sql, Format: "TSV"})
	}
	version, res := eng.RunChecked(t, dir, steps, setup)
	for i, q := range queries {
		r := res[i]
		if r.Err != "" {
			t.Errorf("%s on ClickHouse %s: %s", q.name, version, r.Err)
			continue
		}
		got, w := r.Out, want[i]
		if q.arrays {
			got, w = zipArrays(t, got), zipArrays(t, w)
		}
		if err := chdbtest.SameTSV(got, w); err != nil {
			t.Errorf("%s: ClickHouse %s and 18.16 differ: %v", q.name, version, err)
		}
	}
}

// zipArrays rewrites the rows of a grouped query (doc_id, version and parallel
// arrays) as doc_id, version and the sorted list of its cells.
func zipArrays(t *testing.T, tsv string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(tsv, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("grouped row %q", line)
		}
		var cols [][]string
		for _, a := range f[2:] {
			cols = append(cols, splitArray(t, a))
		}
		var cells []string
		for j := range cols[0] {
			var c []string
			for _, col := range cols {
				if len(col) != len(cols[0]) {
					t.Fatalf("arrays of different lengths in %q", line)
				}
				c = append(c, col[j])
			}
			cells = append(cells, strings.Join(c, "|"))
		}
		slices.Sort(cells)
		out = append(out, f[0]+"\t"+f[1]+"\t"+strings.Join(cells, ";"))
	}
	return strings.Join(out, "\n") + "\n"
}

// splitArray splits a TSV array literal ([1,2] or ['a','b']) into its elements.
func splitArray(t *testing.T, s string) []string {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		t.Fatalf("not an array: %q", s)
	}
	s = s[1 : len(s)-1]
	var out []string
	var cur strings.Builder
	quoted, escaped := false, false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == '\'':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if s != "" {
		out = append(out, cur.String())
	}
	return out
}
