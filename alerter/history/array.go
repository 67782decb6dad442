package history

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// errArray is returned for text that is not an array of numbers as ClickHouse
// prints one.
var errArray = errors.New("not an array of numbers")

// parseArray appends to dst the elements of an array of numbers printed by
// ClickHouse's toString ("[]", "[1,2,3]", "[0.5,-2,1e+21]"), each parsed by
// parse.
func parseArray[T any](dst []T, s string, parse func(string) (T, error)) ([]T, error) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return dst, fmt.Errorf("%w: %.40q", errArray, s)
	}
	s = s[1 : len(s)-1]
	for s != "" {
		elem, rest, found := strings.Cut(s, ",")
		if found && rest == "" {
			return dst, fmt.Errorf("%w: trailing comma", errArray)
		}
		v, err := parse(elem)
		if err != nil {
			return dst, fmt.Errorf("%w: %v", errArray, err)
		}
		dst = append(dst, v)
		s = rest
	}
	return dst, nil
}

func parseUint(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) }

// parseFloat parses a number; NaN and infinities, which no cell holds, are
// refused.
func parseFloat(s string) (float64, error) {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity":
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return strconv.ParseFloat(s, 64)
}
