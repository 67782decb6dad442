package chardecode

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

const page = `<!DOCTYPE html><html><head>%META%<title>德惠市教育局2020年政府信息公开工作年度报告</title></head>
<body><h1>德惠市教育局2020年政府信息公开工作年度报告</h1><p>本报告根据《中华人民共和国政府信息公开条例》要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况。</p>
<a href="/art/2021/1/20/art_1_1.html">关于做好2020年政府信息公开工作年度报告编制工作的通知</a></body></html>`

// tradPage is a page in traditional characters, as Taiwanese, Hong Kong and some
// mainland portals serve in Big5.
const tradPage = `<html><head>%META%<title>政府資訊公開年度報告</title></head><body><p>本報告依據政府資訊公開條例編製，內容包括總體情況、主動公開政府資訊情況、收到和處理政府資訊公開申請情況、行政複議及行政訴訟情況。</p></body></html>`

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withMeta(p, meta string) string { return strings.Replace(p, "%META%", meta, 1) }

func TestDecode(t *testing.T) {
	plain := withMeta(page, "")
	gbk := encode(t, simplifiedchinese.GBK, plain)
	gbkMeta := encode(t, simplifiedchinese.GBK, withMeta(page, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`))
	gbkMetaUTF8 := encode(t, simplifiedchinese.GBK, withMeta(page, `<meta charset="utf-8">`))
	// GBK-only characters (not in GB2312) under a gb2312 declaration, as portals do.
	gbkOnly := encode(t, simplifiedchinese.GBK, withMeta(strings.ReplaceAll(page, "教育局", "教育局（朱镕基 堃）"), `<meta charset="gb2312">`))
	gb18030 := encode(t, simplifiedchinese.GB18030, withMeta(page, "")+"𠀀")
	trad := withMeta(tradPage, "")
	big5 := encode(t, traditionalchinese.Big5, trad)
	big5Meta := encode(t, traditionalchinese.Big5, withMeta(tradPage, `<meta charset="big5">`))

	tests := []struct {
		name        string
		body        []byte
		ctype       string
		wantCharset string
		wantSource  Source
		wantText    string // "" means the simplified page without meta
		lied        bool
	}{
		{"utf-8 declared", []byte(plain), "text/html; charset=utf-8", "utf-8", SourceHeader, "", false},
		{"utf-8 undeclared", []byte(plain), "text/html", "utf-8", SourceSniffed, "", false},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), plain...), "", "utf-8", SourceBOM, "", false},
		{"gbk in header", gbk, "text/html; charset=GBK", "gb18030", SourceHeader, "", false},
		{"gb2312 in header", gbk, "text/html;charset=gb2312", "gb18030", SourceHeader, "", false},
		{"gb2312 in meta only", gbkMeta, "text/html", "gb18030", SourceMeta, withMeta(page, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), false},
		{"gbk undeclared", gbk, "text/html", "gb18030", SourceSniffed, "", false},
		{"gbk without content type", gbk, "", "gb18030", SourceSniffed, "", false},
		{"header says utf-8 over gbk", gbk, "text/html; charset=utf-8", "gb18030", SourceSniffed, "", true},
		{"header utf-8 over gbk with gb2312 meta", gbkMeta, "text/html; charset=UTF-8", "gb18030", SourceMeta, withMeta(page, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), true},
		{"meta says utf-8 over gbk", gbkMetaUTF8, "text/html", "gb18030", SourceSniffed, withMeta(page, `<meta charset="utf-8">`), true},
		{"gbk characters under gb2312", gbkOnly, "text/html", "gb18030", SourceMeta, withMeta(strings.ReplaceAll(page, "教育局", "教育局（朱镕基 堃）"), `<meta charset="gb2312">`), false},
		{"gb18030 four-byte characters", gb18030, "text/html; charset=gb18030", "gb18030", SourceHeader, plain + "𠀀", false},
		{"header says gbk over utf-8", []byte(plain), "text/html; charset=gbk", "utf-8", SourceSniffed, "", true},
		{"latin-1 template default over gbk", gbk, "text/html; charset=iso-8859-1", "gb18030", SourceSniffed, "", true},
		{"colly's GB-18030 label", gbk, "text/html; charset=GB-18030", "gb18030", SourceHeader, "", false},
		{"big5 in header", big5, "text/html; charset=big5", "big5", SourceHeader, trad, false},
		{"big5 in meta", big5Meta, "", "big5", SourceMeta, withMeta(tradPage, `<meta charset="big5">`), false},
		{"big5 undeclared", big5, "text/html", "big5", SourceSniffed, trad, false},
		{"header says utf-8 over big5", big5, "text/html; charset=utf-8", "big5", SourceSniffed, trad, true},
		{"header says gbk over big5", big5, "text/html; charset=gbk", "big5", SourceSniffed, trad, true},
		{"ascii", []byte("<html><a href=x>x</a></html>"), "text/html; charset=gbk", "gb18030", SourceHeader, "<html><a href=x>x</a></html>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decode(tt.body, tt.ctype)
			want := tt.wantText
			if want == "" {
				want = plain
			}
			if got.Charset != tt.wantCharset || got.Source != tt.wantSource {
				t.Errorf("charset %s from %s, want %s from %s", got.Charset, got.Source, tt.wantCharset, tt.wantSource)
			}
			if got.Text != want {
				t.Errorf("text %q", got.Text)
			}
			if got.Bad != 0 {
				t.Errorf("%d bad characters", got.Bad)
			}
			if got.Lied() != tt.lied {
				t.Errorf("lied %v (header %q meta %q)", got.Lied(), got.Header, got.Meta)
			}
		})
	}
}

func TestDecodeGarbage(t *testing.T) {
	got := Decode([]byte("\x81\x20\xff\x30\x81\x20\xff\x30 abc \xfe\xfe\xfe"), "text/html")
	if got.Bad == 0 {
		t.Errorf("garbage decoded cleanly as %s: %q", got.Charset, got.Text)
	}
	if !strings.Contains(got.Text, "abc") {
		t.Errorf("ASCII lost: %q", got.Text)
	}
}

func TestMetaCharset(t *testing.T) {
	tests := map[string]string{
		`<meta charset="gbk">`: "gbk",
		`<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312" />`: "GB2312",
		`<meta content="text/html;charset=utf-8" http-equiv="content-type">`:     "utf-8",
		`<meta name="keywords" content="年报">`:                                    "",
		strings.Repeat(" ", 9000) + `<meta charset="gbk">`:                       "",
	}
	for in, want := range tests {
		if got := MetaCharset([]byte(in)); got != want {
			t.Errorf("MetaCharset(%.60q) = %q, want %q", in, got, want)
		}
	}
}

func TestLongPageSampled(t *testing.T) {
	long := strings.Repeat(withMeta(page, "")+"\n", 200)
	gbk := encode(t, simplifiedchinese.GBK, long)
	got := Decode(gbk, "text/html; charset=utf-8")
	if got.Charset != "gb18030" || got.Text != long {
		t.Fatalf("charset %s, text equal %v", got.Charset, got.Text == long)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(withMeta(page, "")), "text/html")
	f.Add(encode(f, simplifiedchinese.GBK, withMeta(page, "")), "text/html; charset=utf-8")
	f.Add(encode(f, traditionalchinese.Big5, withMeta(tradPage, "")), "")
	f.Add([]byte("\xFF\xFEa\x00"), "text/html; charset=\"")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		got := Decode(body, ctype)
		if !isValidUTF8(got.Text) {
			t.Fatalf("invalid UTF-8 out of %s", got.Charset)
		}
		if got.Charset == "" {
			t.Fatal("no charset")
		}
		if got.Charset == "utf-8" && got.Bad == 0 && got.Source != SourceBOM && !bytes.Equal([]byte(got.Text), body) {
			t.Fatal("clean utf-8 changed")
		}
	})
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "") == s }

func BenchmarkDecode(b *testing.B) {
	long := strings.Repeat(withMeta(page, "")+"\n", 100)
	for _, bc := range []struct {
		name  string
		body  []byte
		ctype string
	}{
		{"utf8-declared", []byte(long), "text/html; charset=utf-8"},
		{"gbk-declared", encode(b, simplifiedchinese.GBK, long), "text/html; charset=gbk"},
		{"gbk-lying-header", encode(b, simplifiedchinese.GBK, long), "text/html; charset=utf-8"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				Decode(bc.body, bc.ctype)
			}
		})
	}
}
