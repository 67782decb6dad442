package extractor

import (
	"testing"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
)

func TestBodyAndYear(t *testing.T) {
	tests := []struct {
		title string
		body  string
		year  int
	}{
		{"德惠市岔路口镇人民政府2020年政府信息公开工作年度报告", "德惠市岔路口镇人民政府", 2020},
		{"东双河镇政府信息公开工作2019年度报告", "东双河镇", 2019},
		{"高新区(近海镇) 2020 年 政府信息公开工作年度报告", "高新区(近海镇)", 2020},
		{"关于2021年政府信息公开工作年度报告", "", 2021},
		{"宿城區王官集鎮人民政府2020年政府信息公開工作年度報告", "宿城區王官集鎮人民政府", 2020},
		{"德惠市人民政府办公室关于德惠市2022年度政府信息公开工作年度报告", "德惠市人民政府办公室", 2022},
		{"政府信息公开年报", "", 0},
	}
	for _, tt := range tests {
		if got := bodyFromTitle(tt.title); got != tt.body {
			t.Errorf("body of %q = %q, want %q", tt.title, got, tt.body)
		}
		if got := yearOf(tt.title, nil, testTime); got != tt.year {
			t.Errorf("year of %q = %d, want %d", tt.title, got, tt.year)
		}
	}
	lines := []string{"本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。"}
	if y := yearOf("年度报告", lines, testTime); y != 2019 {
		t.Errorf("year from the statistics period: %d", y)
	}
	if y := yearOf("2099年政府信息公开工作年度报告", nil, testTime); y != 0 {
		t.Errorf("a future year is not a report year: %d", y)
	}
}

func TestLevel(t *testing.T) {
	county := rawdoc.Site{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"}
	tests := []struct {
		body string
		site rawdoc.Site
		want report.Level
	}{
		{"德惠市岔路口镇人民政府", county, report.LevelTownship},
		{"东风街道办事处", county, report.LevelTownship},
		{"高新区(近海镇)", county, report.LevelTownship},
		{"宿城區王官集鎮人民政府", county, report.LevelTownship},
		{"德惠市农业农村局", county, report.LevelDepartment},
		{"德惠市乡村振兴局", county, report.LevelDepartment},
		{"德惠市人民政府", county, report.LevelCounty},
		{"长春市人民政府", county, report.LevelCity},
		{"农安县人民政府", county, report.LevelCounty},
		{"吉林省人民政府", county, report.LevelProvince},
		{"上海市人民政府", rawdoc.Site{}, report.LevelProvince},
		{"", county, report.LevelUnknown},
	}
	for _, tt := range tests {
		if got := levelOf(tt.body, tt.site); got != tt.want {
			t.Errorf("levelOf(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestPublishedAtAndTitle(t *testing.T) {
	if d := publishedAt(map[string]string{"PubDate": "2021-01-25 10:30"}, nil, nil); d != "2021-01-25" {
		t.Errorf("meta date %q", d)
	}
	if d := publishedAt(nil, []string{"来源：本站 发布时间：2022年1月18日 16:02"}, nil); d != "2022-01-18" {
		t.Errorf("labelled date %q", d)
	}
	if d := publishedAt(nil, nil, []string{"正文", "某镇人民政府", "2021年1月25日", ""}); d != "2021-01-25" {
		t.Errorf("date at the end %q", d)
	}
	if d := publishedAt(nil, nil, []string{"2019年1月1日起至2019年12月31日止的统计数据。", "正文"}); d != "" {
		t.Errorf("a date inside prose is not the publication date: %q", d)
	}
	if d := publishedAt(map[string]string{"PubDate": "2021-02-30"}, nil, nil); d != "" {
		t.Errorf("impossible date accepted: %q", d)
	}
	tests := []struct {
		meta            map[string]string
		h1, title, link string
		want            string
	}{
		{map[string]string{"ArticleTitle": "甲2020年政府信息公开工作年度报告"}, "网站首页", "x", "", "甲2020年政府信息公开工作年度报告"},
		{nil, "", "乙2020年政府信息公开工作年度报告_某市人民政府", "", "乙2020年政府信息公开工作年度报告"},
		{nil, "", "", "丙2020年度报告", "丙2020年度报告"},
	}
	for _, tt := range tests {
		if got := chooseTitle(tt.meta, tt.h1, tt.title, tt.link); got != tt.want {
			t.Errorf("title %q, want %q", got, tt.want)
		}
	}
}
