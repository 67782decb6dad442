package decode

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		ctype string
		want  Format
	}{
		{"html by type", "<p>x</p>", "text/html; charset=utf-8", FormatHTML},
		{"html sniffed", "  <!DOCTYPE html><html>", "", FormatHTML},
		{"html under octet-stream", "<html><body>年度报告</body></html>", "application/octet-stream", FormatHTML},
		{"text", "德惠市2020年政府信息公开工作年度报告\n一、总体情况", "text/plain", FormatText},
		{"pdf magic", "%PDF-1.4\n", "text/html", FormatPDF},
		{"pdf type", "xx", "application/pdf", FormatPDF},
		{"doc magic", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", "", FormatOffice},
		{"wps type", "xx", "application/kswps", FormatOffice},
		{"docx magic", "PK\x03\x04\x14\x00", "", FormatZip},
		{"xlsx type", "xx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FormatZip},
		{"png", "\x89PNG\r\n\x1a\n", "", FormatBinary},
		{"binary", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x00\x01\x02", "", FormatBinary},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.body), tt.ctype); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	const text = "<html><head></head><body><p>政府信息公开工作年度报告：本年新收政府信息公开申请数量</p></body></html>"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)
	withMeta := `<meta charset="gb2312">` + gbk
	tests := []struct {
		name        string
		body        string
		ctype       string
		html        bool
		wantCharset string
	}{
		{"utf-8 undeclared", text, "", true, "utf-8"},
		{"utf-8 with BOM", "\xEF\xBB\xBF" + text, "", true, "utf-8"},
		{"gbk in header", gbk, "text/html; charset=GBK", true, "gb18030"},
		{"gbk in meta", withMeta, "text/html", true, "gb18030"},
		{"gbk undeclared", gbk, "", true, "gb18030"},
		{"header says utf-8 over gbk", gbk, "text/html; charset=utf-8", true, "gb18030"},
		{"header says gbk over utf-8", text, "text/html; charset=gbk", true, "utf-8"},
		{"latin-1 declared over gbk", gbk, "text/html; charset=iso-8859-1", true, "gb18030"},
		{"text ignores meta", `<meta charset="big5">` + text, "text/plain", false, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.body), tt.ctype, tt.html)
			if err != nil {
				t.Fatal(err)
			}
			if got.Charset != tt.wantCharset {
				t.Errorf("charset %s, want %s", got.Charset, tt.wantCharset)
			}
			want := text
			if tt.name == "gbk in meta" {
				want = `<meta charset="gb2312">` + text
			}
			if tt.name == "text ignores meta" {
				want = `<meta charset="big5">` + text
			}
			if got.Text != want {
				t.Errorf("text %q", got.Text)
			}
		})
	}
	if _, err := Decode([]byte("\x81\x20\xff\x30\x81\x20\xff\x30 abc"), "", true); !errors.Is(err, ErrBadEncoding) {
		t.Errorf("garbage decoded: %v", err)
	}
}
