package cellvalue

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/pkg/report"
)

// Kind says what a cell may hold.
type Kind int

// Kinds of cells.
const (
	// Count is a non-negative integer (applications, items, decisions).
	Count Kind = iota
	// Signed is an integer that may carry a sign (本年增/减).
	Signed
	// Money is an amount, converted to yuan when its unit is stated.
	Money
)

// blanks are the texts that mean "nothing reported" once spaces are removed.
var blanks = map[string]bool{
	"": true, "/": true, "\\": true, "无": true, "空": true, "無": true,
}

// IsBlank reports whether a cell text means "nothing reported": empty, a slash, a
// run of dashes, 无 or 空.
func IsBlank(text string) bool {
	s := normalize.NoSpace(normalize.Width(text))
	if blanks[s] {
		return true
	}
	for _, r := range s {
		if !isDash(r) {
			return false
		}
	}
	return true
}

func isDash(r rune) bool {
	switch r {
	case '-', '—', '－', '–', '―', '─', '‐', '‑', '−':
		return true
	}
	return false
}

// Parse reads a cell's text as a value of the given kind. unit is the money unit the
// column's header states (report.UnitUnknown when none); it applies to bare numbers
// of Money cells only.
func Parse(text string, kind Kind, unit report.Unit) report.Cell {
	raw := normalize.Space(text)
	if IsBlank(raw) {
		return report.Cell{State: report.StateBlank, Raw: raw}
	}
	if splitNumber(raw) {
		// "0 0": values of merged cells, or digits torn apart; never guess which.
		return report.Cell{State: report.StateText, Raw: raw}
	}
	s := normalize.NoSpace(normalize.Width(raw))
	switch kind {
	case Money:
		return parseMoney(raw, s, unit)
	case Signed:
		if v, ok := integer(s, true); ok {
			return report.Cell{State: report.StateNumber, Value: v, Raw: raw}
		}
	default:
		if v, ok := integer(s, false); ok {
			return report.Cell{State: report.StateNumber, Value: v, Raw: raw}
		}
	}
	return report.Cell{State: report.StateText, Raw: raw}
}

// splitNumber reports whether white space separates two digits in s.
func splitNumber(s string) bool {
	s = normalize.Width(s)
	for i := 1; i+1 < len(s); i++ {
		if s[i] == ' ' && isDigit(s[i-1]) && isDigit(s[i+1]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// integer parses "1234", "1,234" and, when signed, "+2" / "-1".
func integer(s string, signed bool) (float64, bool) {
	neg := false
	if signed && s != "" {
		switch {
		case s[0] == '+':
			s = s[1:]
		case s[0] == '-':
			s, neg = s[1:], true
		case strings.HasPrefix(s, "−"):
			s, neg = s[len("−"):], true
		}
	}
	digits, ok := plainDigits(s)
	if !ok || len(digits) > 15 {
		return 0, false
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// plainDigits accepts "123" and "1,234,567" and returns the digits.
func plainDigits(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, ",") {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", false
			}
		}
		return s, true
	}
	groups := strings.Split(s, ",")
	for i, g := range groups {
		if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return "", false
		}
		for j := 0; j < len(g); j++ {
			if g[j] < '0' || g[j] > '9' {
				return "", false
			}
		}
	}
	return strings.Join(groups, ""), true
}

// decimal parses "41521.5", "1,234.50" and "12" into an exact rational.
func decimal(s string) (*big.Rat, bool) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	digits, ok := plainDigits(intPart)
	if !ok || len(digits)+len(frac) > 30 {
		return nil, false
	}
	if hasFrac {
		if frac == "" {
			return nil, false
		}
		for i := 0; i < len(frac); i++ {
			if frac[i] < '0' || frac[i] > '9' {
				return nil, false
			}
		}
		digits += "." + frac
	}
	r, ok := new(big.Rat).SetString(digits)
	return r, ok
}

// IsValueLike reports whether a piece of text is a cell value rather than a label:
// a blank, a (signed, decimal, separated) number, or an amount with a money unit.
func IsValueLike(text string) bool {
	if !valueRunesOnly(text) {
		return false
	}
	if w := normalize.Space(normalize.Width(text)); splitNumber(w) {
		for _, part := range strings.Fields(w) {
			if !IsValueLike(part) {
				return false
			}
		}
		return true
	}
	s := normalize.NoSpace(normalize.Width(text))
	if IsBlank(s) {
		return true
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	} else if strings.HasPrefix(s, "−") {
		s = s[len("−"):]
	}
	num, _ := cutUnit(s)
	_, ok := decimal(num)
	return ok
}

// valueRunesOnly reports whether every character of text may occur in a value: a
// cheap test that rules labels out before any allocation.
func valueRunesOnly(text string) bool {
	for _, r := range text {
		switch {
		case r < 0x80:
			if !(r >= '0' && r <= '9' || strings.ContainsRune(" \t\n\r,.+-/\\", r)) {
				return false
			}
		case r >= 0xFF01 && r <= 0xFF5E:
			// full-width ASCII: judged after conversion
		case strings.ContainsRune("万萬元亿億千无空無—–―─‐‑−\u00a0\u3000\u200b\ufeff", r):
		default:
			return false
		}
	}
	return true
}
