package regions

import (
	"strings"
	"unicode"
)

// token is a division name found in a body's name, with the divisions it may be.
type token struct {
	text  string
	cands []*Division
	// renamed: the text is no name in the table, but its stem is, with another
	// suffix of the same level (近海镇 → 近海街道, 长安县 → 长安区).
	renamed bool
	// stem: the text is a stem alone (宿迁 in 宿迁高新区).
	stem bool
}

// parsed is a body's name cut into the chain of divisions it opens with and the
// rest (人民政府, 发改局, 高新区管委会 …).
type parsed struct {
	name   string
	tokens []token
	rest   string
}

// noise starts the part of a "body" that is really the document's title
// (东双河镇政府信息公开工作 → 东双河镇).
var noise = []string{"政府信息公开", "信息公开", "政务公开", "年度报告", "工作报告", "工作年报", "年报"}

// cleanBody cuts a title tail and a leading 关于 from an already normalized body.
func cleanBody(s string) string {
	s = strings.TrimPrefix(s, "关于")
	cut := len(s)
	for _, w := range noise {
		if i := strings.Index(s, w); i >= 0 && i < cut {
			cut = i
		}
	}
	// A year: 2020年, 2020 年度.
	rs := []rune(s[:cut])
	for i := 0; i+3 < len(rs); i++ {
		if isDigits(rs[i : i+4]) {
			cut = len(string(rs[:i]))
			break
		}
	}
	s = s[:cut]
	// 东双河镇政府 is the government of 东双河镇 once 信息公开 is cut; keep it.
	return strings.TrimRight(s, "-_:：,，、.。·")
}

func isDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// splitBrackets splits 高新区(近海镇) into the outside 高新区 and the inside 近海镇.
// Only the last bracketed part counts; inside is "" when there is none.
func splitBrackets(s string) (outside, inside string) {
	open := strings.LastIndex(s, "(")
	if open < 0 {
		return strings.ReplaceAll(s, ")", ""), ""
	}
	end := strings.Index(s[open:], ")")
	if end < 0 {
		return s[:open], s[open+1:]
	}
	return s[:open] + s[open+end+1:], s[open+1 : open+end]
}

// parse finds the chain of divisions a body's name opens with. Each name must lie
// under the one before it (长春市朝阳区 is 长春's 朝阳区, not Beijing's); the chain
// ends at the first name that is not a division or does not fit.
func (t *Table) parse(s string) parsed {
	p := parsed{name: s}
	rs := []rune(s)
	i := 0
	for i < len(rs) {
		tok, j := t.matchAt(rs, i)
		if tok == nil {
			break
		}
		if n := len(p.tokens); n > 0 {
			if !fitUnder(&p.tokens[n-1], tok) {
				break
			}
			// Prune the chain above: only the ancestors of what is left stay.
			for k := n - 1; k >= 0; k-- {
				below := tok
				if k < n-1 {
					below = &p.tokens[k+1]
				}
				p.tokens[k].cands = keepAncestors(p.tokens[k].cands, below.cands)
			}
		}
		if tok.stem && !t.stemFollowed(rs, j) {
			break
		}
		p.tokens = append(p.tokens, *tok)
		i = j
	}
	p.rest = string(rs[i:])
	return p
}

// fitUnder keeps the candidates of tok that lie strictly under a candidate of
// prev, and reports whether any is left.
func fitUnder(prev, tok *token) bool {
	var keep []*Division
	for _, c := range tok.cands {
		for _, a := range prev.cands {
			if a != c && a.Contains(c) {
				keep = append(keep, c)
				break
			}
		}
	}
	if len(keep) == 0 {
		return false
	}
	tok.cands = keep
	return true
}

func keepAncestors(cands, below []*Division) []*Division {
	var keep []*Division
	for _, a := range cands {
		for _, c := range below {
			if a.Contains(c) {
				keep = append(keep, a)
				break
			}
		}
	}
	return keep
}

// preferDivisions drops zones from ds when it holds divisions too: 西工区 is
// 洛阳's district before it is a unit of 获嘉县 with a statistical code.
func preferDivisions(ds []*Division) []*Division {
	var out []*Division
	for _, d := range ds {
		if !d.zone {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return ds
	}
	return out
}

// shortForms lists, for a division's suffix, the suffixes that are its usual
// short forms rather than a different kind of division.
var shortForms = map[string][]string{
	"自治州":   {"州"},
	"自治县":   {"县"},
	"自治旗":   {"旗"},
	"民族乡":   {"乡"},
	"民族苏木":  {"苏木"},
	"街道":    {"街道办事处", "办事处", "街道办"},
	"街道办事处": {"街道", "办事处"},
	"办事处":   {"街道", "街道办事处"},
	"地区":    {"乡", "镇"}, // 北京's 南磨房地区 is the 南磨房乡
}

// shortFor reports whether suf, in a body's name, may stand for a division whose
// name ends in dsuf.
func shortFor(suf, dsuf string) bool {
	if suf == dsuf {
		return true
	}
	for _, s := range shortForms[dsuf] {
		if s == suf {
			return true
		}
	}
	return false
}

// stemFollowed reports whether a bare stem at rs[:j] is used as a place name: it
// is followed by a zone word (宿迁高新区) or another division (长春朝阳区).
func (t *Table) stemFollowed(rs []rune, j int) bool {
	rest := string(rs[j:])
	for _, w := range zoneWords {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	for _, w := range []string{"经济", "高新", "国家", "综合", "出口", "临空", "临港", "空港"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	tok, _ := t.matchAt(rs, j)
	return tok != nil && !tok.stem
}

// matchAt returns the longest division name starting at rs[i] and where it ends:
// an official name first; failing that, a name whose stem is a division's with
// another suffix of the same level (renamed); failing that, a bare stem of a
// province, city or county.
func (t *Table) matchAt(rs []rune, i int) (*token, int) {
	hi := min(len(rs), i+t.maxName)
	for j := hi; j >= i+2; j-- {
		s := string(rs[i:j])
		if ds := t.byName[s]; len(ds) > 0 {
			return &token{text: s, cands: preferDivisions(ds)}, j
		}
	}
	for j := hi; j >= i+3; j-- {
		s := string(rs[i:j])
		if _, zone := hasZoneWord(s); zone {
			continue
		}
		for lv := lvProvince; lv <= lvTownship; lv++ {
			stem, suf, ok := splitName(s, lv)
			if !ok {
				continue
			}
			var short, other []*Division
			for _, d := range t.byStem[stem] {
				if d.level != lv {
					continue
				}
				if _, dsuf, _ := splitName(d.Name, lv); shortFor(suf, dsuf) {
					short = append(short, d)
				} else {
					other = append(other, d)
				}
			}
			if len(short) > 0 {
				// 延边州 for 延边朝鲜族自治州, 杨泡乡 for 杨泡满族乡: the usual short form.
				return &token{text: s, cands: short}, j
			}
			if len(other) > 0 {
				return &token{text: s, cands: other, renamed: true}, j
			}
		}
	}
	for j := hi; j >= i+2; j-- {
		s := string(rs[i:j])
		if _, zone := hasZoneWord(s); zone {
			continue
		}
		var ds []*Division
		for _, d := range t.byStem[s] {
			if d.level <= lvCounty {
				ds = append(ds, d)
			}
		}
		if len(ds) > 0 {
			return &token{text: s, cands: ds, stem: true}, j
		}
	}
	return nil, i
}
