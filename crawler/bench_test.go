package crawler

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
	"github.com/nats-io/nats.go/jetstream"
)

// discardPublisher counts documents and keeps nothing.
type discardPublisher struct{ n atomic.Int64 }

func (p *discardPublisher) PublishRaw(context.Context, *rawdoc.Document) (*jetstream.PubAck, error) {
	p.n.Add(1)
	return &jetstream.PubAck{}, nil
}

// benchPortalEnv makes the test binary serve the benchmark portal instead of
// running tests (see TestMain), so that the crawler is measured in a process of
// its own.
const benchPortalEnv = "GOVREPORT_BENCH_PORTAL"

// benchPortalConfig is a generated portal of more than 10,000 pages: 42 sites of
// 240 reports, list pages of 10 entries.
func benchPortalConfig() sampleportal.Config {
	cfg := sampleportal.DefaultConfig()
	cfg.Sites, cfg.ReportsPerSite = 42, 240
	cfg.Years = []int{2019, 2020, 2021, 2022, 2023, 2024}
	cfg.ListPageSize = 10
	return cfg
}

// servePortal generates the benchmark portal, serves it on loopback, writes its
// URL to stdout and serves until stdin closes.
func servePortal() int {
	p, err := sampleportal.Generate(benchPortalConfig())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv := &http.Server{Handler: p.Handler()}
	go srv.Serve(ln)
	fmt.Printf("http://%s\n", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	return 0
}

// benchPortal starts the portal server process and returns the site definitions.
func benchPortal(b *testing.B) []sites.Site {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), benchPortalEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("portal server: %v", err)
	}
	base := strings.TrimSpace(line)
	// The site definitions depend only on the configuration and the base URL.
	p, err := sampleportal.Generate(func() sampleportal.Config { c := benchPortalConfig(); c.ReportsPerSite = 1; return c }())
	if err != nil {
		b.Fatal(err)
	}
	return p.Sites(base)
}

// peakHeap samples the heap in use until stop is called and returns the peak.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// cpuTime is the CPU time this process used (user and system); the portal runs in
// another.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set (VmHWM), in bytes, or 0.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkCrawl10k crawls a generated portal of more than 10,000 pages on
// loopback with politeness lifted (64 requests per host, no delay), robots.txt
// honoured: "memory" keeps state and host limits in memory and discards the
// documents; "nats" keeps both in JetStream key-value buckets and publishes to RAW
// on an embedded NATS, as a production crawler does.
func BenchmarkCrawl10k(b *testing.B) {
	all := benchPortal(b)
	for _, mode := range []string{"memory", "nats"} {
		b.Run(mode, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.AllowPrivate = true
			cfg.HostConcurrency, cfg.HostDelay = 64, 0
			cfg.SiteConcurrency, cfg.SiteWorkers = 8, 8
			cfg.MaxPagesPerSite = 5000
			var pages, published int
			var elapsed, cpu time.Duration
			var heap uint64
			for b.Loop() {
				var pub Publisher = &discardPublisher{}
				var opts []Option
				if mode == "nats" {
					bb := openBus(b)
					pub = bb
					opts = kvOptions(b, bb)
				}
				c, err := New(cfg, pub, nil, nil, opts...)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				stop := peakHeap()
				start, cpu0 := time.Now(), cpuTime()
				st, err := c.CrawlAll(context.Background(), all)
				elapsed += time.Since(start)
				cpu += cpuTime() - cpu0
				heap = max(heap, stop())
				if err != nil || st.ErrorCount() != 0 {
					b.Fatalf("crawl: %v %+v", err, st)
				}
				pages += st.ListPages + st.Fetched()
				published += st.Published
			}
			if pages/b.N < 10000 {
				b.Fatalf("only %d pages per crawl", pages/b.N)
			}
			b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
			b.ReportMetric(float64(pages/b.N), "pages/crawl")
			b.ReportMetric(float64(cpu.Microseconds())/float64(pages), "cpu-µs/page")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MB")
		})
	}
}
