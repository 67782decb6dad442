package regions

import (
	"net/url"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// scope is something other than the body's name that says where the body is: the
// site's configured region, its SiteIDCode, its domain.
type scope struct {
	what   string
	divs   []*Division
	weight float64 // confidence of a choice this scope alone makes
}

// Scope weights: a configured region is the operator's word; a SiteIDCode is the
// registration of the portal (usually the body's government's); a domain is a
// spelling that homophones share.
const (
	weightSite   = 0.95
	weightSiteID = 0.9
	weightDomain = 0.85
	weightText   = 0.8
)

// siteScope resolves the portal's configured region: its code when the table
// knows it, else (or deeper) its names.
func (t *Table) siteScope(r report.Region) *scope {
	var byCode *Division
	if r.Code != "" {
		byCode = t.Lookup(r.Code)
	}
	byNames := t.regionByNames(r)
	d := byCode
	switch {
	case d == nil:
		d = byNames
	case byNames != nil && d.Contains(byNames):
		d = byNames // the names say more than the code
	}
	if d == nil {
		return nil
	}
	return &scope{what: "site region " + d.FullName(), divs: []*Division{d}, weight: weightSite}
}

// regionByNames finds the deepest division that a region's names agree on. Each
// name is looked up under the one before it, as an official name and then as a
// stem; when several divisions match, the highest level wins if it is alone.
func (t *Table) regionByNames(r report.Region) *Division {
	var cur *Division
	for _, name := range []string{r.Province, r.City, r.County, r.Township} {
		name = t.Normalize(name)
		if name == "" {
			continue
		}
		found := shallowest(cur, t.byName[name])
		if found == nil {
			found = shallowest(cur, t.byStem[name])
		}
		if found == nil {
			if cur != nil && cur.Name == name {
				continue // a municipality's City is the municipality
			}
			break
		}
		cur = found
	}
	return cur
}

// shallowest returns the one division of ds under cur (strictly) at the highest
// level, or nil when there is none or several.
func shallowest(cur *Division, ds []*Division) *Division {
	var best *Division
	n := 0
	for _, d := range ds {
		if cur != nil && (d == cur || !cur.Contains(d)) {
			continue
		}
		switch {
		case best == nil || d.level < best.level:
			best, n = d, 1
		case d.level == best.level:
			n++
		}
	}
	if n != 1 {
		return nil
	}
	return best
}

// siteIDScope reads the division from a SiteIDCode's first six digits
// (2201830001 → 220183), falling back to its city and province when the county
// code is not in the table (a code from before a change).
func (t *Table) siteIDScope(code string) *scope {
	code = strings.TrimSpace(code)
	if len(code) < 6 || strings.Trim(code[:6], "0123456789") != "" {
		return nil
	}
	c6 := code[:6]
	d := t.Lookup(c6)
	if d == nil {
		d = t.Lookup(c6[:4])
	}
	if d == nil {
		d = t.Lookup(c6[:2])
	}
	if d == nil {
		return nil
	}
	return &scope{what: "SiteIDCode " + code + " (" + d.FullName() + ")", divs: []*Division{d}, weight: weightSiteID}
}

// domainLabelsSkipped are labels of official hosts that name no place.
var domainLabelsSkipped = map[string]bool{"www": true, "gov": true, "cn": true, "com": true, "net": true, "org": true,
	"edu": true, "zwgk": true, "xxgk": true, "zfxxgk": true, "gk": true, "zw": true, "wap": true, "m": true,
	"zfw": true, "info": true, "http": true, "https": true}

// domainScope matches the labels of a host (dehui.gov.cn) to the spellings of
// province, city and county names. Labels that are spellings of several names
// give several divisions; a second label keeps only those it agrees with
// (shihe.xinyang.gov.cn: 浉河 under 信阳).
func (t *Table) domainScope(s string) *scope {
	host := strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(host, "://") {
		if u, err := url.Parse(host); err == nil {
			host = u.Hostname()
		}
	}
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	var sets [][]*Division
	var labels []string
	labels0 := strings.Split(host, ".")
	if len(labels0) > 8 {
		labels0 = labels0[len(labels0)-8:] // a host name has a few labels; the last say most
	}
	for _, l := range labels0 {
		if domainLabelsSkipped[l] || len(l) < 4 {
			continue
		}
		if ds := t.byPinyin[l]; len(ds) > 0 {
			sets = append(sets, ds)
			labels = append(labels, l)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	var keep []*Division
	for i, set := range sets {
		for _, d := range set {
			ok := true
			for j, other := range sets {
				if j != i && len(relatedTo(other, []*Division{d})) == 0 {
					ok = false
					break
				}
			}
			if ok && !containsDiv(keep, d) {
				keep = append(keep, d)
			}
		}
	}
	// Keep the deepest: shihe.xinyang gives 浉河区, not 信阳市 too.
	var deepest []*Division
	for _, d := range keep {
		inner := false
		for _, o := range keep {
			if o != d && d.Contains(o) {
				inner = true
				break
			}
		}
		if !inner {
			deepest = append(deepest, d)
		}
	}
	if len(deepest) == 0 {
		return nil
	}
	what := "domain " + strings.Join(labels, ".")
	if len(deepest) == 1 {
		what += " (" + deepest[0].FullName() + ")"
	}
	return &scope{what: what, divs: deepest, weight: weightDomain}
}

// relatedTo returns the divisions of ds that lie under one of scope's divisions
// or contain one (a city's government found on a county's portal).
func relatedTo(ds, scope []*Division) []*Division {
	var out []*Division
	for _, d := range ds {
		for _, s := range scope {
			if s.Contains(d) || d.Contains(s) {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

func containsDiv(ds []*Division, d *Division) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}
