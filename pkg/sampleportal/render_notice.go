package sampleportal

import (
	"bytes"
	"fmt"
)

// renderNotice writes a notice about preparing the annual reports: the same chrome
// as a report, prose only.
func renderNotice(b *bytes.Buffer, s *site, n *noticeDoc) {
	writeArticleOpen(b, s, n.article)
	y := n.year
	b.WriteString(fmt.Sprintf("<p style=\"text-align:center\">%s政办函〔%d〕%d号</p>\n", s.div.shortName(), n.pub.Year(), n.docNo))
	para(b, "各乡镇人民政府、街道办事处，"+s.div.County+"政府各部门：")
	para(b, fmt.Sprintf("为做好%d年政府信息公开工作年度报告编制和发布工作，根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，"+
		"按照国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告格式的要求，现将有关事项通知如下。", y))
	para(b, "一、编制内容。年度报告应当包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、"+
		"存在的主要问题及改进情况、其他需要报告的事项等内容，统计数据应当准确无误，各项数据的勾稽关系应当一致。")
	para(b, fmt.Sprintf("二、时间要求。各部门应于%d年1月31日前在本单位政府信息公开专栏发布年度报告；各乡镇人民政府（街道办事处）应于%d年1月31日前完成发布，"+
		"并将发布链接报送%s政务公开办公室。", y+1, y+1, s.div.County))
	para(b, "三、工作要求。各单位要高度重视年度报告编制工作，明确专人负责，严格履行审核程序，确保按时保质完成。")
	signature(b, n.source, n.pub.Year(), int(n.pub.Month()), n.pub.Day())
	writeArticleClose(b, s)
}
