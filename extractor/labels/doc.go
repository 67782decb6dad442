// Package labels knows the words of the report template: which label names which
// application row (in the context of its group heading), applicant column, review
// group, article 20 item and metric; which labels announce a section; which headings
// structure a report; and which labels show the 2019 or the 2021 template.
//
// Every comparison is on normalize.Key forms, pinyin glosses dropped (規(guī)章 is
// 规章, see gloss.go), and exact: a long label that merely contains another label's
// words (an 其他对外管理服务事项 note that mentions 行政处罚) matches nothing rather
// than the wrong thing.
package labels
