package bus

import (
	"context"
	"testing"
	"time"
)

func TestSiteStatuses(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	// No crawler has written: no bucket, no statuses, no error.
	if got, err := SiteStatuses(ctx, b.JS); err != nil || len(got) != 0 {
		t.Fatalf("before any crawl: %v, %v", got, err)
	}
	kv, err := b.CrawlSitesKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := SiteStatuses(ctx, b.JS); err != nil || len(got) != 0 {
		t.Fatalf("empty bucket: %v, %v", got, err)
	}
	now := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	put := func(s SiteStatus) {
		t.Helper()
		data, err := s.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kv.Put(ctx, SiteStatusKey(s.Site), data); err != nil {
			t.Fatal(err)
		}
	}
	put(SiteStatus{Site: "a-site", Province: "吉林省", State: SiteDone, Run: "r1", Started: now, Updated: now, Finished: now.Add(time.Minute), Reports: 3})
	put(SiteStatus{Site: "b-site", Province: "北京市", State: SiteRunning, Run: "r2", Started: now, Updated: now, ListPages: 2, Errors: map[string]int{"timeout": 2, "http_404": 1}})
	put(SiteStatus{Site: "c-site", Province: "北京市", State: SiteDone, Run: "r1", Started: now, Updated: now})
	// A later write replaces the site's status.
	put(SiteStatus{Site: "c-site", Province: "北京市", State: SiteFailed, Run: "r3", Started: now, Updated: now, LastError: "network http://x"})
	got, err := SiteStatuses(ctx, b.JS)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d statuses: %+v", len(got), got)
	}
	if got[0].Site != "b-site" || got[1].Site != "c-site" || got[2].Site != "a-site" {
		t.Errorf("order %s %s %s, want running first, then by province", got[0].Site, got[1].Site, got[2].Site)
	}
	if got[0].ErrorCount() != 3 || got[0].Pages() != 2 || !got[0].Finished.IsZero() {
		t.Errorf("running status %+v", got[0])
	}
	if got[1].State != SiteFailed || got[1].Run != "r3" || got[1].LastError != "network http://x" {
		t.Errorf("replaced status %+v", got[1])
	}
	if !got[2].Finished.Equal(now.Add(time.Minute)) || got[2].Reports != 3 {
		t.Errorf("done status %+v", got[2])
	}
	st, err := kv.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.History() != 1 {
		t.Errorf("history %d", st.History())
	}
}
