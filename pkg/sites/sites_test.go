package sites

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadGood(t *testing.T) {
	ss, err := Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].ID != "dehui" || ss[0].Region.Code != "220183" || ss[0].Politeness.Delay.Seconds() != 2 {
		t.Fatalf("unexpected sites: %+v", ss)
	}
	if rs := ss[1].RawSite(); rs.County != "宿城区" || rs.ID != "suqian-sucheng" {
		t.Fatalf("raw site %+v", rs)
	}
}

func TestBadFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.bad.yml")
	if len(files) < 7 {
		t.Fatalf("expected the bad fixtures, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(f)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), f) && !strings.Contains(err.Error(), "duplicate") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

func TestDuplicateAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.yml", "b.yml"} {
		data, _ := os.ReadFile("testdata/good.yml")
		os.WriteFile(filepath.Join(dir, n), data, 0o644)
	}
	if _, err := Load(filepath.Join(dir, "*.yml")); err == nil || !strings.Contains(err.Error(), "duplicate site id") {
		t.Fatalf("want duplicate id error, got %v", err)
	}
}

func TestEmptyFile(t *testing.T) {
	ss, err := Parse("empty.yml", nil)
	if err != nil || len(ss) != 0 {
		t.Fatalf("empty file: %v %v", ss, err)
	}
}
