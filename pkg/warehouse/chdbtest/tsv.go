package chdbtest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// SameTSV compares two TSV outputs of a query as sets of lines (in any order); numbers that
// differ only in the last digits (formatting of floats across versions) are equal.
func SameTSV(got, want string) error {
	g, w := sortedLines(got), sortedLines(want)
	if len(g) != len(w) {
		return fmt.Errorf("%d rows, want %d\ngot:\n%s\nwant:\n%s", len(g), len(w), strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	for i := range g {
		if !sameLine(g[i], w[i]) {
			return fmt.Errorf("row %d differs:\n got  %q\n want %q", i+1, g[i], w[i])
		}
	}
	return nil
}

func sortedLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	sort.Strings(lines)
	return lines
}

func sameLine(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := strings.Split(a, "\t"), strings.Split(b, "\t")
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] != fb[i] && !closeNumbers(fa[i], fb[i]) {
			return false
		}
	}
	return true
}

func closeNumbers(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y))
}
