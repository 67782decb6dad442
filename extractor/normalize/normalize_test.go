package normalize

import "testing"

func TestKey(t *testing.T) {
	tests := []struct{ in, num, key string }{
		{"3.危及“三安全一稳定”", "3", "危及三安全一稳定"},
		{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "二", "部分公开"},
		{"(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", "二", "部分公开"},
		{"一、本年新收政府信息公开申请数量", "一", "本年新收政府信息公开申请数量"},
		{"四、結轉下年度繼續辦理", "四", "结转下年度继续办理"},
		{"1. 属于国家秘密", "1", "属于国家秘密"},
		{"１．属于国家秘密", "1", "属于国家秘密"},
		{"5、 存在的主要问题及改进情况", "5", "存在的主要问题及改进情况"},
		{"本年增/减", "", "本年增减"},
		{"本年收费金额（单位：万元）", "", "本年收费金额"},
		{"第二十条第（一）项", "", "第二十条第一项"},
		{"（本列数据的勾稽关系为：第一项加第二项之和）", "", "本列数据的勾稽关系为第一项加第二项之和"},
		{"商业\n企业", "", "商业企业"},
		{"2020年度报告", "", "2020年度报告"},
		// A numbering token alone stays the label.
		{"三、", "", "三"},
		{"", "", ""},
		{"规\u00a0章", "", "规章"},
	}
	for _, tt := range tests {
		num, key := Split(tt.in)
		if num != tt.num || key != tt.key {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tt.in, num, key, tt.num, tt.key)
		}
	}
}

func TestWidthAndSpace(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		in, want string
	}{
		{Width, "１２３，４５６", "123,456"},
		{Width, "（一）", "(一)"},
		{Width, "a\u3000b\u00a0c\u200bd", "a b cd"},
		{Width, "plain 中文", "plain 中文"},
		{Space, "  商业\n\t企业\u00a0 ", "商业 企业"},
		{NoSpace, " 2 500\u3000万 ", "2500万"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzKey(f *testing.F) {
	f.Add("（二）部分公开（区分处理的）")
	f.Add("((((")
	f.Add("1.")
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if len(k) > len(s)*3 {
			t.Fatalf("Key grew: %q → %q", s, k)
		}
		if again := Key(k); len(again) > len(k) {
			t.Fatalf("Key of a key grew: %q → %q", k, again)
		}
	})
}
