package sampleportal

import (
	"github.com/govreport/govreport/pkg/regions"
	"math/rand/v2"

	"github.com/govreport/govreport/pkg/report"
)

// body is an administrative body that publishes annual reports on a site.
type body struct {
	name  string
	level report.Level
	// township is a township's own name (岔路口镇), empty for other bodies.
	township string
}

// departments are the working departments every county-level government has (names as
// used after the 2018–2019 institutional reform).
var departments = []string{
	"发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
	"财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局",
	"水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康局", "退役军人事务局",
	"应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局",
}

// maxTownships bounds the townships generated per site.
const maxTownships = 24

// maxBodies returns the largest number of bodies a site can have.
func maxBodies() int { return 1 + len(departments) + maxTownships }

// Syllables of generated township names: a first character and a place word.
var (
	townFirst = []rune("岔朱大小新青米万松夏布长双红永白石黄柳龙杨高金马")
	townPlace = []string{"路口", "城", "沙", "家屯", "河", "山", "桥", "水", "湾", "坪", "店", "庄", "岭", "集", "溪", "台", "营", "堡", "泉", "岗"}
)

// townshipName returns a plausible township name not in used (岔路口镇, 青山乡).
func townshipName(r *rand.Rand, used map[string]bool) string {
	for {
		n := string(townFirst[r.IntN(len(townFirst))]) + townPlace[r.IntN(len(townPlace))]
		if r.IntN(4) == 0 {
			n += "乡"
		} else {
			n += "镇"
		}
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// makeBodies returns n bodies for a site in div: the government first, then a
// seeded mix of departments and townships.
func makeBodies(r *rand.Rand, div division, n int) []*body {
	out := []*body{{name: div.governmentName(), level: report.LevelCounty}}
	depts := r.Perm(len(departments))
	used := map[string]bool{}
	nd, nt := 0, 0
	for len(out) < n {
		dept := r.IntN(10) < 6
		if nd == len(departments) {
			dept = false
		}
		if nt == maxTownships {
			dept = true
		}
		if dept {
			out = append(out, &body{name: div.County + departments[depts[nd]], level: report.LevelDepartment})
			nd++
		} else {
			t := townshipName(r, used)
			out = append(out, &body{name: div.County + t + "人民政府", level: report.LevelTownship, township: t})
			nt++
		}
	}
	return out
}

// townshipCode is the 9-digit code of a township of the county with the given
// code, when the national division table has one of that name (generated names are
// sometimes real), or "".
func townshipCode(county, name string) string {
	if name == "" {
		return ""
	}
	t, err := regions.Default()
	if err != nil {
		return ""
	}
	for _, d := range t.Named(name) {
		if p := d.Parent(); p != nil && p.Code6() == county && d.Level() == report.LevelTownship {
			return d.Code
		}
	}
	return ""
}
