package webhook

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/alerter/alert"
	"github.com/govreport/govreport/pkg/report"
)

// doc is a message before it is written in a vendor's markup: a title and
// paragraphs of plain-text spans, some of them links. Chinese comes first, then
// English.
type doc struct {
	title  string
	paras  []para
	digest bool
	total  int // alerts the message stands for
}

// para is one line of a message.
type para struct {
	spans []span
	head  bool // the heading line
	item  bool // one alert listed in a digest
}

// span is plain text, bold text, or a link.
type span struct {
	text string
	href string // an http(s) URL, or "" for text
	bold bool
}

// Bounds on the pieces of a message, in bytes, before escaping. They keep every
// line far below the vendors' 4096-byte limit, so that a message is cut between
// lines, never inside markup.
const (
	maxTitle    = 120
	maxSentence = 800
	maxField    = 200
	maxCells    = 1200
	maxItemText = 300
	maxURL      = 600
)

// severityLabels are the severities in Chinese and English.
var severityLabels = map[string]string{
	alert.SeverityError:   "错误 error",
	alert.SeverityWarning: "警告 warning",
	alert.SeverityInfo:    "提示 info",
}

func severityLabel(s string) string {
	if l, ok := severityLabels[s]; ok {
		return l
	}
	return clean(s, 20)
}

// alertDoc describes one alert: open alerts in full, resolved ones as a short
// notice.
func alertDoc(a *alert.Alert) doc {
	who := fmt.Sprintf("%s %s %s", clean(string(a.Rule), 40), clean(a.Body, maxField), yearLabel(a.Year))
	if a.Status == alert.StatusResolved {
		d := doc{title: clean("【已恢复 resolved】"+who, maxTitle), total: 1}
		d.paras = append(d.paras,
			para{head: true, spans: []span{{text: d.title}}},
			text("该告警已不再触发。This alert no longer fires."),
		)
		if a.ResolvedAt != nil {
			d.paras = append(d.paras, field("恢复时间 Resolved", a.ResolvedAt.UTC().Format(time.RFC3339)))
		}
		d.paras = append(d.paras, field("原告警 Was", clean(a.MessageZH, maxSentence)))
		d.paras = append(d.paras, sourcePara(a.SourceURL))
		return d
	}
	d := doc{title: clean("【"+severityLabel(a.Severity)+"】"+who, maxTitle), total: 1}
	d.paras = append(d.paras, para{head: true, spans: []span{{text: d.title}}})
	if s := clean(a.MessageZH, maxSentence); s != "" {
		d.paras = append(d.paras, text(s))
	}
	if s := clean(a.MessageEN, maxSentence); s != "" {
		d.paras = append(d.paras, text(s))
	}
	rule := clean(string(a.Rule), 40)
	if a.Scope != "" {
		rule += " · " + clean(a.Scope, maxField)
	}
	d.paras = append(d.paras,
		field("规则 Rule", rule),
		field("级别 Severity", severityLabel(a.Severity)),
		field("主体 Body", clean(a.Body, maxField)+levelLabel(a.Level)),
	)
	if r := regionLabel(a.Region); r != "" {
		d.paras = append(d.paras, field("地区 Region", r))
	}
	if a.Year != 0 {
		d.paras = append(d.paras, field("年度 Year", strconv.Itoa(a.Year)))
	}
	if len(a.Cells) > 0 {
		d.paras = append(d.paras, field("单元格 Cells", cellsLabel(a.Cells, a.CellValues)))
	}
	if len(a.Evidence) > 0 {
		d.paras = append(d.paras, field("依据 Evidence", evidenceLabel(a.Evidence)))
	}
	if len(a.Related) > 0 {
		p := para{spans: []span{{text: "相关 Related:", bold: true}}}
		for i, r := range a.Related {
			if i == 5 {
				p.spans = append(p.spans, span{text: fmt.Sprintf(" …另有 %d 份 and %d more", len(a.Related)-i, len(a.Related)-i)})
				break
			}
			label := strings.TrimSpace(clean(r.Body, maxField) + " " + yearLabel(r.Year))
			if label == "" {
				label = clean(r.DocID, 64)
			}
			if label == "" {
				label = "?"
			}
			p.spans = append(p.spans, span{text: " "}, linkOrText(label, r.SourceURL))
		}
		d.paras = append(d.paras, p)
	}
	if !a.RaisedAt.IsZero() {
		d.paras = append(d.paras, field("发现时间 Raised", a.RaisedAt.UTC().Format(time.RFC3339)))
	}
	d.paras = append(d.paras, sourcePara(a.SourceURL))
	if a.ID != "" {
		d.paras = append(d.paras, field("告警编号 Alert ID", clean(a.ID, 64)))
	}
	return d
}

// digestDoc summarises many alerts: counts by rule and severity over all of
// them (omitted ones included), then the first items, the most severe first.
func digestDoc(alerts []alert.Alert, omitted tally, items int) doc {
	all := omitted.clone()
	for i := range alerts {
		all.add(&alerts[i])
	}
	d := doc{digest: true, total: all.count}
	d.title = fmt.Sprintf("【摘要 digest】%d 条告警 %d alerts", all.count, all.count)
	d.paras = append(d.paras,
		para{head: true, spans: []span{{text: d.title}}},
		field("按规则 By rule", countsLabel(all.byRule, nil)),
		field("按级别 By severity", countsLabel(all.bySeverity, severityLabel)),
	)
	if all.resolved > 0 {
		d.paras = append(d.paras, field("已恢复 Resolved", strconv.Itoa(all.resolved)))
	}
	if omitted.count > 0 {
		d.paras = append(d.paras, field("队列溢出未列出 Overflowed, not listed", strconv.Itoa(omitted.count)))
	}
	order := make([]int, len(alerts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return alertRank(alerts[order[i]].Severity) > alertRank(alerts[order[j]].Severity)
	})
	for n, i := range order {
		if n == items {
			break
		}
		a := &alerts[i]
		label := severityLabel(a.Severity)
		if a.Status == alert.StatusResolved {
			label = "已恢复 resolved"
		}
		line := fmt.Sprintf("%d. 【%s】%s %s %s：%s", n+1, label, clean(string(a.Rule), 40),
			clean(a.Body, maxField), yearLabel(a.Year), clean(a.MessageZH, maxItemText))
		p := para{item: true, spans: []span{{text: line}}}
		if u := linkURL(a.SourceURL); u != "" {
			p.spans = append(p.spans, span{text: " "}, span{text: "原文 source", href: u})
		}
		d.paras = append(d.paras, p)
	}
	return d
}

// moreNote is the line that ends a message when alerts or lines were left out.
func (d *doc) moreNote(shown int, cut bool) string {
	if d.digest && d.total > shown {
		n := d.total - shown
		return fmt.Sprintf("…另有 %d 条未列出 and %d more", n, n)
	}
	if cut {
		return "…（内容过长，已截断 truncated）"
	}
	return ""
}

func text(s string) para { return para{spans: []span{{text: s}}} }

func field(label, value string) para {
	return para{spans: []span{{text: label + ":", bold: true}, {text: " " + value}}}
}

func sourcePara(raw string) para {
	return para{spans: []span{{text: "原文 Source:", bold: true}, {text: " "}, linkOrText("查看原文 open the report", raw)}}
}

// linkOrText links label to an http(s) URL, or shows the address as text when
// it is not one.
func linkOrText(label, raw string) span {
	if u := linkURL(raw); u != "" {
		return span{text: label, href: u}
	}
	if raw == "" {
		return span{text: label + " —"}
	}
	return span{text: label + " " + clean(raw, maxURL)}
}

// linkURL returns raw as a link target — an absolute http(s) URL, escaped so
// that markup cannot break it — or "" when it cannot be one.
func linkURL(raw string) string {
	if raw == "" || len(raw) > maxURL || !utf8.ValidString(raw) {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return linkEscaper.Replace(u.String())
}

// linkEscaper percent-encodes what could end a markdown link target early or
// open markup inside it.
var linkEscaper = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", `"`, "%22", "[", "%5B", "]", "%5D", "\\", "%5C")

func yearLabel(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y) + "年度"
}

var levelLabels = map[report.Level]string{
	report.LevelNational:   "国家级 national",
	report.LevelProvince:   "省级 province",
	report.LevelCity:       "市级 city",
	report.LevelCounty:     "县级 county",
	report.LevelTownship:   "乡镇 township",
	report.LevelDepartment: "部门 department",
}

func levelLabel(l report.Level) string {
	if l == "" {
		return ""
	}
	if s, ok := levelLabels[l]; ok {
		return "（" + s + "）"
	}
	return "（" + clean(string(l), 20) + "）"
}

func regionLabel(r report.Region) string {
	var parts []string
	for _, p := range []string{r.Province, r.City, r.County, r.Township} {
		if p = clean(p, 60); p != "" && (len(parts) == 0 || parts[len(parts)-1] != p) {
			parts = append(parts, p)
		}
	}
	s := strings.Join(parts, " ")
	code := r.TownshipCode
	if code == "" {
		code = r.Code
	}
	if code = clean(code, 12); code != "" {
		s += " (" + code + ")"
	}
	return strings.TrimSpace(s)
}

// cellsLabel lists cells with their values within maxCells bytes.
func cellsLabel(cells, values []string) string {
	var b strings.Builder
	for i, c := range cells {
		item := clean(c, 80)
		if i < len(values) {
			item += " = " + clean(values[i], 60)
		}
		if i > 0 {
			item = "; " + item
		}
		if b.Len()+len(item) > maxCells-40 {
			n := len(cells) - i
			fmt.Fprintf(&b, " …另有 %d 个 and %d more", n, n)
			break
		}
		b.WriteString(item)
	}
	return b.String()
}

func evidenceLabel(ev map[string]float64) string {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		item := clean(k, 40) + " = " + strconv.FormatFloat(ev[k], 'g', 6, 64)
		if i > 0 {
			item = ", " + item
		}
		if b.Len()+len(item) > maxField*2 {
			b.WriteString(" …")
			break
		}
		b.WriteString(item)
	}
	return b.String()
}

// countsLabel writes counts as "R1 ×20 · R3 ×30", the largest first.
func countsLabel(m map[string]int, label func(string) string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for i, k := range keys {
		if i == 12 {
			rest := 0
			for _, k := range keys[i:] {
				rest += m[k]
			}
			parts = append(parts, fmt.Sprintf("… ×%d", rest))
			break
		}
		name := clean(k, 40)
		if label != nil {
			name = label(k)
		}
		if name == "" {
			name = "?"
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", name, m[k]))
	}
	return strings.Join(parts, " · ")
}

// clean makes text safe to place on one line: valid UTF-8, control and
// line-separating characters turned into spaces, trimmed, and at most max bytes
// (cut on a character boundary, ending in "…").
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
	return truncate(strings.TrimSpace(s), max)
}

// truncate cuts s to at most max bytes on a character boundary, ending in "…"
// when it cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	if max < len(ellipsis) {
		return ""
	}
	i := max - len(ellipsis)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + ellipsis
}
