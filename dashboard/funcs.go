package dashboard

import (
	"encoding/json"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// funcs are the template functions.
var funcs = template.FuncMap{
	"t":        tr,
	"withLang": withLang,
	"otherLang": func(lang string) string {
		if lang == LangEN {
			return LangZH
		}
		return LangEN
	},
	"num":   formatNum,
	"pct":   formatPct,
	"level": func(lang, code string) string { return tr(lang, "level."+code) },
	"chart": chartJSON,
}

// formatNum writes an integer (given as text or a number) with thousands
// separators; anything else is returned as it is.
func formatNum(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case uint64:
		s = strconv.FormatUint(x, 10)
	case float64:
		if x != math.Trunc(x) {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
		s = strconv.FormatFloat(x, 'f', 0, 64)
	default:
		return ""
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatPct writes a share in [0,1] as a percentage with one decimal; NaN (no
// denominator) as "—".
func formatPct(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// Chart is what the page's script draws with Chartist: labels along one axis and one
// or more series of values. The same numbers are in a table beside it.
type Chart struct {
	// Kind is bar, hbar (horizontal bars), stacked (stacked bars) or line.
	Kind   string   `json:"kind"`
	Labels []string `json:"labels"`
	Series []Series `json:"series"`
	// Percent formats the axis as percentages (values are shares in [0,1]).
	Percent bool `json:"percent,omitempty"`
}

// Series is one named row of values (null where there is no value).
type Series struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

// chartJSON encodes a chart for the data-chart attribute.
func chartJSON(c Chart) (string, error) {
	b, err := json.Marshal(c)
	return string(b), err
}

// fp returns a pointer to f, or nil for NaN (no value).
func fp(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
