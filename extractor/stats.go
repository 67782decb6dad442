package extractor

import (
	"maps"
	"sync"

	"github.com/govreport/govreport/pkg/report"
)

// Stats counts what the stage did since it was created.
type Stats struct {
	// Documents is the number of messages handled to an outcome (retries excluded).
	Documents int64
	// Parsed is the number of records published.
	Parsed int64
	// Rejected counts the rejections published, by reason.
	Rejected map[report.Reason]int64
	// Dead is the number of messages sent to the dead-letter subject.
	Dead int64
	// Retried is the number of deliveries that failed transiently and were nak'ed.
	Retried int64
}

// counters is the stage's Stats under a lock.
type counters struct {
	mu sync.Mutex
	s  Stats
}

func (c *counters) add(f func(*Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.Rejected == nil {
		c.s.Rejected = map[report.Reason]int64{}
	}
	f(&c.s)
}

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.s
	s.Rejected = maps.Clone(c.s.Rejected)
	if s.Rejected == nil {
		s.Rejected = map[report.Reason]int64{}
	}
	return s
}
