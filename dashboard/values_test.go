package dashboard

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestParseArray(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"[]", nil},
		{"['a','b']", []string{"a", "b"}},
		{"[1,22,333]", []string{"1", "22", "333"}},
		{`['it\'s','a,b','']`, []string{"it's", "a,b", ""}},
		{"['北京市','河北省']", []string{"北京市", "河北省"}},
		{"not an array", nil},
	} {
		if got := parseArray(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("parseArray(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatNum(t *testing.T) {
	for in, want := range map[any]string{"1234567": "1,234,567", "-1000": "-1,000", "12": "12", int64(1000): "1,000", 2.5: "2.50", "NULL": "NULL", "": ""} {
		if got := formatNum(in); got != want {
			t.Errorf("formatNum(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestWithLang(t *testing.T) {
	for in, want := range map[string]string{
		"/":                       "/?lang=en",
		"/explore?year=2023":      "/explore?year=2023&lang=en",
		"/explore?lang=zh&year=1": "/explore?year=1&lang=en",
	} {
		if got := withLang(in, LangEN); got != want {
			t.Errorf("withLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseArray: any text parses without panicking, and a quoted list of plain
// words comes back as the words.
func FuzzParseArray(f *testing.F) {
	for _, s := range []string{"[]", "['a','b']", `['x\'y']`, "[1,2", "['", "[,,]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts := parseArray(s)
		if !strings.HasPrefix(strings.TrimSpace(s), "[") && parts != nil {
			t.Fatalf("%q is not an array but gave %q", s, parts)
		}
	})
}

// TestTemplateKeys checks every interface string a template names exists in both
// languages.
func TestTemplateKeys(t *testing.T) {
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		b, err := templateFS.ReadFile("templates/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			n++
			v, ok := messages[m[1]]
			if !ok {
				t.Errorf("%s: no interface string %q", e.Name(), m[1])
			} else if v[0] == "" || v[1] == "" {
				t.Errorf("%s: %q lacks a language: %q", e.Name(), m[1], v)
			}
		}
	}
	if n < 100 {
		t.Errorf("found only %d interface strings in the templates: is the pattern right?", n)
	}
}

var templateKey = regexp.MustCompile(`\{\{t (?:\$l|\.Lang|\$\.Lang) "([^"]+)"`)

// paramCase is a query string and what a parameter parser must make of it.
type paramCase[T comparable] struct {
	query string
	want  T
	bad   bool // a badRequest is wanted
}

// checkParams runs a page's parameter parser over its cases.
func checkParams[T comparable](t *testing.T, parse func(url.Values) (T, error), cases []paramCase[T]) {
	t.Helper()
	for _, tc := range cases {
		q, _ := url.ParseQuery(tc.query)
		got, err := parse(q)
		if tc.bad {
			var br badRequest
			if !errors.As(err, &br) {
				t.Errorf("%q: error %v, want badRequest", tc.query, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
	}
}
