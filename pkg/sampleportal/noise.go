package sampleportal

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The noisy variation changes label cells the way typing, pasting and converting
// do, and only in ways a label matcher should tolerate: the label still names its
// row, column, item or metric and no other one.
//   - a pinyin gloss after a character, as Word's phonetic guide leaves it when
//     flattened: 规(guī)章, 行政许（xǔ）可;
//   - a space inside the label: 行政 许可, 自　然人;
//   - numbering variants: (一) for （一）, 1、 or １． for 1.;
//   - a unit note after a count label: 处理决定数量（件）, 一、本年新收…数量（件）;
//   - a slip in the words of a numbered row (its number still places it in its
//     group): 3.其它, 2.没有现成信息需另行制作, 1.本机关不掌握相关的政府信息.
//
// Money headers never get a note (a note there would state a unit), and headers a
// flattener may truncate get no noise.

// pinyin gives the tone-marked syllable of label characters that get glosses.
var pinyin = map[rune]string{
	'规': "guī", '章': "zhāng", '范': "fàn", '性': "xìng", '许': "xǔ", '可': "kě", '处': "chǔ",
	'罚': "fá", '强': "qiáng", '制': "zhì", '收': "shōu", '费': "fèi", '采': "cǎi", '购': "gòu",
	'申': "shēn", '请': "qǐng", '予': "yǔ", '秘': "mì", '属': "shǔ", '掌': "zhǎng", '握': "wò",
	'补': "bǔ", '访': "fǎng", '诉': "sù", '讼': "sòng", '复': "fù", '议': "yì", '维': "wéi",
	'纠': "jiū", '审': "shěn", '结': "jié", '转': "zhuǎn", '续': "xù", '稽': "jī", '勾': "gōu",
	'缴': "jiǎo", '逾': "yú", '禁': "jìn", '执': "zhí", '卷': "juàn", '询': "xún", '版': "bǎn",
	'获': "huò", '益': "yì", '权': "quán", '企': "qǐ", '研': "yán", '律': "lǜ", '决': "jué",
}

// slips are small changes to the words of numbered rows.
var slips = []struct{ from, to string }{
	{"其他", "其它"}, {"需要", "需"}, {"相关", "相关的"}, {"没有", "无"}, {"申请", "申请的"},
	{"信息", "资讯"}, {"属于", "系"}, {"要求", "请求"}, {"行政机关", "机关"}, {"重复", "重覆"},
}

// countNotes are the unit notes after count labels.
var countNotes = []string{"（件）", "(件)", "（个）", "（项）"}

// noiseLabels adds noise to some label cells of an article; seed makes it
// deterministic per report.
func noiseLabels(blocks []block, seed uint32) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6e01_5e))
	eachLabel(blocks, func(section int, c *tcell) {
		if c.truncatable || !chance(r, 0.35) {
			return
		}
		var kinds []func(string) string
		if s, ok := glossed(r, c.text); ok {
			kinds = append(kinds, func(string) string { return s })
		}
		if spaced, ok := spacedLabel(r, c.text); ok {
			kinds = append(kinds, func(string) string { return spaced })
		}
		if s, ok := renumbered(r, c.text); ok {
			kinds = append(kinds, func(string) string { return s })
		}
		if countLabel(section, c.text) {
			note := countNotes[r.IntN(len(countNotes))]
			kinds = append(kinds, func(s string) string { return s + note })
		}
		if s, ok := slipped(r, c.text); ok {
			kinds = append(kinds, func(string) string { return s })
		}
		if len(kinds) > 0 {
			c.text = kinds[r.IntN(len(kinds))](c.text)
		}
	})
}

// glossed inserts a pinyin gloss after one of the label's characters.
func glossed(r *rand.Rand, s string) (string, bool) {
	var at []int // byte offsets just after a glossable character
	for i, ch := range s {
		if _, ok := pinyin[ch]; ok {
			at = append(at, i+utf8.RuneLen(ch))
		}
	}
	if len(at) == 0 {
		return "", false
	}
	i := at[r.IntN(len(at))]
	ch, _ := utf8.DecodeLastRuneInString(s[:i])
	open, closing := "(", ")"
	if chance(r, 0.4) {
		open, closing = "（", "）"
	}
	return s[:i] + open + pinyin[ch] + closing + s[i:], true
}

// spacedLabel puts a space between two Han characters of a label (not inside its
// numbering or a bracketed note).
func spacedLabel(r *rand.Rand, s string) (string, bool) {
	var at []int
	prevHan := false
	depth := 0
	for i, ch := range s {
		switch ch {
		case '（', '(':
			depth++
		case '）', ')':
			depth--
		}
		han := ch >= 0x4e00 && ch <= 0x9fff && depth == 0
		if han && prevHan {
			at = append(at, i)
		}
		prevHan = han
	}
	if len(at) == 0 {
		return "", false
	}
	i := at[r.IntN(len(at))]
	sp := " "
	if chance(r, 0.5) {
		sp = "\u3000"
	}
	return s[:i] + sp + s[i:], true
}

// renumbered writes a label's leading numbering another common way.
func renumbered(r *rand.Rand, s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "（") && strings.Contains(s, "）"):
		i := strings.Index(s, "）")
		return "(" + s[len("（"):i] + ")" + s[i+len("）"):], true
	case len(s) > 2 && s[0] >= '1' && s[0] <= '9' && s[1] == '.':
		alt := []string{"、", "．", ")"}[r.IntN(3)]
		if alt == "．" {
			return string(rune('１'+rune(s[0]-'1'))) + alt + s[2:], true
		}
		return s[:1] + alt + s[2:], true
	}
	return "", false
}

// countLabel reports whether a label heads or names counts and may take a unit
// note: section 二 metric headers other than money, and the application rows that
// are not in a numbered group.
func countLabel(section int, s string) bool {
	switch section {
	case 2:
		return strings.HasSuffix(s, "数量") || strings.HasSuffix(s, "件数")
	case 3:
		return strings.HasSuffix(s, "申请数量") || strings.HasSuffix(s, "总计") || strings.HasSuffix(s, "继续办理")
	}
	return false
}

// slipped changes the words of a numbered row label ("3.其他" → "3.其它").
func slipped(r *rand.Rand, s string) (string, bool) {
	if len(s) < 3 || s[0] < '1' || s[0] > '9' || s[1] != '.' {
		return "", false
	}
	var fits []int
	for i, sl := range slips {
		if strings.Contains(s[2:], sl.from) {
			fits = append(fits, i)
		}
	}
	if len(fits) == 0 {
		return "", false
	}
	sl := slips[fits[r.IntN(len(fits))]]
	return s[:2] + strings.Replace(s[2:], sl.from, sl.to, 1), true
}
