package history

import (
	"math"
	"slices"
	"sort"
)

// Constants of the robust z-score: 0.6745 is the normal quantile at 0.75 (MAD =
// 0.6745σ), 1.2533 = √(π/2) (mean absolute deviation = σ/1.2533).
const (
	madScale    = 0.6745
	meanADScale = 1.2533
)

func sortedCopy(xs []float64) []float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s
}

// median returns the median of sorted values (NaN when there are none).
func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// mad returns the median absolute deviation of xs around m.
func mad(xs []float64, m float64) float64 {
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	slices.Sort(d)
	return median(d)
}

// meanAD returns the mean absolute deviation of xs around m.
func meanAD(xs []float64, m float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += math.Abs(x - m)
	}
	return s / float64(len(xs))
}

// Methods of robustZ.
const (
	methodMAD    = "mad"     // 0.6745·(x − median)/MAD
	methodMeanAD = "mean_ad" // (x − median)/(1.2533·mean absolute deviation), when the MAD is 0
	methodNone   = "none"    // the others are all equal: no scale
)

// robust is x against a sample of others.
type robust struct {
	median, mad, meanAD, z float64
	method                 string
}

// robustZ scores x against others (x not among them): 0.6745·(x − median)/MAD;
// when the MAD is 0 (more than half the others equal), (x − median)/(1.2533·mean
// absolute deviation); when that is 0 too, z is 0 and method is methodNone.
func robustZ(x float64, others []float64) robust {
	s := sortedCopy(others)
	m := median(s)
	r := robust{median: m, mad: mad(s, m), meanAD: meanAD(s, m)}
	switch {
	case r.mad > 0:
		r.z, r.method = madScale*(x-m)/r.mad, methodMAD
	case r.meanAD > 0:
		r.z, r.method = (x-m)/(meanADScale*r.meanAD), methodMeanAD
	default:
		r.method = methodNone
	}
	return r
}

// leaveOneOut scores every value of xs against all the others, as robustZ would,
// in O(n log n): removing one value moves the median to one of at most three
// values, and for each of those the sorted deviations are computed once; removing
// the value's own deviation from them is a binary search. raw, parallel to xs and
// in the same order (a monotone transform of xs), gives the median of the others'
// raw values (rawMedians).
func leaveOneOut(xs, raw []float64) (scores []robust, rawMedians []float64) {
	n := len(xs)
	scores, rawMedians = make([]robust, n), make([]float64, n)
	if n < 2 {
		for i := range scores {
			scores[i] = robust{median: math.NaN(), mad: math.NaN(), meanAD: math.NaN(), method: methodNone}
			rawMedians[i] = math.NaN()
		}
		return scores, rawMedians
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return xs[order[a]] < xs[order[b]] })
	s, sr := make([]float64, n), make([]float64, n)
	for k, i := range order {
		s[k], sr[k] = xs[i], raw[i]
	}
	type devs struct {
		sorted []float64
		sum    float64
	}
	byMedian := map[float64]*devs{}
	for k, i := range order {
		m := medianWithout(s, k)
		dv := byMedian[m]
		if dv == nil {
			dv = &devs{sorted: make([]float64, n)}
			for j, v := range s {
				dv.sorted[j] = math.Abs(v - m)
				dv.sum += dv.sorted[j]
			}
			slices.Sort(dv.sorted)
			byMedian[m] = dv
		}
		own := math.Abs(s[k] - m)
		p := sort.SearchFloat64s(dv.sorted, own) // dv.sorted[p] == own
		r := robust{median: m, mad: medianWithout(dv.sorted, p), meanAD: max(0, (dv.sum-own)/float64(n-1))}
		lo, hi := s[0], s[n-1]
		if k == 0 {
			lo = s[1]
		}
		if k == n-1 {
			hi = s[n-2]
		}
		switch {
		case lo == hi: // the others are all equal (the sums may not say 0 exactly)
			r.mad, r.meanAD, r.method = 0, 0, methodNone
		case r.mad > 0:
			r.z, r.method = madScale*(s[k]-m)/r.mad, methodMAD
		default:
			r.z, r.method = (s[k]-m)/(meanADScale*r.meanAD), methodMeanAD
		}
		scores[i] = r
		rawMedians[i] = medianWithout(sr, k)
	}
	return scores, rawMedians
}

// medianWithout returns the median of sorted without its element at index skip.
func medianWithout(sorted []float64, skip int) float64 {
	k := len(sorted) - 1
	at := func(r int) float64 {
		if r >= skip {
			r++
		}
		return sorted[r]
	}
	if k%2 == 1 {
		return at(k / 2)
	}
	return (at(k/2-1) + at(k/2)) / 2
}
