package prose

import (
	"strings"
	"unicode/utf8"
)

// count is a number with its unit found in a clause.
type count struct {
	value      float64
	start, end int // byte offsets of the number and unit in the clause
}

// counts finds the counts of a clause (half-width digits or Chinese numerals, then a
// unit, spaces allowed between). A number that is part of a longer one ("2019年")
// or of a percentage is not a count.
func counts(s string) []count {
	var out []count
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isDigit(r) && !isNumeral(r) {
			i += n
			continue
		}
		start := i
		digits := isDigit(r)
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if (digits && (isDigit(r2) || r2 == ',')) || (!digits && isNumeral(r2)) {
				j += n2
				continue
			}
			break
		}
		num := s[start:j]
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		u, un := utf8.DecodeRuneInString(s[k:])
		if k < len(s) && isUnit(u) {
			if v, ok := parseNumber(num, digits); ok {
				out = append(out, count{value: v, start: start, end: k + un})
			}
			i = k + un
			continue
		}
		i = j
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isNumeral reports whether r is a Chinese numeral of small counts.
func isNumeral(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百':
		return true
	}
	return false
}

// isUnit reports whether r is the measure word of a count of applications or cases.
func isUnit(r rune) bool {
	switch r {
	case '件', '宗', '起', '个', '次':
		return true
	}
	return false
}

// parseNumber reads "12", "1,234" or a Chinese numeral up to 999 ("十二", "一百零五",
// "两").
func parseNumber(s string, digits bool) (float64, bool) {
	if digits {
		v := 0.0
		for _, r := range strings.ReplaceAll(s, ",", "") {
			v = v*10 + float64(r-'0')
			if v > 1e12 {
				return 0, false
			}
		}
		return v, true
	}
	val := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur, seen := 0, -1, false
	for _, r := range s {
		switch r {
		case '十':
			if cur < 0 {
				cur = 1
			}
			total += cur * 10
			cur = -1
		case '百':
			if cur < 0 || total > 0 {
				return 0, false
			}
			total += cur * 100
			cur = -1
		default:
			if cur > 0 {
				return 0, false // "二三": not a number
			}
			cur = val[r]
		}
		seen = true
	}
	if cur > 0 {
		total += cur
	}
	return float64(total), seen
}
