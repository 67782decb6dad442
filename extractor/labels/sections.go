package labels

import (
	"strings"
	"unicode/utf8"
)

// Report sections, numbered as the template numbers them.
const (
	SectionNone       = 0
	SectionOverview   = 1 // 一、总体情况
	SectionDisclosure = 2 // 二、主动公开政府信息情况
	SectionRequests   = 3 // 三、收到和处理政府信息公开申请情况
	SectionReview     = 4 // 四、政府信息公开行政复议、行政诉讼情况
	SectionProblems   = 5 // 五、存在的主要问题及改进情况
	SectionOther      = 6 // 六、其他需要报告的事项
)

// sectionKeys are labels that place a table row in a section.
var sectionKeys = map[string]int{
	"信息内容":       SectionDisclosure,
	"申请人情况":      SectionRequests,
	"自然人":        SectionRequests,
	"法人或其他组织":    SectionRequests,
	"商业企业":       SectionRequests,
	"科研机构":       SectionRequests,
	"社会公益组织":     SectionRequests,
	"法律服务机构":     SectionRequests,
	"行政复议":       SectionReview,
	"行政诉讼":       SectionReview,
	"结果维持":       SectionReview,
	"结果纠正":       SectionReview,
	"其他结果":       SectionReview,
	"尚未审结":       SectionReview,
	"未经复议直接起诉":   SectionReview,
	"复议后起诉":      SectionReview,
	"主动公开政府信息情况": SectionDisclosure,
	"收到和处理政府信息公开申请情况":  SectionRequests,
	"政府信息公开行政复议行政诉讼情况": SectionReview,
}

// SectionOf returns the section a table label announces, or SectionNone for labels
// that do not decide it (其他, 总计, numbers, prose).
func SectionOf(label string) int {
	key := labelKey(label)
	if s, ok := sectionKeys[key]; ok {
		return s
	}
	if strings.HasPrefix(key, "第二十条") {
		return SectionDisclosure
	}
	if _, ok := items[key]; ok {
		return SectionDisclosure
	}
	if _, ok := metrics[key]; ok {
		return SectionDisclosure
	}
	if _, ok := headings[key]; ok && key != "总计" && key != "其他处理" {
		return SectionRequests
	}
	if _, ok := leafIndex[key]; ok && key != "其他" {
		return SectionRequests
	}
	if strings.Contains(key, "勾稽关系") {
		return SectionRequests
	}
	if s := headingOf(label, key); s == SectionDisclosure || s == SectionRequests || s == SectionReview {
		return s
	}
	return SectionNone
}

// maxHeadingRunes bounds the length of a heading line: longer lines are prose that
// happens to name a section ("全文包括总体情况、主动公开政府信息情况…").
const maxHeadingRunes = 40

// Heading returns the section a line of text is the heading of, or SectionNone.
// Numbering is optional and may be any style ("二、", "5、", "（三）"); traditional
// characters are accepted.
func Heading(line string) int {
	return headingOf(line, "")
}

// headingHints are words every section heading holds (in either script); a line
// without one is not a heading, and is not normalised to find out.
var headingHints = []string{"情况", "情況", "事项", "事項", "问题", "問題", "措施", "概述", "复议", "復議"}

// headingSignature holds the first rune of every hint (情事问措概复 and their
// traditional forms, rarer in navigation text than the last ones): a line without
// any of them holds no hint.
var headingSignature = HeadingSignature()

// HeadingSignature returns runes one of which every section heading holds: a text
// without any of them is not a heading.
func HeadingSignature() *RuneSet {
	var first []string
	for _, h := range headingHints {
		_, n := utf8.DecodeRuneInString(h)
		first = append(first, h[:n])
	}
	return NewRuneSet(first...)
}

// headingOf is Heading with the line's key when the caller has it.
func headingOf(line, key string) int {
	if !headingSignature.AnyIn(line) {
		return SectionNone // the cheapest test first: most text is not a heading
	}
	line = strings.TrimSpace(line)
	if line == "" || utf8.RuneCountInString(line) > maxHeadingRunes {
		return SectionNone
	}
	if strings.ContainsAny(line, "。；;") {
		return SectionNone
	}
	hinted := false
	for _, h := range headingHints {
		if strings.Contains(line, h) {
			hinted = true
			break
		}
	}
	if !hinted {
		return SectionNone
	}
	if key == "" {
		key = labelKey(line)
	}
	switch {
	case strings.Contains(key, "收到和处理政府信息公开申请"):
		return SectionRequests
	case strings.Contains(key, "行政复议") && strings.Contains(key, "行政诉讼"):
		return SectionReview
	case strings.Contains(key, "主动公开政府信息"):
		return SectionDisclosure
	case strings.Contains(key, "其他需要报告的事项"):
		return SectionOther
	case strings.Contains(key, "存在的主要问题") || strings.Contains(key, "存在的问题") ||
		strings.Contains(key, "主要问题及改进"):
		return SectionProblems
	case key == "总体情况" || key == "概述" || key == "总体情况概述":
		return SectionOverview
	}
	return SectionNone
}
