package dashboard

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// parseArray reads an array as warehouse.Query writes it (['a','b'] or [1,2]).
func parseArray(s string) []string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil
	}
	s = s[1 : len(s)-1]
	var out []string
	var cur strings.Builder
	inQuote, esc, any := false, false, false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case inQuote && r == '\\':
			esc = true
		case r == '\'':
			inQuote = !inQuote
			any = true
		case !inQuote && r == ',':
			out = append(out, cur.String())
			cur.Reset()
			any = false
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// atof reads a number written by warehouse.Query; NULL and text are NaN.
func atof(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// atoi reads an integer written by warehouse.Query; anything else is 0.
func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return int64(atof(s))
	}
	return n
}

// ratio is a/b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedStrings(s []string) []string { sort.Strings(s); return s }

func sortInts(s []int) { sort.Ints(s) }
