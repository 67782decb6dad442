package regions

import (
	"os"
	"testing"
	"time"
)

// coldLoad is how long the process's first Default took: the embedded table
// decoded and indexed before any test warmed the heap.
var coldLoad time.Duration

func TestMain(m *testing.M) {
	start := time.Now()
	_, err := Default()
	coldLoad = time.Since(start)
	if err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// TestDefaultLoadTime reports the first Default call of the process and fails
// when it is far above what the 2-core development machine measures (50–170 ms,
// depending on what else runs).
func TestDefaultLoadTime(t *testing.T) {
	t.Logf("first Default: %v", coldLoad)
	if coldLoad > 2*time.Second {
		t.Errorf("first Default took %v", coldLoad)
	}
}
