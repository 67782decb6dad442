package pdftext

import (
	"math"
	"sort"
)

// Tab stops: a tab typed in a line of text leaves no mark in a PDF, only the next
// text starting at the tab stop. Where the text before the tab ends just short of
// the stop, the gap is too small to tell from the space between two words, but the
// stop itself recurs: the columns of aligned text start at the same x positions
// line after line. A small gap that ends at such a position is a tab.
const (
	// stopTolerance is how far, in points, two starts may be apart and still be
	// at the same stop.
	stopTolerance = 0.5
	// minStopLines is in how many lines a position must start a column (after
	// a wide gap) to be a tab stop.
	minStopLines = 3
	// minStopGap is the smallest gap, in points, before a tab stop that is read
	// as a tab: glyphs set one after the other leave none (kerning leaves a few
	// hundredths of a point).
	minStopGap = 0.2
)

// wideGap reports whether the gap before character i of a line is wide enough to
// be a tab by itself: one and a half font sizes.
func (l *textLine) wideGap(i int) bool {
	c := l.chars[i]
	return c.x0-l.chars[i-1].x1 > 1.5*math.Max(c.size, 1)
}

// tabStops returns the tab stops of a page's lines, left to right: the positions
// where text after a wide gap starts in at least minStopLines lines.
func tabStops(lines []*textLine) []float64 {
	var starts []float64
	for _, l := range lines {
		var mine []float64 // one start per stop and line
		for i := 1; i < len(l.chars); i++ {
			if l.wideGap(i) && !nearStop(mine, l.chars[i].x0) {
				mine = append(mine, l.chars[i].x0)
			}
		}
		starts = append(starts, mine...)
	}
	sort.Float64s(starts)
	var stops []float64
	for i := 0; i < len(starts); {
		j := i + 1
		for j < len(starts) && starts[j]-starts[j-1] <= stopTolerance {
			j++
		}
		if j-i >= minStopLines {
			sum := 0.0
			for _, x := range starts[i:j] {
				sum += x
			}
			stops = append(stops, sum/float64(j-i))
		}
		i = j
	}
	return evenStops(stops)
}

// evenStops completes stops that fall on an even spacing (a word processor's
// default tab stops, every 1.25 cm or so): a stop between the first and the last
// that no line starts a column at after a wide gap is still a stop (a column whose
// labels all end close to it). Stops that are not evenly spaced are returned as
// they are.
func evenStops(stops []float64) []float64 {
	if len(stops) < 3 {
		return stops
	}
	step := math.Inf(1)
	for i := 1; i < len(stops); i++ {
		step = math.Min(step, stops[i]-stops[i-1])
	}
	first, last := stops[0], stops[len(stops)-1]
	n := math.Round((last - first) / step)
	if !(step >= 4*stopTolerance) || !(n <= 200) { // NaN-safe: positions come from the file
		return stops
	}
	step = (last - first) / n // the spacing measured over the whole row
	for _, x := range stops {
		k := math.Round((x - first) / step)
		if math.Abs(first+k*step-x) > stopTolerance {
			return stops
		}
	}
	even := make([]float64, 0, int(n)+1)
	for k := 0.0; k <= n; k++ {
		even = append(even, first+k*step)
	}
	return even
}

// nearStop reports whether x is within stopTolerance of one of stops.
func nearStop(stops []float64, x float64) bool {
	i := sort.SearchFloat64s(stops, x-stopTolerance)
	return i < len(stops) && stops[i] <= x+stopTolerance
}

// tabBefore reports whether a tab separates character i of a line from the one
// before it: a wide gap, or — in a line of aligned columns (one with a wide gap) —
// a small gap that ends at one of the page's tab stops.
func (l *textLine) tabBefore(i int, stops []float64, aligned bool) bool {
	if l.wideGap(i) {
		return true
	}
	c := l.chars[i]
	return aligned && c.x0-l.chars[i-1].x1 > minStopGap && nearStop(stops, c.x0)
}
