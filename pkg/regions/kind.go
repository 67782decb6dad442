package regions

import (
	"fmt"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// verticalPrefixes open the names of bodies that a higher authority runs in a
// place (国家税务总局德惠市税务局) and of party bodies (中共德惠市委).
var verticalPrefixes = []string{"国家税务总局", "国家金融监督管理总局", "中国人民银行", "国家统计局", "中国共产党", "中共", "共青团"}

// national reports whether a body that names no division is a central one.
func national(name string) bool {
	for _, p := range []string{"国务院", "中华人民共和国", "中央", "全国", "国家"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// bodyKind is what a body is, read from what follows its division names.
type bodyKind int

const (
	kindGovernment      bodyKind = iota // 人民政府, 办事处 or nothing
	kindDepartment                      // 发展和改革局
	kindZone                            // 高新区管委会
	kindUnknownDivision                 // 王家镇人民政府 under a county that has none
	kindUnknown                         // anything else
)

// classify reads what follows the division names (rest) of a body whose deepest
// name is at level lv.
func classify(rest string, lv levelIndex) (kind bodyKind, detail string, detailLevel levelIndex) {
	switch {
	case governmentWords[rest]:
		return kindGovernment, "", 0
	case zoneRest(rest):
		return kindZone, trimCommittee(rest), 0
	}
	if base, ulv, ok := unknownDivision(rest); ok && ulv > lv {
		return kindUnknownDivision, base, ulv
	}
	if d, ok := departmentName(rest); ok {
		return kindDepartment, d, 0
	}
	return kindUnknown, rest, 0
}

// setKind sets the body's level from its kind; lv is the level of its division
// (d, when decided).
func (r *resolution) setKind(kind bodyKind, detail string, detailLevel, lv levelIndex, d *Division) {
	r.res.DivisionLevel = lv.report()
	where := "its division"
	if d != nil {
		where = d.FullName()
	}
	switch kind {
	case kindGovernment:
		r.res.Level = lv.report()
	case kindZone:
		r.res.Level = report.LevelDepartment
		if r.res.Reason == "" {
			r.res.Reason = fmt.Sprintf("%s is a development zone or new area, not an administrative division: placed at %s", r.res.Zone, where)
		}
	case kindUnknownDivision:
		r.res.Level, r.res.DivisionLevel = detailLevel.report(), detailLevel.report()
		r.keepName(detailLevel, detail)
		r.res.Reason = fmt.Sprintf("%s is not under %s in the 2023 table (renamed, merged or misspelt?): placed there without a code of its own", detail, where)
	case kindDepartment:
		r.res.Level, r.res.Department = report.LevelDepartment, detail
		r.note("department %s", detail)
	default:
		r.res.Level = report.LevelUnknown
		if r.res.Reason == "" {
			r.res.Reason = fmt.Sprintf("%q after the division's name is neither a government nor a department", detail)
		}
	}
}

// unknownDivision recognises the government of a division by its name's form
// (王家镇人民政府: a township): a stem of two characters or more, a level suffix,
// then government words or nothing.
func unknownDivision(name string) (string, levelIndex, bool) {
	base := name
	for _, w := range []string{"人民政府办事处", "街道办事处", "人民政府", "政府", "办事处"} {
		if b, ok := strings.CutSuffix(name, w); ok {
			if w == "街道办事处" {
				b += "街道"
			}
			base = b
			break
		}
	}
	if _, zone := hasZoneWord(base); zone || strings.ContainsAny(base, "()") {
		return "", 0, false
	}
	for _, lv := range []levelIndex{lvTownship, lvCounty} {
		if _, suf, ok := splitName(base, lv); ok && suf != "区" && suf != "市" && suf != "地区" {
			return base, lv, true
		}
	}
	return "", 0, false
}

// zoneRest reports whether what follows the division names is a zone's name.
func zoneRest(rest string) bool {
	_, ok := hasZoneWord(rest)
	return ok
}

// trimCommittee cuts a zone's 管委会 and government words: 高新区管委会 → 高新区.
func trimCommittee(s string) string {
	for _, w := range []string{"党工委管委会", "管理委员会", "管委会", "党工委", "办公室", "人民政府", "政府"} {
		s = strings.TrimSuffix(s, w)
	}
	return s
}
