package sampleportal

import (
	"strconv"
	"strings"
)

// Text of the prose sections. Placeholders: {body}, {year}, {next}, {items},
// {received}, {websites}.
var introTexts = []string{
	"{year}年，{body}认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、不公开为例外，持续深化政务公开，全面提升政府信息公开工作质量。" +
		"（一）主动公开情况。全年通过政府网站主动公开政府信息{items}条，及时公开政策文件、财政预决算、重大建设项目等信息。" +
		"（二）依申请公开情况。全年共收到政府信息公开申请{received}件，均在法定期限内办理答复。" +
		"（三）政府信息管理。严格落实信息发布保密审查制度，动态更新政府信息公开目录。" +
		"（四）平台建设。整合优化政府网站{websites}个，完善政务新媒体矩阵。" +
		"（五）监督保障。将政务公开工作纳入年度绩效考核，开展常态化检查。",
	"本年度，{body}按照上级政务公开工作部署，围绕中心工作推进政府信息公开。" +
		"一是加强主动公开，全年主动公开各类政府信息{items}条；" +
		"二是规范依申请公开，全年受理政府信息公开申请{received}件，依法依规答复；" +
		"三是强化平台建设，管理政府网站及政务新媒体{websites}个；" +
		"四是完善制度机制，健全政府信息公开保密审查、发布、解读等制度。",
	"{year}年，在上级政府的正确领导下，{body}把政务公开作为建设法治政府的重要抓手，主动公开政府信息{items}条，" +
		"收到政府信息公开申请{received}件，进一步提升了政务公开的规范化、标准化水平。",
}

var problemTexts = []string{
	"{year}年，{body}政府信息公开工作取得了一定成效，但仍存在一些不足：一是公开内容不够全面，部分领域信息更新不够及时；二是政策解读形式较为单一；三是工作人员业务能力有待提高。" +
		"{next}年，我们将进一步加强业务培训，丰富解读形式，推动政务公开工作提质增效。",
	"存在的主要问题：信息发布的及时性、规范性有待提升，依申请公开答复文书不够规范。改进措施：加强统筹协调和业务培训，健全工作机制，严格落实审查制度。",
	"一是基层政务公开标准化规范化建设仍需深化；二是政务公开平台功能有待完善。下一步，{body}将对照《条例》要求，逐项整改落实。",
}

var otherTexts = []string{
	"本年度未收取信息处理费。无其他需要报告的事项。",
	"依据《政府信息公开信息处理费管理办法》，本年度未产生信息处理费。{year}年度政务公开工作要点落实情况已在政府网站公开。",
	"无。",
}

// fill replaces the placeholders of a prose text.
func fill(text, body string, year int, items, received, websites int64) string {
	return strings.NewReplacer(
		"{body}", body,
		"{year}", strconv.Itoa(year),
		"{next}", strconv.Itoa(year+1),
		"{items}", strconv.FormatInt(items, 10),
		"{received}", strconv.FormatInt(received, 10),
		"{websites}", strconv.FormatInt(websites, 10),
	).Replace(text)
}
