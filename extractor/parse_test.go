package extractor

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

var testTime = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

var dehui = rawdoc.Site{ID: "dehui", Name: "德惠市人民政府", Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, in Input) *report.Record {
	t.Helper()
	if in.ExtractedAt.IsZero() {
		in.ExtractedAt = testTime
	}
	rec, err := Parse(in)
	if err != nil {
		t.Fatalf("parse %s: %v", in.URL, err)
	}
	rec.Meta.ParserVersion = "" // goldens do not depend on the build
	return rec
}

// expect is what a test knows for sure about a record, written by hand from the
// fixture: every non-zero number, the states counted, and the findings.
type expect struct {
	title, body, published string
	year                   int
	level                  report.Level
	template               report.Template
	numbers                map[string]float64 // address → value, every non-zero number
	units                  map[string]report.Unit
	states                 map[report.State]int // cells per state, all sections
	findings               []string             // "rule scope", in order
}

func checkExpect(t *testing.T, rec *report.Record, e expect) {
	t.Helper()
	m := rec.Meta
	if m.Title != e.title || m.Body != e.body || m.Year != e.year || m.Level != e.level || m.PublishedAt != e.published {
		t.Errorf("meta: title %q body %q year %d level %q published %q", m.Title, m.Body, m.Year, m.Level, m.PublishedAt)
	}
	if rec.Template != e.template {
		t.Errorf("template %q, want %q", rec.Template, e.template)
	}
	got := map[string]report.Cell{}
	for r, cols := range rec.Applications {
		for c, v := range cols {
			got[report.CellAddr(r, c)] = v
		}
	}
	for g, os := range rec.Review {
		for o, v := range os {
			got["review:"+report.ReviewAddr(g, o)] = v
		}
	}
	for it, ms := range rec.Disclosure {
		for mt, v := range ms {
			got["disclosure:"+report.DisclosureAddr(it, mt)] = v
		}
	}
	states := map[report.State]int{}
	for addr, c := range got {
		states[c.State]++
		if c.State == report.StateNumber && c.Value != 0 {
			if _, ok := e.numbers[addr]; !ok {
				t.Errorf("%s = %v, want 0 or not a number", addr, c.Value)
			}
		}
	}
	for addr, v := range e.numbers {
		if c := got[addr]; c.State != report.StateNumber || c.Value != v {
			t.Errorf("%s = %v, want %v", addr, c, v)
		}
	}
	for addr, u := range e.units {
		if got[addr].Unit != u {
			t.Errorf("%s unit %q, want %q", addr, got[addr].Unit, u)
		}
	}
	for s, n := range e.states {
		if states[s] != n {
			t.Errorf("%d %s cells, want %d (all: %v)", states[s], s, n, states)
		}
	}
	var fs []string
	for _, f := range rec.Findings {
		fs = append(fs, string(f.Rule)+" "+f.Scope)
	}
	if strings.Join(fs, "\n") != strings.Join(e.findings, "\n") {
		t.Errorf("findings:\n got %q\nwant %q", fs, e.findings)
	}
}

var htmlCases = []struct {
	name     string
	url      string
	ctype    string
	selector string
	want     expect
}{
	{
		name:  "trs_2019_per_section",
		url:   "http://www.dehui.gov.cn/zwgk/xxgknb/202001/t20200121_1.html",
		ctype: "text/html; charset=utf-8",
		want: expect{
			title: "德惠市农业农村局2019年政府信息公开工作年度报告", body: "德惠市农业农村局", year: 2019,
			level: report.LevelDepartment, published: "2020-01-21", template: report.Template2019,
			numbers: map[string]float64{
				"new_received.natural_person": 12, "new_received.commercial": 3, "new_received.social_welfare": 1, "new_received.total": 16,
				"carried_over.natural_person": 1, "carried_over.total": 1,
				"granted.natural_person": 6, "granted.commercial": 1, "granted.total": 7,
				"partially_granted.natural_person": 1, "partially_granted.total": 1,
				"withheld.third_party_rights.natural_person": 1, "withheld.third_party_rights.total": 1,
				"unable.not_held.natural_person": 2, "unable.not_held.commercial": 1, "unable.not_held.social_welfare": 1, "unable.not_held.total": 4,
				"not_processed.duplicate.natural_person": 1, "not_processed.duplicate.total": 1,
				"total.natural_person": 11, "total.commercial": 2, "total.social_welfare": 1, "total.total": 14,
				"carried_forward.natural_person": 2, "carried_forward.commercial": 1, "carried_forward.total": 3,
				"review:review.upheld": 1, "review:review.pending": 1, "review:review.total": 2,
				"review:litigation_after_review.corrected": 1, "review:litigation_after_review.total": 1,
				"disclosure:regulations.total_published": 3, "disclosure:normative_docs.new_made": 2,
				"disclosure:normative_docs.new_published": 2, "disclosure:normative_docs.total_published": 15,
				"disclosure:licensing.prev_year": 48, "disclosure:licensing.change": 2, "disclosure:licensing.decisions": 1234,
				"disclosure:other_services.prev_year": 10, "disclosure:other_services.change": -1, "disclosure:other_services.decisions": 37,
				"disclosure:penalty.prev_year": 5, "disclosure:penalty.decisions": 56,
				"disclosure:fees.prev_year": 3, "disclosure:fees.change": -1,
				"disclosure:procurement.items": 12, "disclosure:procurement.amount": 251000,
			},
			units: map[string]report.Unit{"disclosure:procurement.amount": report.UnitYuan},
			// 23 rows × 7 + 15 + 22; blanks: &nbsp; ×2 and "/" in section 三, "/" in section 二.
			states:   map[report.State]int{report.StateNumber: 161 - 3 + 15 + 22 - 1, report.StateBlank: 4},
			findings: nil,
		},
	},
	{
		name:  "ucap_2021_one_table",
		url:   "http://www.dehui.gov.cn/xxgk/ndbg/202201/t20220118_9.html",
		ctype: "text/html",
		want: expect{
			title: "岔路口镇人民政府2021年政府信息公开工作年度报告", body: "岔路口镇人民政府", year: 2021,
			level: report.LevelTownship, published: "2022-01-18", template: report.Template2021,
			numbers: map[string]float64{
				"new_received.natural_person": 3, "new_received.commercial": 2, "new_received.total": 5,
				"granted.natural_person": 2, "granted.commercial": 1, "granted.total": 3,
				"other.no_correction.natural_person": 1, "other.no_correction.total": 1,
				"other.other.commercial": 1, "other.other.total": 1,
				"total.natural_person": 3, "total.commercial": 2, "total.total": 5,
				"disclosure:regulations.issued": 1, "disclosure:regulations.in_force": 4,
				"disclosure:normative_docs.issued": 3, "disclosure:normative_docs.repealed": 1, "disclosure:normative_docs.in_force": 20,
				"disclosure:licensing.decisions": 56, "disclosure:penalty.decisions": 12,
				"disclosure:fees.amount": 125000,
			},
			units:  map[string]report.Unit{"disclosure:fees.amount": report.UnitWanYuan},
			states: map[report.State]int{report.StateNumber: 25*7 - 1 + 14 + 10, report.StateText: 1, report.StateBlank: 1},
			findings: []string{
				"text_cell withheld.query_matters.legal_services",
				"R2 row:withheld.query_matters",
				"R3 col:legal_services",
			},
		},
	},
	{
		name:  "scored_word_2019",
		url:   "http://df.example.gov.cn/xxgk/nb/2021/0128/1.html",
		ctype: "",
		want: expect{
			title: "东风街道办事处2020年政府信息公开工作年度报告", body: "东风街道办事处", year: 2020,
			level: report.LevelTownship, published: "2021-01-28", template: report.Template2019,
			numbers: map[string]float64{
				"new_received.natural_person": 2, "new_received.total": 2,
				"granted.natural_person": 1, "granted.total": 1,
				"unable.not_held.natural_person": 1, "unable.not_held.total": 1,
				"total.natural_person": 2, "total.total": 2,
				"disclosure:normative_docs.new_made": 2, "disclosure:normative_docs.new_published": 2,
				"disclosure:normative_docs.total_published": 23,
				"disclosure:other_services.prev_year":       9, "disclosure:other_services.decisions": 9,
				"disclosure:penalty.prev_year": 2, "disclosure:penalty.decisions": 12,
				"disclosure:procurement.items": 3, "disclosure:procurement.amount": 125000,
			},
			units: map[string]report.Unit{"disclosure:procurement.amount": report.UnitWanYuan},
			// Section 三: the five organisation columns are empty in all 23 rows.
			states: map[report.State]int{report.StateNumber: 23*2 + 15 + 13, report.StateBlank: 23*5 + 9},
		},
	},
}

func TestParseHTMLFixtures(t *testing.T) {
	for _, tc := range htmlCases {
		t.Run(tc.name, func(t *testing.T) {
			body := readFile(t, "testdata/html/"+tc.name+".html")
			rec := mustParse(t, Input{URL: tc.url, Body: body, ContentType: tc.ctype, Site: dehui, FetchedAt: testTime.Add(-time.Hour)})
			checkExpect(t, rec, tc.want)
			checkGolden(t, tc.name, rec)
		})
	}
}

func TestPageMetadata(t *testing.T) {
	body := readFile(t, "testdata/html/trs_2019_per_section.html")
	rec := mustParse(t, Input{URL: "http://www.dehui.gov.cn/a.html?utm_source=x", Body: body, Site: dehui})
	m := rec.Meta
	if m.SiteIDCode != "2201830001" || m.PageMeta["SiteName"] != "德惠市人民政府" || m.PageMeta["ContentSource"] != "德惠市农业农村局" {
		t.Errorf("page meta %+v, site id %q", m.PageMeta, m.SiteIDCode)
	}
	if m.Region.Code != "220183" || m.Region.County != "德惠市" {
		t.Errorf("region %+v", m.Region)
	}
	canon, _ := rawdoc.CanonicalURL("http://www.dehui.gov.cn/a.html")
	if m.DocID != rawdoc.DocID(canon) || m.ContentSHA256 != rawdoc.Hash(body) || m.Site != "dehui" {
		t.Errorf("identity %q %q %q", m.DocID, m.ContentSHA256, m.Site)
	}
	if !m.ExtractedAt.Equal(testTime) {
		t.Errorf("extracted at %v", m.ExtractedAt)
	}
}

// TestEncodings reads the same page as GBK with the charset declared in <meta>,
// undeclared, and under a Content-Type that wrongly says utf-8.
func TestEncodings(t *testing.T) {
	utf := readFile(t, "testdata/html/trs_2019_per_section.html")
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	declared := bytes.Replace(gbk, []byte("charset=utf-8"), []byte("charset=gbk"), 1)
	undeclared := bytes.Replace(gbk, []byte(`<meta http-equiv="Content-Type" content="text/html; charset=utf-8">`), nil, 1)
	if bytes.Equal(undeclared, gbk) || bytes.Equal(declared, gbk) {
		t.Fatal("fixture changed: charset declaration not found")
	}
	want := mustParse(t, Input{URL: "http://x.gov.cn/a.html", Body: utf})
	tests := []struct {
		name  string
		body  []byte
		ctype string
	}{
		{"meta gbk", declared, "text/html"},
		{"header gb2312", undeclared, "text/html; charset=gb2312"},
		{"undeclared", undeclared, "text/html"},
		{"header says utf-8 over gbk", undeclared, "text/html; charset=utf-8"},
		{"meta says utf-8 over gbk", gbk, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, Input{URL: "http://x.gov.cn/a.html", Body: tt.body, ContentType: tt.ctype})
			got.Meta.ContentSHA256 = want.Meta.ContentSHA256
			if d := diffRecords(got, want); len(d) > 0 {
				t.Errorf("differs from the UTF-8 page:\n  %s", strings.Join(d, "\n  "))
			}
		})
	}
	// Bytes that are neither UTF-8 nor GB18030 are rejected, not guessed.
	bad := append([]byte("<html><body><p>"), bytes.Repeat([]byte{0x81, 0x20, 0xFF, 0x30}, 200)...)
	_, err = Parse(Input{URL: "http://x.gov.cn/b.html", Body: bad, ContentType: "text/html"})
	if reason(err) != report.ReasonBadEncoding {
		t.Errorf("undecodable page: %v", err)
	}
}

func reason(err error) report.Reason {
	var rej *report.Rejection
	if errors.As(err, &rej) {
		return rej.Reason
	}
	return ""
}

func TestRejections(t *testing.T) {
	listPage := `<html><head><title>政府信息公开年报_德惠市人民政府</title></head><body>
<ul class="list">
<li><a href="1.html">德惠市农业农村局2019年政府信息公开工作年度报告</a><span>2020-01-21</span></li>
<li><a href="2.html">岔路口镇人民政府2019年政府信息公开工作年度报告</a><span>2020-01-20</span></li>
<li><a href="3.html">德惠市教育局2019年政府信息公开工作年度报告</a><span>2020-01-19</span></li>
</ul><div class="page">共3条 第1页</div></body></html>`
	notice := `<html><head><title>关于做好2020年政府信息公开工作年度报告编制发布工作的通知</title></head><body>
<div class="TRS_Editor"><p>各乡镇人民政府、市政府各部门：</p>
<p>根据《条例》规定，请各单位于2021年1月31日前发布本单位2020年政府信息公开工作年度报告，报告应包括总体情况、主动公开政府信息情况等内容。</p>
<p>德惠市政务公开办公室</p><p>2021年1月5日</p></div></body></html>`
	guide := `<html><body><div id="zoom"><h1>德惠市人民政府信息公开指南</h1>
<p>一、主动公开</p><p>（一）公开范围</p><p>二、依申请公开</p><p>三、监督方式</p></div></body></html>`
	tests := []struct {
		name  string
		in    Input
		limit int64
		want  report.Reason
	}{
		{"list page", Input{Body: []byte(listPage), ContentType: "text/html"}, 0, report.ReasonNotReport},
		{"notice mentioning 年度报告", Input{Body: []byte(notice)}, 0, report.ReasonNotReport},
		{"guide", Input{Body: []byte(guide)}, 0, report.ReasonNotReport},
		{"empty body", Input{}, 0, report.ReasonEmpty},
		{"no text", Input{Body: []byte("<html><body>\n <div> </div></body></html>")}, 0, report.ReasonEmpty},
		{"oversized", Input{Body: bytes.Repeat([]byte("<p>年度报告</p>"), 1000)}, 4096, report.ReasonTooLarge},
		{"pdf by magic", Input{Body: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ContentType: "application/octet-stream"}, 0, report.ReasonUnsupported},
		{"doc by content type", Input{Body: []byte("whatever"), ContentType: "application/msword"}, 0, report.ReasonUnsupported},
		{"docx by magic", Input{Body: []byte("PK\x03\x04\x14\x00\x06\x00")}, 0, report.ReasonUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.URL = "http://www.dehui.gov.cn/x/" + strings.ReplaceAll(tt.name, " ", "_")
			tt.in.Site = dehui
			tt.in.ExtractedAt = testTime
			rec, err := Parser{MaxBodyBytes: tt.limit}.Parse(tt.in)
			var rej *report.Rejection
			if !errors.As(err, &rej) {
				t.Fatalf("got record %v, err %v; want rejection %s", rec != nil, err, tt.want)
			}
			if rej.Reason != tt.want || rej.Detail == "" {
				t.Fatalf("rejection %s (%s), want %s", rej.Reason, rej.Detail, tt.want)
			}
			if rej.Schema != report.SchemaVersion || rej.DocID == "" || rej.URL != tt.in.URL || rej.Size != int64(len(tt.in.Body)) ||
				!rej.ExtractedAt.Equal(testTime) || rej.Region.Code != "220183" || rej.Site != "dehui" {
				t.Fatalf("rejection fields %+v", rej)
			}
		})
	}
}

// TestLegacyReport: a report with the section structure but no statistics tables is
// a record of the legacy template, not a rejection.
func TestLegacyReport(t *testing.T) {
	body := `<html><head><title>某县林业局2012年政府信息公开工作年度报告</title></head><body><div class="TRS_Editor">
<p>一、概述</p><p>2012年我局认真贯彻落实《条例》。</p>
<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息120条。</p>
<p>三、依申请公开政府信息情况</p><p>全年未收到申请。</p>
<p>四、政府信息公开的收费及减免情况</p><p>无。</p>
<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>无。</p>
<p>六、政府信息公开工作存在的主要问题及改进情况</p><p>无。</p></div></body></html>`
	rec := mustParse(t, Input{URL: "http://ly.example.gov.cn/1.html", Body: []byte(body)})
	if rec.Template != report.TemplateLegacy || rec.Meta.Year != 2012 || rec.Confidence != 0 {
		t.Fatalf("template %q year %d confidence %v", rec.Template, rec.Meta.Year, rec.Confidence)
	}
	if len(rec.Applications) != 0 || len(rec.Review) != 0 || len(rec.Disclosure) != 0 {
		t.Fatalf("legacy record holds cells")
	}
	for _, f := range rec.Findings {
		if f.Status != report.StatusNotAssessable || f.Scope != "table" {
			t.Errorf("finding %+v", f)
		}
	}
}

func TestLocalFileIdentity(t *testing.T) {
	u, err := FileURL("testdata/html/trs_2019_per_section.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, "file:///") || !strings.HasSuffix(u, "/extractor/testdata/html/trs_2019_per_section.html") {
		t.Fatalf("file url %q", u)
	}
	rec := mustParse(t, Input{URL: u, Body: readFile(t, "testdata/html/trs_2019_per_section.html")})
	if rec.Meta.DocID != rawdoc.DocID(u) || rec.Meta.SourceURL != u || !rec.Meta.FetchedAt.IsZero() {
		t.Fatalf("meta %+v", rec.Meta)
	}
}
