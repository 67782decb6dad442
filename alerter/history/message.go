package history

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// who names a report in Chinese and in English.
func who(d *doc) (zh, en string) {
	return fmt.Sprintf("%s%d年度报告", d.body, d.year), fmt.Sprintf("%s, report for %d", d.body, d.year)
}

// otherAddr writes the address of a cell of another report of the same body:
// "<year>:<address>" (2021:carried_forward.total).
func otherAddr(year int, addr string) string { return fmt.Sprintf("%d:%s", year, addr) }

// levelLabels are the administrative levels in Chinese.
var levelLabels = map[report.Level]string{
	report.LevelNational:   "国家级",
	report.LevelProvince:   "省级",
	report.LevelCity:       "市级",
	report.LevelCounty:     "县级",
	report.LevelTownship:   "乡镇级",
	report.LevelDepartment: "部门",
}

func levelLabel(l report.Level) string {
	if s, ok := levelLabels[l]; ok {
		return s
	}
	return string(l)
}

// blankNote says which blank cells were counted as 0, in both languages.
func blankNote(blanks []string) (zh, en string) {
	if len(blanks) == 0 {
		return "", ""
	}
	return fmt.Sprintf("（空白单元格按0计算：%s）", strings.Join(blanks, "、")),
		fmt.Sprintf(" Blank cells counted as 0: %s.", strings.Join(blanks, ", "))
}

// pct prints a share as a percentage with one decimal.
func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// round4 rounds an evidence figure to 4 significant digits, so that alert JSON
// stays readable.
func round4(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return r
}
