package bounds

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Counter counts a resource against its limit: XML tokens, PDF operators, sheet
// cells. The zero value is unusable; make one with NewCounter.
type Counter struct {
	n, limit int64
	what     string
	ctx      context.Context
}

// NewCounter returns a counter of what (e.g. "XML tokens over the limit of") that
// also stops when ctx is done (checked every 4,096 counts).
func NewCounter(ctx context.Context, limit int64, what string) *Counter {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Counter{limit: limit, what: what, ctx: ctx}
}

// Add counts n more and returns an *Exceeded past the limit, or the context's error
// (wrapped) when it is done.
func (c *Counter) Add(n int64) error {
	before := c.n
	c.n += n
	if c.n > c.limit {
		return Exceed(c.limit, "%s", c.what)
	}
	if before>>12 != c.n>>12 {
		if err := c.ctx.Err(); err != nil {
			return TimeoutError(err)
		}
	}
	return nil
}

// Count returns how much has been counted.
func (c *Counter) Count() int64 { return c.n }

// TimeoutError turns a context error into the limit it stands for: the wall time
// of one document.
func TimeoutError(err error) error {
	return &Exceeded{What: fmt.Sprintf("reading took longer than the time limit (%v)", err)}
}

// Guard runs read and turns a panic in it (a bug in a reader or its library on a
// hostile document) into an *Unsupported naming the document and the panic, so the
// document is rejected with a reason rather than retried. Stack is called with the
// stack of the panic, for the log; it may be nil.
func Guard[T any](name string, stack func([]byte), read func() (T, error)) (out T, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero T
			out = zero
			if stack != nil {
				stack(debug.Stack())
			}
			err = &Unsupported{Reason: fmt.Sprintf("the %s reader failed on this document (panic: %v)", name, p)}
		}
	}()
	return read()
}
