package dashboard

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// execRows adds rows to the test server's database, written as in fixture.sql
// (INSERT INTO ${database}.t (cols) / VALUES / one row per line), for a test's own
// cases that the shared fixture must not carry.
func execRows(t *testing.T, s *Server, sql string) {
	t.Helper()
	for _, ins := range selectInserts(strings.ReplaceAll(sql, "${database}", s.deps.Database)) {
		if err := s.deps.Warehouse.Exec(context.Background(), ins); err != nil {
			t.Fatalf("insert: %v\n%s", err, ins)
		}
	}
}

var docRE = regexp.MustCompile(`data-doc="([^"]*)"`)

// docs returns the doc IDs of the explorer's rows, in order.
func docs(body string) string {
	var ids []string
	for _, m := range docRE.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return strings.Join(ids, ",")
}

// getCSV requests path and returns the status, headers and the body.
func getCSV(t *testing.T, h http.Handler, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Header(), rec.Body.String()
}

// readCSV parses a CSV body after its BOM (failing without one).
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\ufeff")
	if !ok {
		t.Fatalf("CSV does not start with the UTF-8 BOM: %q", body[:min(len(body), 20)])
	}
	recs, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return recs
}

func TestExploreRows(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	// The primary reports d1–d5; d6 (d3's copy) never. Default order: newest year
	// first, then province (北 < 吉 < 河 by code point), city, county, body.
	tests := []struct {
		name, query, want string
	}{
		{"all", "", "d2,d5,d3,d4,d1"},
		{"province", "province=河北省", "d3,d4"},
		{"level", "level=county", "d4"},
		{"year", "year=2022", "d1"},
		{"body substring", "body=" + url.QueryEscape("长安"), "d4"},
		{"body of two years", "body=" + url.QueryEscape("北京"), "d2,d1"},
		{"filters combine", "province=河北省&level=city&year=2023", "d3"},
		{"nothing matches", "province=河北省&year=2022", ""},
		// received: d2 120, d1 100, d3 50, d4 10, d5 3.
		{"received desc", "sort=received&dir=desc", "d2,d1,d3,d4,d5"},
		{"received asc", "sort=received&dir=asc", "d5,d4,d3,d1,d2"},
		// A numeric column sorts descending unless told.
		{"received default dir", "sort=received", "d2,d1,d3,d4,d5"},
		// granted share: d4 5/5, d5 3/3, d3 40/40, d2 70/100, d1 60/90; ties by year, place.
		{"share asc", "sort=share&dir=asc", "d1,d2,d5,d3,d4"},
		{"errors desc", "sort=errors&dir=desc", "d4,d2,d5,d3,d1"},
		{"confidence asc", "sort=conf&dir=asc", "d4,d2,d5,d3,d1"},
		{"level asc", "sort=level&dir=asc", "d2,d1,d3,d4,d5"},
		// 石家庄市人民政府 < 石家庄市长安区人民政府 (人 U+4EBA < 长 U+957F).
		{"body desc", "sort=body&dir=desc&province=河北省", "d4,d3"},
		{"filter and sort", "province=北京市&sort=year&dir=asc", "d1,d2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := get(t, h, "/explore?"+tc.query)
			if code != http.StatusOK {
				t.Fatalf("status %d\n%s", code, body)
			}
			if got := docs(body); got != tc.want {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
			if strings.Contains(body, "d6") {
				t.Error("d6 (not primary) is on the page")
			}
		})
	}
}

func TestExplorePage(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	code, body := get(t, h, "/explore")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	// Totals of d1–d5: received 100+120+50+10+3, processed 90+100+40+5+3, granted
	// 60+70+40+5+3, withheld 10 (d1), errors 1 (d4); share 178/238.
	for _, want := range []string{
		`data-total="received">283<`, `data-total="processed">238<`, `data-total="granted">178<`,
		`data-total="share">74.8%<`, `data-total="withheld">10<`, `data-total="errors">1<`,
		`<a href="/report/d4">石家庄市长安区人民政府</a>`, "共 5 份年报（最多显示 5,000 份）", "县级", "本年新收", "予以公开率",
		`href="/explore.csv"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="explore-truncated"`) {
		t.Error("untruncated page says it is truncated")
	}
	// d1's figures: 100 received, 90 processed, 60 granted (66.7%), 10 withheld.
	row := rowOf(t, body, "d1")
	for _, want := range []string{`"received">100<`, `"processed">90<`, `"granted">60<`, `"share">66.7%<`, `"withheld">10<`} {
		if !strings.Contains(row, want) {
			t.Errorf("d1's row lacks %q:\n%s", want, row)
		}
	}

	// The sort links toggle the current column and keep the filter; the CSV link
	// carries filter and sort.
	_, body = get(t, h, "/explore?province=河北省&sort=received&dir=desc")
	for _, want := range []string{
		`aria-sort="descending"`,
		`href="/explore?dir=asc&amp;province=%E6%B2%B3%E5%8C%97%E7%9C%81&amp;sort=received"`,
		`href="/explore?dir=asc&amp;province=%E6%B2%B3%E5%8C%97%E7%9C%81&amp;sort=body"`,
		`href="/explore.csv?dir=desc&amp;province=%E6%B2%B3%E5%8C%97%E7%9C%81&amp;sort=received"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sorted page lacks %q", want)
		}
	}

	_, body = get(t, h, "/explore?lang=en&level=county")
	for _, want := range []string{"Explore bodies", "Received", "Granted share", "1 reports (showing at most 5,000)", ">County<"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
}

// rowOf returns the table row of doc.
func rowOf(t *testing.T, body, doc string) string {
	t.Helper()
	i := strings.Index(body, `data-doc="`+doc+`"`)
	if i < 0 {
		t.Fatalf("no row for %s", doc)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

func TestExploreWithoutApplicationTable(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	execRows(t, s, `INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, fetched_at, content_sha256, confidence, findings_errors, findings_total, record)
VALUES
('d7', 1, 1, 'test', '2024-02-01 10:00:00', 'http://jl.example/cc-2023.html', 'jl', '长春市人民政府', '长春市人民政府2023年政府信息公开工作年度报告', 2023, 'city', '吉林省', '长春市', '', '', '220100', '', '2021', '2024-02-01 09:00:00', 'sha-d7', 0.8, 0, 0, '{}')`)
	h := s.Handler()
	code, body := get(t, h, "/explore?province=吉林省")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	// 吉林省 2023: 长春市 (d7, city 长春市, county '') before 德惠市 (d5).
	if got := docs(body); got != "d7,d5" {
		t.Fatalf("rows %q, want d7,d5", got)
	}
	if row := rowOf(t, body, "d7"); !strings.Contains(row, `data-figure="none"`) || strings.Contains(row, `data-figure="received"`) {
		t.Errorf("d7 shows figures:\n%s", row)
	}
	// Totals are d5's alone.
	if !strings.Contains(body, `data-total="received">3<`) {
		t.Error("totals count d7")
	}
	// Sorting by a figure puts d7 last both ways.
	for _, dir := range []string{"asc", "desc"} {
		if _, body := get(t, h, "/explore?province=吉林省&sort=received&dir="+dir); docs(body) != "d5,d7" {
			t.Errorf("received %s: rows %q, want d5,d7", dir, docs(body))
		}
	}
	_, _, csvBody := getCSV(t, h, "/explore.csv?province=吉林省")
	recs := readCSV(t, csvBody)
	if len(recs) != 3 || recs[1][0] != "d7" || strings.Join(recs[1][7:12], "") != "" || recs[2][7] != "3" {
		t.Errorf("CSV %q", recs)
	}
}

func TestExploreCSV(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	for _, query := range []string{"", "province=河北省&sort=received&dir=asc", "year=2023&sort=share&dir=desc", "body=北京"} {
		t.Run(query, func(t *testing.T) {
			code, hd, body := getCSV(t, h, "/explore.csv?"+query)
			if code != http.StatusOK {
				t.Fatalf("status %d\n%s", code, body)
			}
			if got := hd.Get("Content-Disposition"); got != `attachment; filename="govreport-explore.csv"` {
				t.Errorf("Content-Disposition %q", got)
			}
			if got := hd.Get("Content-Type"); got != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			recs := readCSV(t, body)
			want := "文档编号,机构,省份,市,县（区）,层级,年度,本年新收,办理结果总计,予以公开,予以公开率,不予公开,校验错误,置信度"
			if got := strings.Join(recs[0], ","); got != want {
				t.Errorf("header %q, want %q", got, want)
			}
			// The same rows, in the same order, as the page.
			_, page := get(t, h, "/explore?"+query)
			var ids []string
			for _, r := range recs[1:] {
				ids = append(ids, r[0])
			}
			if got, want := strings.Join(ids, ","), docs(page); got != want || got == "" {
				t.Errorf("CSV rows %q, page rows %q", got, want)
			}
		})
	}

	_, _, body := getCSV(t, h, "/explore.csv?level=county")
	recs := readCSV(t, body)
	if len(recs) != 2 {
		t.Fatalf("county CSV: %q", recs)
	}
	// d4: received 10, processed 5, granted 5 (share 1), withheld 0, 1 error, confidence 0.9.
	want := "d4,石家庄市长安区人民政府,河北省,石家庄市,长安区,县级,2023,10,5,5,1.0000,0,1,0.90"
	if got := strings.Join(recs[1], ","); got != want {
		t.Errorf("d4 row %q, want %q", got, want)
	}

	_, _, body = getCSV(t, h, "/explore.csv?level=county&lang=en")
	recs = readCSV(t, body)
	if got := strings.Join(recs[0], ","); got != "Document ID,Body,Province,City,County,Level,Year,Received,Processed,Granted,Granted share,Withheld,Check errors,Confidence" {
		t.Errorf("English header %q", got)
	}
	if recs[1][5] != "County" {
		t.Errorf("English level %q", recs[1][5])
	}
}

func TestExploreBadParams(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	h := s.Handler()
	for _, q := range []string{
		"level=galaxy", "year=abc", "year=1999", "sort=doc_id", "sort=" + url.QueryEscape("received; DROP TABLE reports"),
		"sort=received&dir=up", "dir=asc", "body=" + strings.Repeat("长", 101), "province=%ff",
	} {
		for _, path := range []string{"/explore?", "/explore.csv?"} {
			if code, body := get(t, h, path+q); code != http.StatusBadRequest {
				t.Errorf("%s%s: status %d, want 400\n%s", path, q, code, body)
			}
		}
	}
}

func TestExploreMaxRows(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxRows = 2
	s := newTestServer(t, cfg, nil)
	h := s.Handler()
	code, body := get(t, h, "/explore")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got := docs(body); got != "d2,d5" {
		t.Errorf("rows %q, want d2,d5", got)
	}
	for _, want := range []string{`id="explore-truncated"`, "结果超过 2 份，只显示了前 2 份", "共 5 份年报（最多显示 2 份）",
		`data-total="received">123<`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, hd, csvBody := getCSV(t, h, "/explore.csv")
	if recs := readCSV(t, csvBody); len(recs) != 3 || recs[1][0] != "d2" || recs[2][0] != "d5" {
		t.Errorf("CSV %q", recs)
	}
	if hd.Get("X-Govreport-Truncated") != "2" {
		t.Errorf("CSV truncation header %q", hd.Get("X-Govreport-Truncated"))
	}
	// Exactly max_rows matching reports is not truncated.
	if _, body := get(t, h, "/explore?province=河北省"); strings.Contains(body, `id="explore-truncated"`) || docs(body) != "d3,d4" {
		t.Errorf("two rows of two: %q, truncated notice %v", docs(body), strings.Contains(body, `id="explore-truncated"`))
	}
}

func TestParseExploreParams(t *testing.T) {
	checkParams(t, parseExploreParams, []paramCase[exploreParams]{
		{"", exploreParams{}, false},
		{"sort=body", exploreParams{Sort: "body"}, false},
		{"sort=received", exploreParams{Sort: "received", Desc: true}, false},
		{"sort=received&dir=asc", exploreParams{Sort: "received"}, false},
		{"sort=body&dir=desc&province=河北省&year=2023", exploreParams{Filter: Filter{Province: "河北省", Year: 2023}, Sort: "body", Desc: true}, false},
		{"sort=nope", exploreParams{}, true},
		{"sort=body&dir=sideways", exploreParams{}, true},
		{"dir=desc", exploreParams{}, true},
		{"level=moon", exploreParams{}, true},
	})
}

// FuzzExploreParams checks that any query string gives the explorer a page or a
// 400, never a failure: parsing accepts only whitelisted sorts, the accepted
// parameters survive a round trip through their links, and the page renders.
func FuzzExploreParams(f *testing.F) {
	for _, seed := range []string{
		"", "province=河北省&level=county&year=2023&body=长安&sort=received&dir=desc", "sort=share", "year=0",
		"year=2100", "sort=body&dir=", "body=%27%20OR%201%3D1", "body=%00", "body=%5C", "province=%ff", "sort=%20body%20",
		"level=&year=&body=&sort=&dir=", "a=b&&=&%", "sort=conf&dir=asc&sort=year",
	} {
		f.Add(seed)
	}
	s := newTestServer(f, DefaultConfig(), nil)
	h := s.Handler()
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err == nil {
			p, perr := parseExploreParams(q)
			var br badRequest
			switch {
			case perr != nil && !errors.As(perr, &br):
				t.Fatalf("%q: error %v is not a badRequest", query, perr)
			case perr == nil:
				back, err := parseExploreParams(p.query())
				if err != nil || back != p {
					t.Fatalf("%q: %+v does not round-trip: %+v, %v", query, p, back, err)
				}
				if p.Sort != "" && !strings.Contains(p.orderBy(), " ASC") && !strings.Contains(p.orderBy(), " DESC") {
					t.Fatalf("%q: order %q", query, p.orderBy())
				}
			}
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/explore", nil)
		req.URL.RawQuery = query
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("%q: status %d\n%s", query, rec.Code, rec.Body.String())
		}
	})
}
