package regions

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/pkg/report"
)

// Confidence of a choice made by the body's name.
const (
	confChain    = 0.97 // two or more names, each under the one before (德惠市岔路口镇)
	confUnique   = 0.9  // one name above township that only one division has
	confTownship = 0.75 // one township name that only one township has
	confRenamed  = 0.8  // factor for a name found by its stem (近海镇 → 近海街道)
	confStem     = 0.9  // factor for a bare stem (宿迁高新区)
	confConflict = 0.6  // factor for each scope the choice lies outside
	confNoPlace  = 0.6  // a department or zone placed by the scopes alone
	confImplied  = 0.85 // 县发改局 placed at the site's county
)

// Resolve places a body: it reads the divisions its name opens with, the
// government words or department that follow, and narrows names that several
// divisions share by the site's region, SiteIDCode, domain and the report's
// text. It never makes a code up: what it cannot decide stays without a code and
// Result.Reason says why.
func (t *Table) Resolve(in Input) Result {
	r := resolution{t: t, in: in}
	r.collectScopes()
	r.resolve()
	if r.res.Level == report.LevelUnknown {
		r.res.DivisionLevel = report.LevelUnknown
	}
	return r.res
}

type resolution struct {
	t      *Table
	in     Input
	scopes []*scope
	text   string
	textOK bool
	res    Result
}

func (r *resolution) note(format string, args ...any) {
	r.res.Evidence = append(r.res.Evidence, fmt.Sprintf(format, args...))
}

func (r *resolution) collectScopes() {
	for _, s := range []*scope{r.t.siteScope(r.in.Site), r.t.siteIDScope(r.in.SiteIDCode), r.t.domainScope(r.in.Domain)} {
		if s != nil {
			r.scopes = append(r.scopes, s)
		}
	}
}

// normText returns the head of the report's text in simplified characters.
func (r *resolution) normText() string {
	if !r.textOK {
		s := r.in.Text
		if len(s) > MaxText {
			s = s[:MaxText]
			for !utf8.ValidString(s) && len(s) > 0 {
				s = s[:len(s)-1]
			}
		}
		r.text, r.textOK = r.t.simplified(s), true
	}
	return r.text
}

func (r *resolution) resolve() {
	body := r.in.Body
	if len(body) > maxBody {
		body = body[:maxBody] // a body's name is short; more is not a name
	}
	name := cleanBody(r.t.Normalize(body))
	if name == "" {
		if r.fromScopes(lvTownship, false) != nil {
			r.res.Confidence = 0.4
		}
		r.res.Reason = "no body name: the region is the site's"
		return
	}
	for _, pre := range verticalPrefixes {
		// 国家税务总局德惠市税务局, 中共德惠市委: the place follows the prefix.
		if rest, ok := strings.CutPrefix(name, pre); ok && rest != "" {
			if p := r.t.parse(rest); len(p.tokens) > 0 {
				r.note("read after %s", pre)
				name = rest
			}
			break
		}
	}
	if national(name) && len(r.t.parse(name).tokens) == 0 {
		r.res.Level = report.LevelNational
		r.res.Reason = "a national body: no division"
		r.note("%s is a national body", name)
		return
	}
	outside, inside := splitBrackets(name)
	if inside != "" {
		p := r.t.parse(inside)
		if n := len(p.tokens); n > 0 && governmentWords[p.rest] && hasLevel(p.tokens[n-1].cands, lvTownship) {
			// 高新区(近海镇): the zone and the township are one body; the township is
			// the division.
			r.note("bracketed %s is a township; %s outside the brackets", inside, orNothing(outside))
			r.res.Zone = trimCommittee(outside)
			r.chain(p)
			return
		}
		r.note("ignored bracketed %q", inside)
	}
	p := r.t.parse(outside)
	if len(p.tokens) == 0 {
		r.noChain(p.rest)
		return
	}
	r.chain(p)
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

func hasLevel(ds []*Division, lv levelIndex) bool {
	for _, d := range ds {
		if d.level == lv {
			return true
		}
	}
	return false
}

// chain decides a body whose name opens with division names.
func (r *resolution) chain(p parsed) {
	last := p.tokens[len(p.tokens)-1]
	var names []string
	for _, tk := range p.tokens {
		names = append(names, tk.text)
	}
	explicit := len(p.tokens) >= 2
	r.note("body names %s", strings.Join(names, " › "))
	kind, detail, detailLevel := classify(p.rest, maxLevel(last.cands))
	if kind == kindZone && r.res.Zone == "" {
		r.res.Zone = strings.Join(names, "") + detail
	}

	cands, narrowedBy, agree, conflicts := r.narrow(last.cands, explicit)
	// A lone name that the scopes contradict is another place's namesake.
	lone := !explicit && (cands[0].level == lvTownship || last.renamed || last.stem)
	if lone && len(conflicts) > 0 && agree == 0 && narrowedBy == 0 {
		what := "the table's " + cands[0].String() + " is"
		if len(cands) > 1 {
			what = fmt.Sprintf("the table's %d divisions of that name are all", len(cands))
		}
		r.rejected(last, cands[0].level, fmt.Sprintf("%s: %s outside the %s; taken as a division the table does not have there", last.text, what, conflicts[0]))
		r.setKind(kind, detail, detailLevel, cands[0].level, nil)
		return
	}
	if len(cands) != 1 {
		r.ambiguous(last, cands)
		r.setKind(kind, detail, detailLevel, cands[0].level, nil)
		return
	}
	d := cands[0]

	conf := 0.0
	switch {
	case explicit:
		conf = confChain
	case narrowedBy > 0:
		conf = narrowedBy
	case d.level == lvTownship:
		conf = confTownship
	default:
		conf = confUnique
	}
	if last.renamed {
		conf *= confRenamed
	}
	if last.stem {
		conf *= confStem
	}
	for range agree {
		conf += (1 - conf) / 2
	}
	for range conflicts {
		conf *= confConflict
	}

	// A renamed name needs something besides itself.
	if last.renamed && !explicit && agree == 0 && narrowedBy == 0 {
		r.rejected(last, d.level, fmt.Sprintf("%s is not in the 2023 table; %s shares its stem, but nothing else says it is the same place", last.text, d))
		r.setKind(kind, detail, detailLevel, d.level, nil)
		return
	}

	reg := d.Region()
	if last.renamed {
		r.note("%s is not in the 2023 table: taken as %s (same stem; renamed or re-designated), keeping the report's name", last.text, d)
		switch d.level {
		case lvTownship:
			reg.Township = last.text
		case lvCounty:
			reg.County = last.text
		case lvCity:
			reg.City = last.text
		}
	} else {
		r.note("division %s", d)
	}
	r.res.Region = reg
	r.res.Confidence = round(conf)
	if d.zone {
		// A zone in the table (石家庄高新技术产业开发区 130171) is no division.
		r.res.Zone = d.Name
		r.res.Level = report.LevelDepartment
		r.res.DivisionLevel = d.parent.Level()
		r.res.Reason = fmt.Sprintf("%s is a development zone or similar unit (statistical code %s), not an administrative division: placed at %s", d.Name, d.Code, d.parent.FullName())
		return
	}
	r.setKind(kind, detail, detailLevel, d.level, d)
	if r.res.Zone != "" && kind != kindZone {
		r.note("zone %s is not a division", r.res.Zone)
	}
}

func maxLevel(ds []*Division) levelIndex {
	lv := lvProvince
	for _, c := range ds {
		lv = max(lv, c.level)
	}
	return lv
}

// narrow keeps the candidates the scopes agree with, then the text's. It returns the weight of the
// scope that made the last narrowing (0 if none did), how many scopes agreed with
// an already single candidate, and the scopes the remaining candidates lie
// outside of.
func (r *resolution) narrow(cands []*Division, explicit bool) (_ []*Division, narrowedBy float64, agree int, conflicts []string) {
	for _, s := range r.scopes {
		in := relatedTo(cands, s.divs)
		switch {
		case len(in) == 0:
			conflicts = append(conflicts, s.what)
		case len(in) < len(cands):
			r.note("%s narrows %d candidates to %d", s.what, len(cands), len(in))
			cands, narrowedBy = in, s.weight
		default:
			if len(cands) == 1 {
				agree++
				r.note("agrees with %s", s.what)
			}
		}
	}
	if r.in.Text == "" || (explicit && len(cands) == 1) {
		// An explicit chain (德惠市岔路口镇) needs no help from the text.
		return cands, narrowedBy, agree, conflicts
	}
	// The report's text: the names of the divisions above each candidate.
	text := r.normText()
	best, bestN, tie := (*Division)(nil), 0, false
	for _, c := range cands {
		n := 0
		var found []string
		for a := c.parent; a != nil; a = a.parent {
			if !a.pseudo && !a.cityLike && strings.Contains(text, a.Name) {
				n++
				found = append(found, a.Name)
			}
		}
		if n > bestN {
			best, bestN, tie = c, n, false
		} else if n == bestN && n > 0 {
			tie = true
		}
		if len(cands) == 1 && n > 0 {
			agree++
			r.note("report text names %s", strings.Join(found, ", "))
		}
	}
	if len(cands) > 1 && best != nil && !tie {
		r.note("report text names the divisions above %s", best)
		cands, narrowedBy = []*Division{best}, weightText
	}
	return cands, narrowedBy, agree, conflicts
}

// ambiguous records a name that several divisions share: the region is what they
// have in common, with the body's own name at its level and no code of its own.
func (r *resolution) ambiguous(last token, cands []*Division) {
	for i, c := range cands {
		if i == 10 {
			break
		}
		r.res.Candidates = append(r.res.Candidates, c.Code)
	}
	lv := cands[0].level
	if a := commonAncestor(cands); a != nil {
		r.res.Region = a.Region()
		r.res.Confidence = 0.5
	}
	r.keepName(lv, last.text)
	r.res.Reason = fmt.Sprintf("%s names %d divisions (%s); nothing tells which", last.text, len(cands), strings.Join(r.res.Candidates, ", "))
}

// rejected records a name whose only match the scopes or the rules rule out: the
// region is the scopes', with the body's own name at its level.
func (r *resolution) rejected(last token, lv levelIndex, reason string) {
	r.res.Confidence = 0
	if r.fromScopes(lv, false) != nil {
		r.res.Confidence = confNoPlace
	}
	r.keepName(lv, last.text)
	r.res.Reason = reason
}

// keepName puts the report's name of an unresolved division into the region.
func (r *resolution) keepName(lv levelIndex, name string) {
	switch lv {
	case lvTownship:
		r.res.Region.Township, r.res.Region.TownshipCode = name, ""
	case lvCounty:
		if r.res.Region.County == "" {
			r.res.Region.County = name
		}
	}
}

// fromScopes places the body at the deepest scope, no deeper than lv, and
// returns the division it placed it at (nil when no scope says where).
func (r *resolution) fromScopes(lv levelIndex, quiet bool) *Division {
	var best *scope
	for _, s := range r.scopes {
		if len(s.divs) == 1 && (best == nil || best.divs[0].Contains(s.divs[0])) {
			best = s
		}
	}
	if best == nil {
		return nil
	}
	d := best.divs[0]
	for d.level > lv && d.parent != nil {
		d = d.parent
	}
	for (d.pseudo || d.zone) && d.parent != nil {
		d = d.parent
	}
	r.res.Region = d.Region()
	if !quiet {
		r.note("placed by %s", best.what)
	}
	r.res.DivisionLevel = d.Level()
	return d
}

// noChain decides a body whose name opens with no division: 县发改局, 区政府办公室,
// 高新区管委会, 发展和改革局, or a division the table does not know (王家镇人民政府).
func (r *resolution) noChain(name string) {
	// A government of a division that is not in the table.
	if base, lv, ok := unknownDivision(name); ok {
		r.note("%s looks like a %s but is not in the 2023 table", base, lv.report())
		if r.fromScopes(lv-1, false) != nil {
			r.res.Reason = fmt.Sprintf("%s is not in the 2023 table (renamed, merged or misspelt?): placed at the site's region without a code of its own", base)
		} else {
			r.res.Reason = fmt.Sprintf("%s is not in the 2023 table and nothing else says where the body is", base)
		}
		r.res.Level, r.res.DivisionLevel = lv.report(), lv.report()
		r.keepName(lv, base)
		r.res.Confidence = 0
		return
	}
	if _, ok := hasZoneWord(name); ok {
		r.res.Zone = trimCommittee(name)
		r.res.Level = report.LevelDepartment
		if r.fromScopes(lvCounty, false) != nil {
			r.res.Confidence = confNoPlace
			r.res.Reason = fmt.Sprintf("%s is a development zone or new area, not an administrative division: placed at the site's region", r.res.Zone)
		} else {
			r.res.Reason = fmt.Sprintf("%s is a development zone or new area, not an administrative division, and nothing says where it is", r.res.Zone)
		}
		return
	}
	if lv, rest, ok := impliedLevel(name); ok {
		r.implied(lv, rest)
		return
	}
	if dept, ok := departmentName(name); ok {
		r.res.Level, r.res.Department = report.LevelDepartment, dept
		if r.fromScopes(lvTownship, false) != nil {
			r.res.Confidence = confNoPlace
			r.res.Reason = "the body names no division: placed at the site's region"
		} else {
			r.res.Reason = "the body names no division and nothing else says where it is"
		}
		return
	}
	if r.fromScopes(lvTownship, false) != nil {
		r.res.Confidence = 0.4
	}
	r.res.Reason = fmt.Sprintf("%q names no division in the table", name)
}

// implied places 县发改局 (county) or 区政府办公室 at the scopes' division of that
// level.
func (r *resolution) implied(lv levelIndex, rest string) {
	if governmentWords[rest] {
		r.res.Level = lv.report()
	} else {
		dept, _ := departmentName(rest)
		r.res.Level, r.res.Department = report.LevelDepartment, dept
	}
	r.note("the body is a %s's (%s)", lv.report(), rest)
	d := r.fromScopes(lv, false)
	if d == nil {
		r.res.Reason = fmt.Sprintf("the body names no division, only its level (%s), and nothing says which", lv.report())
		r.res.DivisionLevel = lv.report()
		return
	}
	municipal := lv == lvCity && d.level == lvProvince && isMunicipality(d.Name)
	if d.level < lv && !municipal {
		r.res.Reason = fmt.Sprintf("the body is a %s's but the site's region names none: placed at %s", lv.report(), d.FullName())
		r.res.Confidence = confNoPlace
		return
	}
	r.res.DivisionLevel = lv.report()
	r.res.Confidence = confImplied
}

func isMunicipality(p string) bool {
	return p == "北京市" || p == "天津市" || p == "上海市" || p == "重庆市"
}

func round(f float64) float64 {
	return float64(int(f*100+0.5)) / 100
}
