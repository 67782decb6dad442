package alerter

import (
	"context"
	"fmt"
	"testing"

	"github.com/govreport/govreport/pkg/bus"
)

// BenchmarkRecords measures the alerter's per-record path on PARSED — decode,
// per-report alerts, the state bucket (claim, scope listing, commit) and delivery
// to NATS — for records that raise four alerts the first time (broken) and for
// records that raise none (clean: the scope listing alone).
func BenchmarkRecords(b *testing.B) {
	b.Run("broken", func(b *testing.B) { benchRecords(b, false) })
	b.Run("clean", func(b *testing.B) { benchRecords(b, true) })
}

func benchRecords(b *testing.B, clean bool) {
	bs := testBus(b)
	ctx := context.Background()
	for i := range b.N {
		rec := brokenRecord()
		if clean {
			rec.Findings = nil
		}
		rec.Meta.DocID = fmt.Sprintf("doc%d", i)
		data, _ := rec.Marshal()
		if _, err := bs.JS.Publish(ctx, bus.ParsedSubject("22"), data); err != nil {
			b.Fatal(err)
		}
	}
	a := newTestAlerter(b, bs)
	b.ResetTimer()
	st := runUntil(b, a, func(s Stats) bool { return s.Records >= b.N })
	b.StopTimer()
	if st.Records != b.N {
		b.Fatalf("%d of %d records", st.Records, b.N)
	}
	b.ReportMetric(float64(st.Alerts)/float64(b.N), "alerts/record")
}
