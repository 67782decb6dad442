package labels

import "testing"

func TestRuneSet(t *testing.T) {
	s := NewRuneSet("情况", "第二十条")
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", false}, {"abc 123", false}, {"政府信息公开目录", false},
		{"总体情况", true}, {"第3类", true}, {"x十y", true},
		{"\xe6\x83", false},         // 情 cut short: not a rune
		{"é情", true},                // a two-byte rune before it
		{"𠀀条", true},                // a four-byte rune before it
		{"\xe4\xb8\xad\xff情", true}, // a broken byte between
	} {
		if got := s.AnyIn(tc.text); got != tc.want {
			t.Errorf("AnyIn(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	u := s.Union(NewRuneSet("发布"))
	if !u.AnyIn("发") || !u.AnyIn("况") || s.AnyIn("发") {
		t.Error("Union")
	}
	if s.Has('a') || s.Has('情'+0x10000) {
		t.Error("Has outside the block")
	}
}

func FuzzRuneSetAnyIn(f *testing.F) {
	s := NewRuneSet("情况事项问题措施概述复议", "第二十条")
	f.Add("总体情况")
	f.Add("\xe6\x83\xe6")
	f.Fuzz(func(t *testing.T, text string) {
		want := false
		for _, r := range text {
			want = want || s.Has(r)
		}
		if got := s.AnyIn(text); got != want {
			t.Fatalf("AnyIn(%q) = %v, ranging over runes says %v", text, got, want)
		}
	})
}
