package regions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// seedDir holds the five real reports the project shares (extractor/testdata/seeds).
const seedDir = "../../extractor/testdata/seeds"

// readSeed returns a seed's first non-empty line (its title, which opens with the
// body) and its whole text.
func readSeed(t *testing.T, prefix string) (title, text string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if len(files) != 1 {
		t.Fatalf("seed %s not found in %s", prefix, seedDir)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	text = string(b)
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l, text
		}
	}
	t.Fatalf("seed %s is empty", prefix)
	return "", ""
}

// TestSeeds resolves each seed from its title line and text, as the extractor
// would pass them, with and without a site region.
func TestSeeds(t *testing.T) {
	tb := mustDefault(t)
	tests := []struct {
		seed string
		site report.Region
		want report.Region
		zone string
	}{
		{seed: "000", want: report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Township: "岔路口镇", Code: "220183", TownshipCode: "220183105"}},
		{seed: "000", site: report.Region{Province: "吉林省", City: "长春市", County: "德惠市"},
			want: report.Region{Province: "吉林省", City: "长春市", County: "德惠市", Township: "岔路口镇", Code: "220183", TownshipCode: "220183105"}},
		// Traditional characters: 宿城區王官集鎮人民政府.
		{seed: "001", want: report.Region{Province: "江苏省", City: "宿迁市", County: "宿城区", Township: "王官集镇", Code: "321302", TownshipCode: "321302111"}},
		// 东双河镇: the only one in the table, and the text says 浉河区东双河镇.
		{seed: "002", want: report.Region{Province: "河南省", City: "信阳市", County: "浉河区", Township: "东双河镇", Code: "411502", TownshipCode: "411502102"}},
		// 高新区(近海镇): the table has no 近海镇 (only 珲春's 近海街道) and nothing else
		// says where the report is from: the township keeps its name, without a code.
		{seed: "003", want: report.Region{Township: "近海镇"}, zone: "高新区"},
		// On a 珲春 portal the same stem decides, and the report's name is kept.
		{seed: "003", site: report.Region{Province: "吉林省", City: "延边朝鲜族自治州", County: "珲春市"},
			want: report.Region{Province: "吉林省", City: "延边朝鲜族自治州", County: "珲春市", Township: "近海镇", Code: "222404", TownshipCode: "222404060"}, zone: "高新区"},
		// On a portal of another province it is not 珲春's.
		{seed: "003", site: report.Region{Province: "江苏省", City: "连云港市"},
			want: report.Region{Province: "江苏省", City: "连云港市", Township: "近海镇", Code: "320700"}, zone: "高新区"},
		{seed: "004", want: report.Region{Province: "江西省", City: "宜春市", County: "袁州区", Township: "金瑞镇", Code: "360902", TownshipCode: "360902102"}},
	}
	for _, tt := range tests {
		t.Run(tt.seed+" "+tt.site.Province+tt.site.City+tt.site.County, func(t *testing.T) {
			title, text := readSeed(t, tt.seed)
			r := tb.Resolve(Input{Body: title, Site: tt.site, Text: text})
			if r.Region != tt.want || r.Zone != tt.zone || r.Level != report.LevelTownship {
				t.Errorf("%q:\n got  %+v zone %q level %s\n want %+v zone %q level township\n evidence %q\n reason %s",
					title, r.Region, r.Zone, r.Level, tt.want, tt.zone, r.Evidence, r.Reason)
			}
			if (r.Region.Code == "") != (r.Confidence == 0) {
				t.Errorf("code %q with confidence %v", r.Region.Code, r.Confidence)
			}
			if r.Region.TownshipCode == "" && r.Reason == "" {
				t.Errorf("no township code and no reason")
			}
		})
	}
}
