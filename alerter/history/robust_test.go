package history

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{1, 3}, 2},
		{[]float64{0, 0, 0, 7}, 0},
		{[]float64{1, 2, 3, 4, 100}, 3},
		{[]float64{-2, 0, 2, 4}, 1},
	} {
		if got := median(sortedCopy(tc.in)); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

func TestRobustZ(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x      float64
		others []float64
		method string
		median float64
		mad    float64
		meanAD float64
		z      float64
	}{
		// MAD of {1,2,3,4,5} around 3 is 1: z = 0.6745·(10−3)/1.
		{"mad", 10, []float64{1, 2, 3, 4, 5}, methodMAD, 3, 1, 1.2, 0.6745 * 7},
		{"mad below", 0, []float64{4, 5, 6, 7, 8}, methodMAD, 6, 1, 1.2, 0.6745 * -6},
		// Five of eight others are 0: the MAD is 0, the mean absolute deviation is
		// (1+2+3)/8 = 0.75.
		{"mean ad fallback", 9, []float64{0, 0, 0, 0, 0, 1, 2, 3}, methodMeanAD, 0, 0, 0.75, 9 / (1.2533 * 0.75)},
		// All others 0: no scale.
		{"none", 50, []float64{0, 0, 0, 0, 0, 0, 0}, methodNone, 0, 0, 0, 0},
		{"none equal", 3, []float64{3, 3, 3}, methodNone, 3, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := robustZ(tc.x, tc.others)
			if r.method != tc.method || r.median != tc.median || math.Abs(r.mad-tc.mad) > 1e-12 ||
				math.Abs(r.meanAD-tc.meanAD) > 1e-12 || math.Abs(r.z-tc.z) > 1e-9 {
				t.Errorf("robustZ(%v, %v) = %+v, want method %s median %v mad %v meanAD %v z %v",
					tc.x, tc.others, r, tc.method, tc.median, tc.mad, tc.meanAD, tc.z)
			}
		})
	}
}

// TestLeaveOneOut checks the O(n log n) leave-one-out scores against robustZ on
// every value, on samples with many ties (zeros) as peer groups have.
func TestLeaveOneOut(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		n := 2 + r.IntN(30)
		raw := make([]float64, n)
		for i := range raw {
			switch r.IntN(4) {
			case 0, 1:
				raw[i] = 0
			case 2:
				raw[i] = float64(r.IntN(5))
			default:
				raw[i] = float64(r.IntN(2000))
			}
		}
		if trial%50 == 0 {
			for i := range raw {
				raw[i] = 7 // all equal
			}
		}
		logs := make([]float64, n)
		for i, v := range raw {
			logs[i] = math.Log1p(v)
		}
		scores, meds := leaveOneOut(logs, raw)
		for i := range raw {
			others := slices.Delete(slices.Clone(logs), i, i+1)
			othersRaw := slices.Delete(slices.Clone(raw), i, i+1)
			want := robustZ(logs[i], others)
			got := scores[i]
			if got.method != want.method || !near(got.median, want.median) || !near(got.mad, want.mad) ||
				!near(got.meanAD, want.meanAD) || !near(got.z, want.z) {
				t.Fatalf("trial %d, value %d of %v: leaveOneOut %+v, robustZ %+v", trial, i, raw, got, want)
			}
			if m := median(sortedCopy(othersRaw)); !near(meds[i], m) {
				t.Fatalf("trial %d, value %d of %v: raw median %v, want %v", trial, i, raw, meds[i], m)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func FuzzLeaveOneOut(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5, 200, 1})
	f.Add([]byte{9, 9, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64 {
			b = b[:64]
		}
		raw := make([]float64, len(b))
		logs := make([]float64, len(b))
		for i, v := range b {
			raw[i] = float64(v) * float64(v)
			logs[i] = math.Log1p(raw[i])
		}
		scores, meds := leaveOneOut(logs, raw)
		for i, s := range scores {
			if len(b) >= 2 && (math.IsNaN(s.z) || math.IsInf(s.z, 0) || math.IsNaN(meds[i])) {
				t.Fatalf("value %d of %v: %+v, median %v", i, raw, s, meds[i])
			}
			if len(b) >= 2 {
				want := robustZ(logs[i], slices.Delete(slices.Clone(logs), i, i+1))
				if s.method != want.method || !near(s.z, want.z) {
					t.Fatalf("value %d of %v: %+v, want %+v", i, raw, s, want)
				}
			}
		}
	})
}

// BenchmarkLeaveOneOut scores a group of 3,000 bodies (a province's departments).
func BenchmarkLeaveOneOut(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	raw, logs := make([]float64, 3000), make([]float64, 3000)
	for i := range raw {
		if r.IntN(2) == 0 {
			raw[i] = math.Round(math.Exp(2 + r.NormFloat64()))
		}
		logs[i] = math.Log1p(raw[i])
	}
	for b.Loop() {
		leaveOneOut(logs, raw)
	}
}
