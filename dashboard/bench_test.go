package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// nationalScale fills the fixture's database with a nation's worth of reports:
// 31,000 bodies × 2 years of primary reports (31 provinces, 1,000 bodies each), with
// section 三's key cells and section 四's review cells, generated inside ClickHouse.
var nationalScale = []string{
	`INSERT INTO ${db}.reports (doc_id, version, body, year, level, province, region_code, template, confidence, findings_errors, source_url, record)
	 SELECT concat('n', toString(number)), 1, concat('机构', toString(number % 31000)), 2022 + intDiv(number, 31000),
	        ['county', 'department', 'township', 'city'][number % 4 + 1], concat('省份', toString(number % 31)),
	        '110000', '2021', 1, toUInt16(number % 7 = 0), concat('http://example.gov.cn/', toString(number), '.html'), '{}'
	 FROM system.numbers LIMIT 62000`,
	`INSERT INTO ${db}.application_cells (doc_id, version, body, year, level, province, region_code, template, row, col, state, value)
	 SELECT concat('n', toString(n)), 1, concat('机构', toString(n % 31000)), 2022 + intDiv(n, 31000),
	        ['county', 'department', 'township', 'city'][n % 4 + 1], concat('省份', toString(n % 31)), '110000', '2021',
	        r, 'total', 'number', toInt64((n * 7 + length(r)) % 200)
	 FROM (SELECT number AS n FROM system.numbers LIMIT 62000)
	 ARRAY JOIN ['new_received', 'granted', 'partially_granted', 'withheld.state_secret', 'total'] AS r`,
	`INSERT INTO ${db}.review_cells (doc_id, version, body, year, level, province, region_code, template, review_group, outcome, state, value)
	 SELECT concat('n', toString(n)), 1, concat('机构', toString(n % 31000)), 2022 + intDiv(n, 31000),
	        ['county', 'department', 'township', 'city'][n % 4 + 1], concat('省份', toString(n % 31)), '110000', '2021',
	        tupleElement(p, 1), tupleElement(p, 2), 'number', toInt64(n % 3)
	 FROM (SELECT number AS n FROM system.numbers LIMIT 62000)
	 ARRAY JOIN [('review', 'upheld'), ('review', 'corrected'), ('review', 'other'), ('review', 'total'),
	             ('litigation_direct', 'upheld'), ('litigation_direct', 'corrected'), ('litigation_direct', 'other'),
	             ('litigation_direct', 'total')] AS p`,
}

// BenchmarkPagesNationalScale times the pages people open first over a nation's
// reports (62,000 primary reports, 310,000 cells of section 三, 496,000 of section 四).
func BenchmarkPagesNationalScale(b *testing.B) {
	conn, db := openFixture(b)
	ctx := context.Background()
	for _, q := range nationalScale {
		if err := conn.Exec(ctx, strings.ReplaceAll(q, "${db}", db)); err != nil {
			b.Fatal(err)
		}
	}
	cfg := DefaultConfig()
	s, err := New(cfg, Deps{Warehouse: conn, Database: db}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, page := range []struct{ name, path string }{
		{"nation", "/"},
		{"explore_province", "/explore?province=" + "省份7" + "&year=2023&sort=received&dir=desc"},
		{"explore_all", "/explore"},
		{"explore_csv_province", "/explore.csv?province=" + "省份7"},
		{"alerts", "/alerts"},
		{"report", "/report/n12345"},
	} {
		b.Run(page.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", page.path, rec.Code)
				}
			}
		})
	}
}
