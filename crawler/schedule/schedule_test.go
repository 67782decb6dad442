package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestExpand(t *testing.T) {
	a1, err := Expand("H H(0-5) * 1-3 *", "dehui")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := Expand("H H(0-5) * 1-3 *", "dehui")
	b, _ := Expand("H H(0-5) * 1-3 *", "gaoping")
	if a1 != a2 {
		t.Fatalf("not deterministic: %q %q", a1, a2)
	}
	if a1 == b {
		t.Logf("two sites share a time (possible, unlikely): %q", a1)
	}
	var m, h int
	if _, err := fmt.Sscanf(a1, "%d %d * 1-3 *", &m, &h); err != nil || m < 0 || m > 59 || h < 0 || h > 5 {
		t.Fatalf("expanded %q", a1)
	}
	for _, bad := range []string{"H H", "H(5-1) * * * *", "H(0-99) * * * *", "HH * * * *", "H/5 * * * *", "* * * * * *"} {
		if _, err := Parse(bad, "x"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"0 2 * * *", "@daily", "*/15 H(1-3) * * 1-5", "H H H H H"} {
		if _, err := Parse(good, "x"); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

func testSites(n int) []sites.Site {
	var out []sites.Site
	for i := range n {
		out = append(out, sites.Site{ID: fmt.Sprintf("site-%03d", i+1), Name: "x", Region: sites.Region{Province: "x"}, StartURLs: []string{"http://a.gov.cn/"}})
	}
	return out
}

type recorder struct {
	mu   sync.Mutex
	jobs []bus.CrawlJob
	seen map[string]bool
	fail int // fail the next fail publishes
	stop func(n int)
}

func (r *recorder) PublishCrawlJob(_ context.Context, j bus.CrawlJob) (*jetstream.PubAck, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		return nil, errors.New("nats down")
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if r.seen[j.MsgID()] {
		return &jetstream.PubAck{Duplicate: true}, nil
	}
	r.seen[j.MsgID()] = true
	r.jobs = append(r.jobs, j)
	if r.stop != nil {
		r.stop(len(r.jobs))
	}
	return &jetstream.PubAck{}, nil
}

// The default schedule: every night from January to March, weekly otherwise, at
// night in China, spread over the sites.
func TestDefaultSchedule(t *testing.T) {
	cfg := DefaultConfig()
	all := testSites(300)
	s, err := New(cfg, all, &recorder{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	times := map[string]bool{}
	for _, st := range all {
		perMonth := map[time.Month]int{}
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai).Add(-time.Second)
		for at := s.Next(st.ID, t0); at.Year() == 2025; at = s.Next(st.ID, at) {
			perMonth[at.Month()]++
			if h := at.In(shanghai).Hour(); h > 5 {
				t.Fatalf("%s crawled at %v", st.ID, at.In(shanghai))
			}
			times[at.In(shanghai).Format("15:04")] = true
		}
		if perMonth[time.January] != 31 || perMonth[time.February] != 28 || perMonth[time.March] != 31 {
			t.Fatalf("%s: %v runs in January–March", st.ID, perMonth)
		}
		for m := time.April; m <= time.December; m++ {
			if n := perMonth[m]; n < 4 || n > 5 {
				t.Fatalf("%s: %d runs in %v", st.ID, n, m)
			}
		}
	}
	// 300 sites over 360 night minutes: most get a minute of their own.
	if len(times) < 180 {
		t.Fatalf("sites start at only %d distinct times", len(times))
	}
}

// fakeClock drives a scheduler's Run in simulated time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

func TestRunPublishesDueJobs(t *testing.T) {
	cfg := Config{Specs: []string{"H * * * *"}, Timezone: "UTC"}
	all := testSites(5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &recorder{fail: 1, stop: func(n int) {
		if n == 15 {
			cancel()
		}
	}}
	reg := prometheus.NewRegistry()
	s, err := New(cfg, all, rec, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.now, s.after = clock.Now, clock.After
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	runs := map[string][]string{}
	for _, j := range rec.jobs {
		runs[j.Site] = append(runs[j.Site], j.Run)
		if j.Run != RunName(j.Scheduled) {
			t.Errorf("run %s scheduled %v", j.Run, j.Scheduled)
		}
	}
	// Hourly: three runs per site, in order, an hour apart — including the site
	// whose first publish failed and was retried under its original run name.
	for _, st := range all {
		r := runs[st.ID]
		if len(r) != 3 {
			t.Fatalf("%s: runs %v", st.ID, r)
		}
		for i := 1; i < 3; i++ {
			a, _ := time.Parse("20060102T150405Z", r[i-1])
			b, _ := time.Parse("20060102T150405Z", r[i])
			if b.Sub(a) != time.Hour {
				t.Errorf("%s: runs %v", st.ID, r)
			}
		}
	}
	if got := testutil.ToFloat64(s.scheduled); got != 15 {
		t.Errorf("scheduled metric %v", got)
	}
}

// Two schedulers (two processes) publish the same jobs; the work queue keeps one.
func TestSchedulersShareJobs(t *testing.T) {
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	all := testSites(4)
	for range 2 {
		s, err := New(DefaultConfig(), all, b, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.PublishAll(context.Background(), "once-1"); err != nil || n != 4 {
			t.Fatalf("published %d: %v", n, err)
		}
	}
	str, _ := b.JS.Stream(context.Background(), bus.StreamCrawlJobs)
	info, _ := str.Info(context.Background())
	if info.State.Msgs != 4 {
		t.Fatalf("%d jobs in the queue, want 4", info.State.Msgs)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{Specs: nil, Timezone: "UTC"},
		{Specs: []string{"nonsense"}, Timezone: "UTC"},
		{Specs: []string{"H H * * *"}, Timezone: "Mars/Olympus"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, append(testSites(2), testSites(1)...), &recorder{}, nil, nil); err == nil {
		t.Error("duplicate site accepted")
	}
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"H H(0-5) * 1-3 *", "H H(0-5) * 4-12 H", "*/5 * * * *", "H(3-1) * * * *", "@daily"} {
		f.Add(s, "site-001")
	}
	f.Fuzz(func(t *testing.T, spec, key string) {
		out, err := Expand(spec, key)
		if err != nil {
			return
		}
		if strings.Contains(out, "H") && !strings.HasPrefix(out, "@") {
			t.Fatalf("%q expanded to %q with an H left", spec, out)
		}
		again, _ := Expand(spec, key)
		if again != out {
			t.Fatalf("not deterministic: %q then %q", out, again)
		}
	})
}
