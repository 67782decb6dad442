package crawler

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// item is one URL to fetch in a site crawl.
type item struct {
	url     string
	kind    string
	text    string // the link text that led here
	referer string
	depth   int
	attempt int       // retries so far
	after   time.Time // not before (a retry's backoff)
}

// frontier is a site crawl's queue of URLs: ready ones in order, retries waiting
// for their time. Workers take items with next and report them finished with done;
// next reports false once nothing is queued or in flight (or ctx ended).
type frontier struct {
	now func() time.Time

	mu      sync.Mutex
	ready   []*item
	head    int
	waiting itemHeap
	active  int
	changed chan struct{} // closed and replaced whenever the frontier changes
}

func newFrontier(now func() time.Time) *frontier {
	return &frontier{now: now, changed: make(chan struct{})}
}

// push queues an item (a retry waits for its time).
func (f *frontier) push(it *item) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !it.after.IsZero() && it.after.After(f.now()) {
		heap.Push(&f.waiting, it)
	} else {
		f.ready = append(f.ready, it)
	}
	f.signal()
}

// next returns the next item to fetch, waiting for one if needed.
func (f *frontier) next(ctx context.Context) (*item, bool) {
	for {
		f.mu.Lock()
		now := f.now()
		for f.waiting.Len() > 0 && !f.waiting[0].after.After(now) {
			f.ready = append(f.ready, heap.Pop(&f.waiting).(*item))
		}
		if f.head < len(f.ready) {
			it := f.ready[f.head]
			f.ready[f.head] = nil
			f.head++
			if f.head > 1024 && f.head*2 > len(f.ready) {
				f.ready = append([]*item(nil), f.ready[f.head:]...)
				f.head = 0
			}
			f.active++
			f.mu.Unlock()
			return it, true
		}
		if f.waiting.Len() == 0 && f.active == 0 {
			f.mu.Unlock()
			return nil, false
		}
		var timer *time.Timer
		var fire <-chan time.Time
		if f.waiting.Len() > 0 {
			timer = time.NewTimer(f.waiting[0].after.Sub(now))
			fire = timer.C
		}
		changed := f.changed
		f.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-changed:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return nil, false
		}
	}
}

// done reports an item taken with next as finished (after pushing what it found).
func (f *frontier) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active--
	f.signal()
}

// len returns the number of items queued, waiting or in flight.
func (f *frontier) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.ready) - f.head + f.waiting.Len() + f.active
}

func (f *frontier) signal() {
	close(f.changed)
	f.changed = make(chan struct{})
}

type itemHeap []*item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return h[i].after.Before(h[j].after) }
func (h itemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)        { *h = append(*h, x.(*item)) }
func (h *itemHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return x
}
