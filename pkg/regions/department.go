package regions

import (
	"sort"
	"strings"
)

// abbreviations maps the short names bodies use for government departments to the
// usual full names (县发改局 → 县发展和改革局). Full names vary a little between
// places; these are the forms of the 2018 institutional reform.
var abbreviations = map[string]string{
	"发改局":    "发展和改革局",
	"发改委":    "发展和改革委员会",
	"人社局":    "人力资源和社会保障局",
	"住建局":    "住房和城乡建设局",
	"住建委":    "住房和城乡建设委员会",
	"规建局":    "规划和建设局",
	"自规局":    "自然资源和规划局",
	"资规局":    "自然资源和规划局",
	"环保局":    "环境保护局",
	"生态局":    "生态环境局",
	"卫健局":    "卫生健康局",
	"卫健委":    "卫生健康委员会",
	"卫计局":    "卫生和计划生育局",
	"卫计委":    "卫生和计划生育委员会",
	"市监局":    "市场监督管理局",
	"市场监管局":  "市场监督管理局",
	"教体局":    "教育和体育局",
	"教科局":    "教育和科学技术局",
	"科技局":    "科学技术局",
	"工信局":    "工业和信息化局",
	"经信局":    "经济和信息化局",
	"文旅局":    "文化和旅游局",
	"文广旅局":   "文化广电和旅游局",
	"文广新旅局":  "文化广电新闻出版和旅游局",
	"文体旅局":   "文化体育和旅游局",
	"应急局":    "应急管理局",
	"医保局":    "医疗保障局",
	"退役军人局":  "退役军人事务局",
	"退役局":    "退役军人事务局",
	"审批局":    "行政审批服务局",
	"行政审批局":  "行政审批服务局",
	"交通局":    "交通运输局",
	"城管局":    "城市管理局",
	"综合执法局":  "综合行政执法局",
	"农业局":    "农业农村局",
	"农委":     "农业农村委员会",
	"民宗局":    "民族宗教事务局",
	"国资委":    "国有资产监督管理委员会",
	"国资局":    "国有资产监督管理局",
	"政数局":    "政务服务和数据管理局",
	"数据局":    "数据资源管理局",
	"商务局":    "商务局",
	"政府办":    "人民政府办公室",
	"政府办公室":  "人民政府办公室",
	"人民政府办":  "人民政府办公室",
	"府办":     "人民政府办公室",
	"政府":     "人民政府",
	"政府办事处":  "人民政府办事处",
	"公管办":    "公共资源交易管理办公室",
	"金融办":    "地方金融监督管理局",
	"信访局":    "信访局",
	"林业局":    "林业局",
	"外事办":    "外事办公室",
	"侨办":     "侨务办公室",
	"粮食局":    "粮食和物资储备局",
	"水务局":    "水务局",
	"水利局":    "水利局",
	"统计局":    "统计局",
	"审计局":    "审计局",
	"财政局":    "财政局",
	"民政局":    "民政局",
	"司法局":    "司法局",
	"公安局":    "公安局",
	"税务局":    "税务局",
	"档案局":    "档案局",
	"档案馆":    "档案馆",
	"人防办":    "人民防空办公室",
	"残联":     "残疾人联合会",
	"妇联":     "妇女联合会",
	"团委":     "共青团委员会",
	"编办":     "机构编制委员会办公室",
	"供销社":    "供销合作社联合社",
	"政务服务中心": "政务服务中心",
}

// abbreviationsByLength lists the abbreviations of three characters or more,
// longest first, for matching at the end of a longer name.
var abbreviationsByLength = func() []string {
	var out []string
	for a := range abbreviations {
		if runeCount(a) >= 3 {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}()

// governmentWords are what a division's own government calls itself after the
// division's name: 岔路口镇人民政府, 东城街道办事处.
var governmentWords = map[string]bool{
	"": true, "人民政府": true, "政府": true, "办事处": true, "街道办事处": true, "人民政府办事处": true,
	"街道办": true, "公所": true, "乡公所": true, "镇公所": true,
}

// departmentSuffixes end the names of departments and other bodies under a
// government.
var departmentSuffixes = []string{"委员会", "办公室", "联合会", "联合社", "局", "委", "办", "厅", "署", "中心", "院",
	"所", "站", "队", "会", "处", "室", "馆", "部", "社", "组", "司", "庭", "团", "校"}

// departmentName returns the full form of a department's name and whether s names a
// department at all (it ends like one).
func departmentName(s string) (string, bool) {
	if full, ok := abbreviations[s]; ok {
		return full, true
	}
	for _, abbr := range abbreviationsByLength {
		// 宿城区人民政府发改局 → …发展和改革局: an abbreviation at the end of a longer name.
		full := abbreviations[abbr]
		if strings.HasSuffix(s, abbr) && !strings.HasSuffix(s, full) {
			return strings.TrimSuffix(s, abbr) + full, true
		}
	}
	for _, suf := range departmentSuffixes {
		if strings.HasSuffix(s, suf) {
			return s, true
		}
	}
	return s, false
}

// levelPrefixes are the words that open a department's name without naming the
// division (县发改局, 区政府办公室, 市市场监督管理局), with the level they imply.
var levelPrefixes = []struct {
	word  string
	level levelIndex
}{
	{"街道", lvTownship}, {"省", lvProvince}, {"市", lvCity}, {"州", lvCity}, {"盟", lvCity},
	{"县", lvCounty}, {"区", lvCounty}, {"旗", lvCounty}, {"镇", lvTownship}, {"乡", lvTownship},
}

// notLevelPrefix are words that begin with a level character but do not name a
// level: 市场监督管理局 is no city's 场监督管理局.
var notLevelPrefix = []string{"市场", "市政", "市容", "区域", "县域", "省级", "市级", "县级", "乡村", "乡镇", "镇村",
	"州府"}

// impliedLevel splits "县发改局" into the level its first word implies (county) and
// the rest ("发改局"). ok is false when s does not start that way.
func impliedLevel(s string) (levelIndex, string, bool) {
	for _, w := range notLevelPrefix {
		if strings.HasPrefix(s, w) {
			// 市市场监督管理局 starts with 市 and then 市场…: only the first 市 is the level.
			return 0, "", false
		}
	}
	for _, p := range levelPrefixes {
		rest, ok := strings.CutPrefix(s, p.word)
		if !ok || rest == "" {
			continue
		}
		if governmentWords[rest] {
			return p.level, rest, true
		}
		if _, ok := departmentName(rest); ok {
			return p.level, rest, true
		}
	}
	return 0, "", false
}
