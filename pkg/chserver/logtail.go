package chserver

import (
	"bytes"
	"io"
	"os"
	"regexp"
)

// stackFrame matches a frame of a stack trace in ClickHouse's logs.
var stackFrame = regexp.MustCompile(`^\d+\. .*(\[0x[0-9a-f]+\]| @ 0x[0-9a-f]+)`)

// logMark remembers how long a log file was, so that only what a start wrote is
// reported.
type logMark struct {
	path string
	size int64
}

func markLog(path string) logMark {
	m := logMark{path: path}
	if st, err := os.Stat(path); err == nil {
		m.size = st.Size()
	}
	return m
}

// tail returns at most the last n lines (and maxBytes bytes) written after the mark.
func (m logMark) tail(n int, maxBytes int64) string {
	f, err := os.Open(m.path)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	from := m.size
	if st.Size() < from { // rotated or truncated
		from = 0
	}
	if st.Size()-from > maxBytes {
		from = st.Size() - maxBytes
	}
	b, err := io.ReadAll(io.NewSectionReader(f, from, st.Size()-from))
	if err != nil {
		return ""
	}
	return lastLines(b, n)
}

// lastLines returns the last n non-empty lines of b, leaving out the frames of
// ClickHouse's stack traces ("12. /lib/…(…) [0x…]"), which would crowd out the
// messages.
func lastLines(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	out := make([][]byte, 0, n)
	for i := len(lines) - 1; i >= 0 && len(out) < n; i-- {
		if l := bytes.TrimSpace(lines[i]); len(l) > 0 && !stackFrame.Match(l) {
			out = append(out, lines[i])
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(bytes.Join(out, []byte("\n")))
}
