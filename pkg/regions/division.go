package regions

import (
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// levelIndex numbers the four levels of the table from the top.
type levelIndex uint8

const (
	lvProvince levelIndex = iota
	lvCity
	lvCounty
	lvTownship
)

// levelOfCode is a code's level by its length: 2, 4, 6 or 9 digits.
func levelOfCode(code string) (levelIndex, bool) {
	switch len(code) {
	case 2:
		return lvProvince, true
	case 4:
		return lvCity, true
	case 6:
		return lvCounty, true
	case 9:
		return lvTownship, true
	}
	return 0, false
}

func (l levelIndex) report() report.Level {
	return [...]report.Level{report.LevelProvince, report.LevelCity, report.LevelCounty, report.LevelTownship}[l]
}

// Division is one entry of the table: a province, city (prefecture), county or
// township with its statistics bureau code.
type Division struct {
	// Code is the code as the statistics bureau prints it at the division's level:
	// 2 digits for a province, 4 for a city, 6 for a county, 9 for a township.
	Code string
	// Name is the division's official (simplified) name.
	Name string

	level    levelIndex
	parent   *Division
	pinyin   []string
	zone     bool // a development zone, farm or similar unit with a statistical code
	pseudo   bool // a grouping, not a division: 市辖区, 县, 省直辖县级行政区划
	cityLike bool // a county that is its city (东莞市 441900 under 东莞市 4419)
}

// Level returns the division's administrative level.
func (d *Division) Level() report.Level { return d.level.report() }

// Parent returns the division above d, or nil for a province.
func (d *Division) Parent() *Division { return d.parent }

// Zone reports whether d is not an administrative division but a development zone,
// new area, farm, forestry bureau or similar unit that the statistics bureau gives
// a code of its own (county codes xx71–xx79, township codes 400–599). Its code is
// statistical, not a 行政区划代码, so Region places it at its parent.
func (d *Division) Zone() bool { return d.zone }

// Grouping reports whether d is not a division but a grouping of the statistics
// bureau's table: a municipality's 市辖区 or 县, a province's 省直辖县级行政区划.
func (d *Division) Grouping() bool { return d.pseudo }

// CityItself reports whether d is the county row of a city that has no counties
// (东莞市 441900 under 东莞市 4419): the same place as its city, found as the city.
func (d *Division) CityItself() bool { return d.cityLike }

// Contains reports whether o is d or lies under d.
func (d *Division) Contains(o *Division) bool {
	for ; o != nil; o = o.parent {
		if o == d {
			return true
		}
	}
	return false
}

// Code6 returns the 6-digit form of the code for provinces, cities and counties
// (22 → 220000, 2201 → 220100), and the 9-digit code for townships.
func (d *Division) Code6() string {
	switch d.level {
	case lvProvince:
		return d.Code + "0000"
	case lvCity:
		return d.Code + "00"
	}
	return d.Code
}

// FullName returns the names from the province down to d, without groupings such
// as 市辖区: 吉林省长春市德惠市岔路口镇.
func (d *Division) FullName() string {
	var parts []string
	for x := d; x != nil; x = x.parent {
		if !x.pseudo && !x.cityLike {
			parts = append(parts, x.Name)
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// String returns the code and full name, e.g. "220183105 吉林省长春市德惠市岔路口镇".
func (d *Division) String() string { return d.Code + " " + d.FullName() }

// Region returns d as a report.Region. A municipality's city is the municipality
// itself (北京市东城区: City 北京市); a county directly under a province (济源市) has no
// city; a county that is its own city (东莞市) has no county. A zone is not a
// division: its region is its parent's, without a code of its own.
func (d *Division) Region() report.Region {
	if d.zone || d.pseudo {
		if d.parent == nil {
			return report.Region{}
		}
		return d.parent.Region()
	}
	switch d.level {
	case lvProvince:
		return report.Region{Province: d.Name, Code: d.Code6()}
	case lvCity:
		return report.Region{Province: d.parent.Name, City: d.Name, Code: d.Code6()}
	case lvCounty:
		r := d.parent.Region()
		if d.parent.pseudo && d.parent.Name != "省直辖县级行政区划" {
			r.City = d.parent.parent.Name // 北京市 市辖区 → 北京市
		}
		if !d.cityLike {
			r.County = d.Name
		}
		r.Code = d.Code
		return r
	default:
		r := d.parent.Region()
		r.Township, r.TownshipCode = d.Name, d.Code
		return r
	}
}

// ancestor returns d's ancestor at level lv (d itself when it is at lv), or nil.
func (d *Division) ancestor(lv levelIndex) *Division {
	for x := d; x != nil; x = x.parent {
		if x.level == lv {
			return x
		}
	}
	return nil
}

// commonAncestor returns the deepest division containing every one of ds, or nil.
func commonAncestor(ds []*Division) *Division {
	if len(ds) == 0 {
		return nil
	}
	a := ds[0]
	for _, d := range ds[1:] {
		for a != nil && !a.Contains(d) {
			a = a.parent
		}
	}
	for a != nil && a.pseudo {
		a = a.parent
	}
	return a
}
