package regions

import (
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// FuzzResolve checks what Resolve promises for any input: it does not panic,
// every code it gives is in the table and agrees with the names beside it, and a
// region without a code carries no confidence.
func FuzzResolve(f *testing.F) {
	for _, s := range []struct{ body, province, city, county, code, domain, siteID, text string }{
		{"德惠市岔路口镇人民政府", "", "", "", "", "", "", ""},
		{"宿城區王官集鎮人民政府", "江苏省", "宿迁市", "", "", "", "", "宿城区"},
		{"高新区(近海镇)", "吉林省", "延边朝鲜族自治州", "珲春市", "", "", "", ""},
		{"县发改局", "江苏省", "宿迁市", "沭阳县", "321322", "", "", ""},
		{"区政府办公室", "", "", "", "", "www.sqsc.gov.cn", "3213020001", ""},
		{"城关镇人民政府", "河南省", "", "", "", "http://www.xinmi.gov.cn/x", "", "新密市城关镇"},
		{"((((", "吉林", "", "", "22", "", "22", ""},
		{"\xff\xfe镇", "", "", "", "999999", "..", "abcdef", "\xff"},
	} {
		f.Add(s.body, s.province, s.city, s.county, s.code, s.domain, s.siteID, s.text)
	}
	tb, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, province, city, county, code, domain, siteID, text string) {
		in := Input{Body: body, Site: report.Region{Province: province, City: city, County: county, Code: code},
			Domain: domain, SiteIDCode: siteID, Text: text}
		r := tb.Resolve(in)
		checkResult(t, tb, in, r)
	})
}

func checkResult(t *testing.T, tb *Table, in Input, r Result) {
	t.Helper()
	if r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("%+v: confidence %v", in, r.Confidence)
	}
	if r.Region.Code == "" && r.Region.TownshipCode == "" && r.Confidence != 0 {
		t.Fatalf("%+v: no code but confidence %v", in, r.Confidence)
	}
	switch r.Level {
	case report.LevelUnknown, report.LevelProvince, report.LevelCity, report.LevelCounty, report.LevelTownship, report.LevelDepartment:
	default:
		t.Fatalf("%+v: level %q", in, r.Level)
	}
	if c := r.Region.Code; c != "" {
		d := tb.Lookup(c)
		if d == nil || len(c) != 6 {
			t.Fatalf("%+v: region code %q not in the table", in, c)
		}
		if got := d.Region(); got.Province != r.Region.Province {
			t.Fatalf("%+v: code %s is in %s, region says %s", in, c, got.Province, r.Region.Province)
		}
	}
	if c := r.Region.TownshipCode; c != "" {
		d := tb.Lookup(c)
		if d == nil || len(c) != 9 {
			t.Fatalf("%+v: township code %q not in the table", in, c)
		}
		if got := d.Region(); got.Code != r.Region.Code {
			t.Fatalf("%+v: township %s lies in %s, region code is %s", in, c, got.Code, r.Region.Code)
		}
	}
	if r.Region.TownshipCode == "" && r.Region.Township != "" && r.Reason == "" {
		t.Fatalf("%+v: township %s without code and without a reason", in, r.Region.Township)
	}
	for _, e := range r.Evidence {
		if strings.TrimSpace(e) == "" {
			t.Fatalf("%+v: empty evidence", in)
		}
	}
}
