package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleRecord() *Record {
	r := New()
	r.Template = Template2019
	r.Meta = Meta{
		DocID: "d1", SourceURL: "http://www.example.gov.cn/a.html", Body: "德惠市岔路口镇人民政府",
		Year: 2020, Level: LevelTownship,
		Region:      Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		PublishedAt: "2021-01-20", FetchedAt: time.Date(2021, 2, 1, 3, 4, 5, 0, time.UTC),
		ParserVersion: "test", ExtractedAt: time.Date(2021, 2, 1, 3, 4, 6, 7, time.UTC),
	}
	r.Applications.Set(RowNewReceived, ColNaturalPerson, Number(5))
	r.Applications.Set(RowCarriedOver, ColNaturalPerson, Blank("/"))
	r.Applications.Set(RowGranted, ColNaturalPerson, Text("见附件"))
	r.Applications.Set(RowTotal, ColNaturalPerson, Missing())
	r.Review.Set(GroupReview, OutcomeTotal, Number(0))
	c := Number(25000000)
	c.Raw, c.Unit = "2500 万", UnitWan
	r.Disclosure.Set(ItemProcurement, MetricAmount, c)
	r.Disclosure.Set(ItemFees, MetricChange, Number(-1))
	r.Findings = Check(r)
	r.Confidence = 1
	return r
}

func TestJSONRoundTrip(t *testing.T) {
	r := sampleRecord()
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip changed the record\n got %+v\nwant %+v", got, r)
	}
	s := string(b)
	for _, want := range []string{`"schema":1`, `"state":"blank","raw":"/"`, `"value":25000000,"raw":"2500 万","unit":"万"`, `"year":2020`} {
		if !strings.Contains(s, want) {
			t.Errorf("encoding lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, `"state":"blank","value"`) {
		t.Error("a blank cell must not carry a value")
	}
}

func TestUnmarshalRejects(t *testing.T) {
	good, _ := sampleRecord().Marshal()
	tests := map[string]string{
		"schema":       strings.Replace(string(good), `"schema":1`, `"schema":99`, 1),
		"state":        strings.Replace(string(good), `"state":"blank"`, `"state":"zero"`, 1),
		"row":          strings.Replace(string(good), `"new_received"`, `"new_recieved"`, 1),
		"blank value":  strings.Replace(string(good), `"state":"blank"`, `"state":"blank","value":3`, 1),
		"number no v":  `{"schema":1,"applications":{"total":{"total":{"state":"number"}}}}`,
		"template":     strings.Replace(string(good), `"template":"2019"`, `"template":"2030"`, 1),
		"not json":     `{"schema":1,`,
		"item unknown": strings.Replace(string(good), `"procurement"`, `"procurment"`, 1),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Unmarshal([]byte(in)); err == nil {
				t.Fatalf("accepted %s", in)
			}
		})
	}
}

func TestCellJSON(t *testing.T) {
	for _, c := range []Cell{Number(0), Number(12.5), Blank(""), Text("二"), Missing(), {State: StateNumber, Value: 3, Src: "t1:r2:c3", ByPosition: true}} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Cell
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if back != c {
			t.Errorf("%s: got %+v want %+v", b, back, c)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, _ := sampleRecord().Marshal()
	f.Add(good)
	f.Add([]byte(`{"schema":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Unmarshal(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same record.
		b2, err := r.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		r2, err := Unmarshal(b2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatal("not stable")
		}
	})
}
