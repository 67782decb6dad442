package loader

import "sync"

// Stats counts what a loader has done since it was created.
type Stats struct {
	// Records and Rejections are the messages loaded and acknowledged.
	Records, Rejections uint64
	// Rows is the number of rows inserted per table.
	Rows RowCounts
	// Batches is the number of batches inserted and acknowledged.
	Batches uint64
	// Failures is the number of batch inserts ClickHouse did not accept.
	Failures uint64
	// DeadLetters is the number of messages sent to the dead-letter subject.
	DeadLetters uint64
}

// stats is the loader's Stats behind a lock.
type stats struct {
	mu sync.Mutex
	s  Stats
}

func (st *stats) update(f func(*Stats)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.s.Rows == nil {
		st.s.Rows = RowCounts{}
	}
	f(&st.s)
}

func (st *stats) snapshot() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := st.s
	out.Rows = RowCounts{}
	for k, v := range st.s.Rows {
		out.Rows[k] = v
	}
	return out
}
