package schedule

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"
)

// fieldRanges are the values each of the five fields allows for H (days of the
// month stop at 28 so that every month has the day).
var fieldRanges = [5][2]int{{0, 59}, {0, 23}, {1, 28}, {1, 12}, {0, 6}}

var hashField = regexp.MustCompile(`^H(?:\((\d+)-(\d+)\))?$`)

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Expand replaces the H fields of a cron spec with values derived from key.
func Expand(spec, key string) (string, error) {
	fields := strings.Fields(spec)
	if len(fields) != 5 {
		if strings.HasPrefix(spec, "@") && !strings.Contains(spec, "H") {
			return spec, nil
		}
		return "", fmt.Errorf("cron spec %q: want 5 fields (minute hour day-of-month month day-of-week)", spec)
	}
	for i, f := range fields {
		if !strings.Contains(f, "H") {
			continue
		}
		m := hashField.FindStringSubmatch(f)
		if m == nil {
			return "", fmt.Errorf("cron spec %q: field %q: H must stand alone or as H(a-b)", spec, f)
		}
		lo, hi := fieldRanges[i][0], fieldRanges[i][1]
		if m[1] != "" {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			if a > b || a < fieldRanges[i][0] || b > fieldRanges[i][1] {
				return "", fmt.Errorf("cron spec %q: field %q: range outside %d-%d", spec, f, fieldRanges[i][0], fieldRanges[i][1])
			}
			lo, hi = a, b
		}
		fields[i] = strconv.Itoa(lo + int(mix(key, i)%uint64(hi-lo+1)))
	}
	return strings.Join(fields, " "), nil
}

// mix hashes a key and a field number to well-spread bits (FNV-1a, then the
// SplitMix64 finaliser, so that fields of one key are not correlated).
func mix(key string, field int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", key, field)
	z := h.Sum64()
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Parse expands spec for key and parses it.
func Parse(spec, key string) (cron.Schedule, error) {
	s, err := Expand(spec, key)
	if err != nil {
		return nil, err
	}
	sched, err := parser.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("cron spec %q: %w", spec, err)
	}
	return sched, nil
}
