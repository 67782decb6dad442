package bounds

import (
	"errors"
	"fmt"
)

// Exceeded says a document broke a limit: it is too large (or too costly) to read.
type Exceeded struct {
	// What names the limit in words: "zip entry word/document.xml inflates past".
	What string
	// Limit is the limit's value, in the unit What implies.
	Limit int64
}

// Error renders "<what> <limit>", or What alone when Limit is 0.
func (e *Exceeded) Error() string {
	if e.Limit == 0 {
		return e.What
	}
	return fmt.Sprintf("%s %d", e.What, e.Limit)
}

// Exceed returns an *Exceeded.
func Exceed(limit int64, format string, args ...any) error {
	return &Exceeded{What: fmt.Sprintf(format, args...), Limit: limit}
}

// Unsupported says a document cannot be read for what it is, not for a bug: a
// scanned PDF, an encrypted file, a format no reader handles, a broken container,
// a converter that is not installed.
type Unsupported struct {
	// Reason says why, in words a person reading the rejection understands.
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error renders the reason and the underlying error.
func (e *Unsupported) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

// Unwrap returns the underlying error.
func (e *Unsupported) Unwrap() error { return e.Err }

// Unsupport returns an *Unsupported with a formatted reason.
func Unsupport(err error, format string, args ...any) error {
	return &Unsupported{Reason: fmt.Sprintf(format, args...), Err: err}
}

// IsExceeded reports whether err is or wraps an *Exceeded.
func IsExceeded(err error) bool {
	var e *Exceeded
	return errors.As(err, &e)
}

// IsUnsupported reports whether err is or wraps an *Unsupported.
func IsUnsupported(err error) bool {
	var e *Unsupported
	return errors.As(err, &e)
}
