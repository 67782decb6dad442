package regions

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns s as the table compares names: full-width letters, digits and
// brackets folded to ASCII (（ → (, ［〔【 → (), traditional characters of division
// names and body words mapped to simplified ones (宿城區王官集鎮 → 宿城区王官集镇),
// and white space, quotes and invisible characters removed.
func (t *Table) Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == '〔' || r == '【' || r == '［' || r == '〈' || r == '《':
			r = '('
		case r == '〕' || r == '】' || r == '］' || r == '〉' || r == '》':
			r = ')'
		case r == '\u200b' || r == '\ufeff' || r == '“' || r == '”' || r == '"' || r == '\'' || r == '‘' || r == '’':
			continue
		case unicode.IsSpace(r):
			continue
		}
		switch r {
		case '[', '{':
			r = '('
		case ']', '}':
			r = ')'
		}
		b.WriteRune(t.mapped(r))
	}
	return b.String()
}

// simplified maps the traditional characters of s to simplified ones and leaves
// everything else as it is; it returns s itself when nothing changes. It is the
// cheap normalization of report text, which is searched for names, not compared.
func (t *Table) simplified(s string) string {
	for i, r := range s {
		if t.mapped(r) == r {
			continue
		}
		b := []byte(s[:i])
		for _, r := range s[i:] {
			b = utf8.AppendRune(b, t.mapped(r))
		}
		return string(b)
	}
	return s
}

func (t *Table) mapped(r rune) rune {
	if r < 0x10000 {
		if t.t2sBMP != nil && t.t2sBMP[r] != 0 {
			return rune(t.t2sBMP[r])
		}
		return r
	}
	if s, ok := t.t2s[r]; ok {
		return s
	}
	return r
}

// nameSuffixes are the generic ends of division names, longest first within each
// level. What is left is the name's stem: 宿迁市 → 宿迁, 延边朝鲜族自治州 → 延边,
// 杨泡满族乡 → 杨泡, 漓东街道办事处 → 漓东.
var nameSuffixes = map[levelIndex][]string{
	lvProvince: {"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"},
	lvCity:     {"自治州", "地区", "市", "盟", "州"},
	lvCounty:   {"自治县", "自治旗", "林区", "特区", "县", "区", "市", "旗"},
	lvTownship: {"街道办事处", "办事处", "街道", "民族乡", "民族苏木", "苏木", "地区", "镇", "乡"},
}

// ethnicNames are cut from the stems of autonomous divisions (双江拉祜族佤族布朗族傣族
// 自治县 → 双江).
var ethnicNames = []string{"朝鲜族", "蒙古族", "土家族", "布依族", "哈尼族", "哈萨克族", "傈僳族", "拉祜族",
	"纳西族", "景颇族", "柯尔克孜族", "达斡尔族", "仫佬族", "毛南族", "仡佬族", "锡伯族", "塔吉克族",
	"鄂温克族", "鄂伦春族", "裕固族", "东乡族", "撒拉族", "保安族", "普米族", "独龙族", "维吾尔族",
	"满族", "回族", "藏族", "苗族", "彝族", "壮族", "侗族", "瑶族", "白族", "傣族", "黎族", "佤族",
	"畲族", "水族", "土族", "羌族", "怒族", "京族", "各族"}

// splitName cuts a name of the given level into its stem and generic suffix. ok is
// false when the name has none of the level's suffixes or the stem would be
// shorter than two characters (沙县, 城区 have no usable stem).
func splitName(name string, lv levelIndex) (stem, suffix string, ok bool) {
	for _, s := range nameSuffixes[lv] {
		rest, found := strings.CutSuffix(name, s)
		if !found {
			continue
		}
		if strings.Contains(rest, "族") {
			cut := len(rest)
			for _, e := range ethnicNames {
				if i := strings.Index(rest, e); i >= 6 && i < cut { // two characters at least
					cut = i
				}
			}
			rest = rest[:cut]
		}
		if runeCount(rest) < 2 {
			return "", "", false
		}
		return rest, s, true
	}
	return "", "", false
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// zoneWords mark a body or name as a development zone, new area or similar
// functional area: not an administrative division.
var zoneWords = []string{"开发区", "高新区", "新区", "园区", "管委会", "管理委员会", "工业区", "保税区", "试验区",
	"示范区", "合作区", "度假区", "风景区", "风景名胜区", "管理区", "产业园", "自贸区", "实验区", "港区", "物流园"}

func hasZoneWord(s string) (string, bool) {
	for _, w := range zoneWords {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}
