package warehouse

import "testing"

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in                  string
		major, minor, patch int
		ok                  bool
	}{
		{"18.16.1", 18, 16, 1, true},
		{"24.8.4.13", 24, 8, 4, true},
		{"25.3", 25, 3, 0, true},
		{" 23.3.1.2823 \n", 23, 3, 1, true},
		{"24.3.2.23-lts", 24, 3, 2, true},
		{"24.3.2-lts", 24, 3, 0, true}, // a patch that is not a number is ignored
		{"18", 0, 0, 0, false},
		{"", 0, 0, 0, false},
		{"v18.16", 0, 0, 0, false},
		{"18.x.1", 0, 0, 0, false},
		{"-1.2", 0, 0, 0, false},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseVersion(%q) err = %v", tt.in, err)
			continue
		}
		if tt.ok && (v.Major != tt.major || v.Minor != tt.minor || v.Patch != tt.patch) {
			t.Errorf("ParseVersion(%q) = %d.%d.%d", tt.in, v.Major, v.Minor, v.Patch)
		}
	}
}

func TestVersionAtLeast(t *testing.T) {
	v := Version{Major: 18, Minor: 16}
	tests := []struct {
		major, minor int
		want         bool
	}{{18, 16, true}, {18, 15, true}, {17, 99, true}, {18, 17, false}, {19, 0, false}}
	for _, tt := range tests {
		if got := v.AtLeast(tt.major, tt.minor); got != tt.want {
			t.Errorf("18.16 AtLeast(%d, %d) = %v", tt.major, tt.minor, got)
		}
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"18.16.1", "24.8.4.13", "1.2-x", ".."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		if v.Major < 0 || v.Minor < 0 || v.Patch < 0 || v.Raw != s {
			t.Fatalf("ParseVersion(%q) = %+v", s, v)
		}
		if !v.AtLeast(v.Major, v.Minor) {
			t.Fatalf("%+v is not at least itself", v)
		}
	})
}
