package rawdoc

import (
	"errors"
	"testing"
	"time"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP://WWW.Example.GOV.cn/a/b.html#top", "http://www.example.gov.cn/a/b.html"},
		{"http://www.example.gov.cn:80", "http://www.example.gov.cn/"},
		{"https://x.gov.cn:443/p?b=2&a=1&utm_source=wx", "https://x.gov.cn/p?a=1&b=2"},
		{"http://x.gov.cn:8080/p?spm=1", "http://x.gov.cn:8080/p"},
		{"http://u:p@x.gov.cn/p", "http://x.gov.cn/p"},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "/relative/path", "http://%zz", "mailto:x@y"} {
		if _, err := CanonicalURL(bad); err == nil {
			t.Errorf("CanonicalURL(%q) accepted", bad)
		}
	}
}

func TestDocIDStable(t *testing.T) {
	a, _ := CanonicalURL("http://X.gov.cn/a.html#f")
	b, _ := CanonicalURL("http://x.gov.cn/a.html")
	if DocID(a) != DocID(b) || len(DocID(a)) != 32 {
		t.Fatalf("doc ids differ or wrong length: %s %s", DocID(a), DocID(b))
	}
}

func TestRoundTripAndValidate(t *testing.T) {
	d, err := New("http://x.gov.cn/a.html", []byte("<html>报告</html>"), time.Unix(1, 0).UTC())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.Marshal()
	back, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Body) != string(d.Body) || back.SHA256 != d.SHA256 {
		t.Fatal("round trip changed the document")
	}
	d.Body = nil
	if err := d.Validate(); !errors.Is(err, ErrNoBody) {
		t.Fatalf("want ErrNoBody, got %v", err)
	}
	d.Body = []byte("tampered")
	if err := d.Validate(); err == nil {
		t.Fatal("accepted a body that does not match its hash")
	}
	if _, err := Unmarshal([]byte("{")); err == nil {
		t.Fatal("accepted broken JSON")
	}
}
