package sheet

import (
	"math"
	"testing"
)

func TestCleanNumber(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"12.000000001", "12"},
		{"0.30000000000000004", "0.3"},
		{"41521.499999999993", "41521.5"},
		{"1.0E+2", "100"},
		{"1E+2", "100"},
		{"2.5e-1", "0.25"},
		{"41521.5", "41521.5"},
		{"1,234", "1,234"},
		{"12", "12"},
		{"见附件", "见附件"},
		{"1.000001", "1.000001"},
	} {
		if got := cleanNumber(tt.in); got != tt.want {
			t.Errorf("cleanNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		code string
		want string
	}{
		{100, "General", "100"},
		{12.000000001, "General", "12"},
		{41521.5, "General", "41521.5"},
		{1234, "#,##0", "1,234"},
		{1234567.891, "#,##0.00", "1,234,567.89"},
		{-1234, "#,##0;[Red]-#,##0", "-1,234"},
		{0.125, "0.00%", "12.50%"},
		{3, "0", "3"},
		{2.5, "0.00", "2.50"},
	} {
		if got := formatNumber(tt.v, tt.code); got != tt.want {
			t.Errorf("formatNumber(%v, %q) = %q, want %q", tt.v, tt.code, got, tt.want)
		}
	}
}

func TestRK(t *testing.T) {
	for _, tt := range []struct {
		rk   uint32
		want float64
	}{
		{uint32(5<<2) | 2, 5},          // integer
		{uint32(12345<<2) | 3, 123.45}, // integer / 100
		{uint32(math.Float64bits(1.5) >> 32), 1.5},
	} {
		if got := rk(tt.rk); got != tt.want {
			t.Errorf("rk(%#x) = %v, want %v", tt.rk, got, tt.want)
		}
	}
}

func TestSSTContinue(t *testing.T) {
	// Two strings; the second is split across a CONTINUE record whose first byte
	// switches the rest of its characters to UTF-16.
	sst := []byte{2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 'a', 'b', 3, 0, 0, 'x'}
	cont := []byte{1, 0x2C, 0x67, 0x74, 0x5E} // 本年 in UTF-16LE
	b := &biff{cells: nil}
	b.cells = newTestCounter()
	if err := b.readSST([][]byte{sst, cont}); err != nil {
		t.Fatal(err)
	}
	if len(b.sst) != 2 || b.sst[0] != "ab" || b.sst[1] != "x本年" {
		t.Fatalf("sst %q", b.sst)
	}
}
