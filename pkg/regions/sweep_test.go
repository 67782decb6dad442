package regions

import (
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// TestSweep resolves bodies composed from every township and county of the table
// in the forms reports use, and requires the code to be the division's or none:
// a namesake's code is never given. It logs how many were decided.
func TestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("sweeps the whole table")
	}
	tb := mustDefault(t)
	type tally struct{ n, right, none int }
	forms := map[string]*tally{}
	check := func(form string, d *Division, r Result, got string) {
		f := forms[form]
		if f == nil {
			f = &tally{}
			forms[form] = f
		}
		f.n++
		switch a := tb.Lookup(got); {
		case got == d.Code:
			f.right++
		case got == "" || (a != nil && a.Contains(d)):
			f.none++ // no code, or only a division above it
		default:
			if f.n-f.right-f.none <= 5 {
				t.Errorf("%s: %s resolved to %s\n  evidence %q", form, d, got, r.Evidence)
			}
		}
	}
	for i := range tb.divs {
		d := &tb.divs[i]
		switch {
		case d.level == lvTownship && !d.zone && !d.parent.zone:
			county := d.parent.Name
			if d.parent.cityLike {
				county = d.parent.parent.Name
			}
			r := tb.Resolve(Input{Body: county + d.Name + "人民政府"})
			check("county+township", d, r, r.Region.TownshipCode)
			site := d.ancestor(lvCity).Region()
			r = tb.Resolve(Input{Body: d.Name + "人民政府", Site: site})
			check("township on its city's site", d, r, r.Region.TownshipCode)
			r = tb.Resolve(Input{Body: d.Name + "人民政府", SiteIDCode: d.parent.Code + "0001"})
			check("township with its county's SiteIDCode", d, r, r.Region.TownshipCode)
			r = tb.Resolve(Input{Body: d.Name + "人民政府"})
			check("township alone", d, r, r.Region.TownshipCode)
		case d.level == lvCounty && !d.zone && !d.cityLike:
			r := tb.Resolve(Input{Body: d.Name + "人民政府", Site: report.Region{Province: d.ancestor(lvProvince).Name}})
			check("county on its province's site", d, r, r.Region.Code)
			r = tb.Resolve(Input{Body: d.Name + "财政局"})
			check("county department alone", d, r, r.Region.Code)
		}
	}
	for form, f := range forms {
		t.Logf("%-40s %6d: %6d right (%.1f%%), %5d without its code, %d wrong", form, f.n, f.right, 100*float64(f.right)/float64(f.n), f.none, f.n-f.right-f.none)
	}
}
