package crawler

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// startProgress writes the progress line every interval until the returned stop is
// called (which writes the last line and a newline). total is the number of sites
// of a once-crawl, 0 when crawling jobs.
func (c *Crawler) startProgress(ctx context.Context, total int) (stop func()) {
	if c.progressOut == nil {
		return func() {}
	}
	base := c.Live()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(c.progressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.writeProgress(base, total, false)
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		c.writeProgress(base, total, true)
	}
}

// writeProgress writes one progress line: counts since base.
func (c *Crawler) writeProgress(base Stats, total int, last bool) {
	now := c.Live()
	d := func(a, b int) int { return a - b }
	errs := now.ErrorCount() - base.ErrorCount()
	sitesPart := fmt.Sprintf("sites %d", d(now.Sites, base.Sites))
	if total > 0 {
		sitesPart = fmt.Sprintf("sites %d/%d", d(now.Sites, base.Sites), total)
	}
	line := fmt.Sprintf("\rcrawl: %s · active %d · pages %d · published %d · unchanged %d · skipped %d · retries %d · errors %d · %.1f MB · in flight %d",
		sitesPart, c.active.Load(), d(now.ListPages+now.Reports+now.Attachments, base.ListPages+base.Reports+base.Attachments),
		d(now.Published, base.Published), d(now.Unchanged+now.NotModified, base.Unchanged+base.NotModified), d(now.Skipped, base.Skipped),
		d(now.Retries, base.Retries), errs, float64(now.Bytes-base.Bytes)/1e6, c.inFrontier.Load())
	if last {
		line += "\n"
	}
	fmt.Fprint(c.progressOut, line)
}
