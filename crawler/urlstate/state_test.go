package urlstate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
)

func TestStores(t *testing.T) {
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	kv, err := b.CrawlStateKV(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Store{"memory": NewMemory(), "kv": NewKV(kv)} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const u = "http://www.a.gov.cn/col/col1/index.html"
			if _, ok, err := s.Get(ctx, "site-a", u); ok || err != nil {
				t.Fatalf("empty store: ok %v err %v", ok, err)
			}
			at := time.Date(2024, 2, 1, 3, 4, 5, 0, time.UTC)
			want := State{URL: u, Kind: "list", ETag: `"abc"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT",
				SHA256: strings.Repeat("a", 64), Status: 200, FetchedAt: at, CheckedAt: at, NextDue: at.Add(time.Hour), Run: "r1",
				Links: []Link{{URL: "http://www.a.gov.cn/art/2024/1/1/art_1_2.html", Kind: "report", Text: "2023年政府信息公开工作年度报告"}}}
			if err := s.Put(ctx, "site-a", u, want); err != nil {
				t.Fatal(err)
			}
			// The canonical URL is the key: a fragment or tracking parameter is the same URL.
			got, ok, err := s.Get(ctx, "site-a", u+"#top")
			if err != nil || !ok {
				t.Fatalf("get: ok %v err %v", ok, err)
			}
			if got.URL != want.URL || got.ETag != want.ETag || !got.NextDue.Equal(want.NextDue) || len(got.Links) != 1 || got.Links[0] != want.Links[0] || !got.OK() {
				t.Fatalf("got %+v", got)
			}
			// Another site has its own state.
			if _, ok, _ := s.Get(ctx, "site-b", u); ok {
				t.Fatal("state shared across sites")
			}
			want.Error, want.Failures = "http_500", 1
			if err := s.Put(ctx, "site-a", u, want); err != nil {
				t.Fatal(err)
			}
			got, _, _ = s.Get(ctx, "site-a", u)
			if got.OK() || got.Failures != 1 {
				t.Fatalf("after failure %+v", got)
			}
			if _, _, err := s.Get(ctx, "site-a", "not a url"); err == nil {
				t.Fatal("relative URL accepted")
			}
		})
	}
}

func TestKey(t *testing.T) {
	k1, _ := Key("site-001", "HTTP://WWW.A.GOV.CN/x.html?utm_source=q")
	k2, _ := Key("site-001", "http://www.a.gov.cn/x.html")
	if k1 != k2 || !strings.HasPrefix(k1, "site-001.") || len(k1) != len("site-001.")+32 {
		t.Fatalf("keys %q %q", k1, k2)
	}
	if k, _ := Key("德惠 x", "http://a.gov.cn/"); !strings.HasPrefix(k, "_______x.") {
		t.Fatalf("key %q", k)
	}
}
