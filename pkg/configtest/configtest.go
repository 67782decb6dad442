// Package configtest checks a stage's configuration against the YAML files that
// document it: a section decoded strictly over the defaults, a good file that
// holds every key at its default, and bad files that must be refused.
package configtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Load decodes the section of a YAML file over defaults, refusing unknown keys,
// and validates the result with validate (nil: no validation). A file that cannot
// be read fails the test.
func Load[C any](t testing.TB, name, section string, defaults C, validate func(*C) error) (C, error) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]*C{section: &defaults}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		var zero C
		return zero, err
	}
	c := doc[section]
	if validate != nil {
		if err := validate(c); err != nil {
			return *c, err
		}
	}
	return *c, nil
}

// CheckFiles checks dir/config.good.yml and dir/*.bad.yml: the good file decodes to
// the defaults (compared as YAML, so that an empty list and no list are the same
// setting) and names every key of the section; every bad file is refused.
func CheckFiles[C any](t *testing.T, dir, section string, defaults func() C, validate func(*C) error) {
	t.Helper()
	good := filepath.Join(dir, "config.good.yml")
	got, err := Load(t, good, section, defaults(), validate)
	if err != nil {
		t.Fatalf("%s: %v", good, err)
	}
	gotYAML, _ := yaml.Marshal(got)
	wantYAML, _ := yaml.Marshal(defaults())
	if string(gotYAML) != string(wantYAML) {
		t.Fatalf("%s differs from the defaults:\n got %s\nwant %s", good, gotYAML, wantYAML)
	}
	all, _ := yaml.Marshal(map[string]C{section: defaults()})
	data, _ := os.ReadFile(good)
	for _, line := range strings.Split(string(all), "\n") {
		key := strings.TrimSpace(strings.SplitN(line, ":", 2)[0])
		if key != "" && !strings.HasPrefix(key, "-") && !strings.Contains(string(data), key+":") {
			t.Errorf("%s: key %s is not documented", good, key)
		}
	}
	bad, _ := filepath.Glob(filepath.Join(dir, "*.bad.yml"))
	if len(bad) == 0 {
		t.Fatalf("no bad configurations in %s", dir)
	}
	for _, f := range bad {
		if _, err := Load(t, f, section, defaults(), validate); err == nil {
			t.Errorf("%s accepted", f)
		} else {
			t.Logf("%s: %v", filepath.Base(f), err)
		}
	}
}
