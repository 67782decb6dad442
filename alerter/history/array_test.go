package history

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseArray(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		ok   bool
	}{
		{"[]", nil, true},
		{"[0]", []float64{0}, true},
		{"[1,2,3]", []float64{1, 2, 3}, true},
		{"[0.5,-2,1e+21,25000000]", []float64{0.5, -2, 1e21, 25000000}, true},
		{"", nil, false},
		{"[1,2", nil, false},
		{"[1,,2]", nil, false},
		{"[1,]", nil, false},
		{"[,1]", nil, false},
		{"['a']", nil, false},
		{"[nan]", nil, false},
		{"[-inf]", nil, false},
		{"[1, 2]", nil, false}, // ClickHouse prints no spaces
	} {
		got, err := parseArray(nil, tc.in, parseFloat)
		if (err == nil) != tc.ok || tc.ok && !slices.Equal(got, tc.want) {
			t.Errorf("parseArray(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, errArray) {
			t.Errorf("parseArray(%q): %v is not errArray", tc.in, err)
		}
	}
	// Appends to dst, as the loaders reuse their buffers.
	got, err := parseArray([]uint64{7}, "[18446744073709551615,1]", parseUint)
	if err != nil || !slices.Equal(got, []uint64{7, math.MaxUint64, 1}) {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := parseArray(nil, "[-1]", parseUint); err == nil {
		t.Error("a negative token parsed")
	}
}

// FuzzParseArray checks that what parses prints back the same way, and that
// printing numbers as ClickHouse does parses back to them.
func FuzzParseArray(f *testing.F) {
	for _, s := range []string{"[]", "[1,2,3]", "[0.5,-2,1e+21]", "[1,]", "[", "[nan]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := parseArray(nil, s, parseFloat)
		if err != nil {
			return
		}
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q parsed to %v", s, v)
			}
		}
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		again, err := parseArray(nil, "["+strings.Join(parts, ",")+"]", parseFloat)
		if err != nil || !slices.Equal(again, vs) {
			t.Fatalf("%q: %v printed as %v parsed to %v, %v", s, vs, parts, again, err)
		}
	})
}
