package crawler

import (
	"context"
	"testing"
	"time"
)

func TestFrontier(t *testing.T) {
	f := newFrontier(time.Now)
	ctx := context.Background()
	f.push(&item{url: "a"})
	f.push(&item{url: "retry", after: time.Now().Add(80 * time.Millisecond)})
	f.push(&item{url: "b"})
	var order []string
	start := time.Now()
	for {
		it, ok := f.next(ctx)
		if !ok {
			break
		}
		order = append(order, it.url)
		if it.url == "b" {
			f.push(&item{url: "c"}) // found while processing b
		}
		f.done()
	}
	if got := len(order); got != 4 || order[0] != "a" || order[1] != "b" || order[2] != "c" || order[3] != "retry" {
		t.Fatalf("order %v", order)
	}
	if took := time.Since(start); took < 70*time.Millisecond {
		t.Fatalf("a retry ran after %v, before its time", took)
	}
	if f.len() != 0 {
		t.Fatalf("%d left", f.len())
	}
	// A worker waiting while another still works gets what that one finds.
	f.push(&item{url: "x"})
	it, _ := f.next(ctx)
	got := make(chan string)
	go func() {
		it, ok := f.next(ctx)
		if ok {
			got <- it.url
			f.done()
		}
		close(got)
	}()
	time.Sleep(20 * time.Millisecond)
	f.push(&item{url: "y"})
	f.done()
	_ = it
	if u := <-got; u != "y" {
		t.Fatalf("waiting worker got %q", u)
	}
	// Cancelled.
	cctx, cancel := context.WithCancel(ctx)
	f.push(&item{url: "z", after: time.Now().Add(time.Hour)})
	cancel()
	if _, ok := f.next(cctx); ok {
		t.Fatal("next returned after cancel")
	}
}
