package regions

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// BenchmarkResolve resolves bodies as the extractor would pass them, once per
// document: the body, the site's region and the report's text.
func BenchmarkResolve(b *testing.B) {
	tb, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(seedDir, "002_002137f4ea78f69a.txt"))
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		in   Input
	}{
		{"chain", Input{Body: "德惠市岔路口镇人民政府", Text: string(text)}},
		{"traditional", Input{Body: "宿城區王官集鎮人民政府", Text: string(text)}},
		{"township+text", Input{Body: "东双河镇", Text: string(text)}},
		{"duplicate+site", Input{Body: "城关镇人民政府", Site: report.Region{Province: "河南省", City: "郑州市", County: "新密市"}, Text: string(text)}},
		{"department+siteid", Input{Body: "区政府办公室", SiteIDCode: "3213020001", Domain: "www.sqsc.gov.cn", Text: string(text)}},
		{"zone+renamed", Input{Body: "高新区(近海镇)", Site: report.Region{Province: "吉林省", County: "珲春市"}, Text: string(text)}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tb.Resolve(c.in)
			}
		})
	}
}
