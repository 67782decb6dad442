package extractor

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// fuzzParse parses one input and checks the contract: a record that validates, or a
// rejection; never a panic, another error, or a slow parse.
func fuzzParse(t *testing.T, body []byte, ctype string) {
	start := time.Now()
	rec, err := Parser{MaxBodyBytes: 1 << 20}.Parse(Input{URL: "http://f.gov.cn/x.html", Body: body, ContentType: ctype, ExtractedAt: testTime})
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("parse took %s for %d bytes", d, len(body))
	}
	var rej *report.Rejection
	switch {
	case err == nil:
		if verr := rec.Validate(); verr != nil {
			t.Fatalf("invalid record: %v", verr)
		}
		if _, merr := rec.Marshal(); merr != nil {
			t.Fatalf("record does not encode: %v", merr)
		}
	case errors.As(err, &rej):
	default:
		t.Fatalf("error that is not a rejection: %v", err)
	}
}

func FuzzParseHTML(f *testing.F) {
	files, _ := filepath.Glob("testdata/html/*.html")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Add([]byte(`<table><tr><td rowspan="0" colspan="9999">申请人情况</td><td rowspan=65534>自然人</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td></tr></table>`))
	f.Add([]byte(`<table><tr><td>二、主动公开政府信息情况</td></tr><tr><td>信息内容</td><td>本年新</td><td>本年新</td></tr><tr><td>规章</td><td>1</td></tr></table>`))
	f.Add([]byte("<div><p>二、</p><p>主动公开政府信息情况</p><pre>第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n規(guī)章\t0\t见附件\t3</pre></div>"))
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, body, "text/html") })
}

func FuzzParseText(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Add([]byte("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量|1|2\n（六）其他处理\t0\t0\n四、政府信息公开行政复议、行政诉讼情况\n0"))
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, body, "text/plain; charset=utf-8") })
}
