package prose

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govreport/govreport/extractor/labels"
	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/extractor/sections"
	"github.com/govreport/govreport/pkg/report"
)

// maxLineBytes bounds the lines read: a longer "line" is not a paragraph.
const maxLineBytes = 16 << 10

// Read returns what the sentences of lines state about section 三 and 四, as a
// sections.Result: the cells (Src "l<n>", Raw the clause), and the counts that have
// no cell as Unplaced. firstLine is the number of lines[0]. Lines holding a tab or
// a '|' are flattened tables, not sentences, and are skipped.
func Read(lines []string, firstLine int) *sections.Result {
	r := &reader{res: &sections.Result{
		Applications: report.ApplicationTable{},
		Review:       report.ReviewTable{},
		Disclosure:   report.DisclosureTable{},
		Shows:        map[report.Template][]string{},
		Cells:        map[int]int{},
	}}
	for i, line := range lines {
		if len(line) > maxLineBytes || strings.ContainsAny(line, "\t|｜") {
			continue
		}
		r.line(normalize.Space(line), "l"+strconv.Itoa(firstLine+i))
	}
	return r.res
}

// reader reads the lines of one document.
type reader struct {
	res *sections.Result
}

// line reads one paragraph. Outcome counts are read only in a paragraph about
// applications (it says 申请), section 四 counts only in one about information
// disclosure (信息公开, or 公开申请).
func (r *reader) line(text, src string) {
	if text == "" {
		return
	}
	key := normalize.Simplified(normalize.Width(text))
	if len(counts(key)) == 0 && !hasNegation(key) {
		return // a paragraph that states no count
	}
	about := context{
		requests: strings.Contains(key, "申请"),
		review:   strings.Contains(key, "信息公开") || strings.Contains(key, "公开申请"),
	}
	for _, sentence := range split(text, sentenceEnd) {
		r.sentence(sentence, src, about)
	}
}

// context is what a paragraph is about.
type context struct{ requests, review bool }

// sentenceEnd ends sentences; clauseEnd ends clauses within one; listSep separates
// the items of a list.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '；', ';', '！', '!', '？', '?':
		return true
	}
	return false
}

func clauseEnd(r rune) bool {
	switch r {
	case '，', ',', '：', ':', '（', '）', '(', ')', '【', '】', '[', ']':
		return true
	}
	return false
}

func listSep(r rune) bool { return r == '、' }

// sentence reads one sentence clause by clause. A clause that names only a column
// ("其中自然人10件") takes the row of the clause before it.
func (r *reader) sentence(text, src string, about context) {
	var ctx report.Row
	for _, clause := range split(text, clauseEnd) {
		ck := normalize.NoSpace(normalize.Simplified(normalize.Width(clause)))
		cs := counts(ck)
		if len(cs) > 1 {
			// "予以公开8件、部分公开2件": the list's items are clauses of their own.
			for _, item := range split(clause, listSep) {
				ctx = r.clause(item, src, about, ctx)
			}
			continue
		}
		ctx = r.clause(clause, src, about, ctx)
	}
}

// clause reads one clause and returns the row context for the next.
func (r *reader) clause(text, src string, about context, ctx report.Row) report.Row {
	key := normalize.NoSpace(normalize.Simplified(normalize.Width(text)))
	t, named := match(key)
	if named && t.row != "" {
		ctx = t.row
	}
	cs := counts(key)
	raw := strings.TrimSpace(text)
	if len(cs) == 0 {
		r.zero(raw, key, src, about)
		return ctx
	}
	if len(cs) > 1 {
		if named {
			r.unplaced(t, src, raw, "several counts in one clause")
		}
		return ctx
	}
	col, colOK := column(key)
	if !named {
		if col == report.ColTotal || ctx == "" {
			return ctx // a count of something else ("培训3次")
		}
		t = target{row: ctx}
	}
	if !colOK {
		r.unplaced(t, src, raw, "the organisations' count, which the table splits five ways")
		return ctx
	}
	r.place(t, col, cs[0].value, raw, src, about)
	return ctx
}

// zero reads a clause without counts that states there was nothing: a negation
// before what did not happen ("未收到政府信息公开申请", "未发生…行政复议、行政诉讼").
func (r *reader) zero(raw, key, src string, about context) {
	for _, z := range zeroStatements {
		neg := firstIndex(key, z.neg)
		what := firstIndex(key, z.what)
		if neg >= 0 && what > neg {
			r.place(z.t, report.ColTotal, 0, raw, src, about)
		}
	}
}

// place sets the cell a count names, once.
func (r *reader) place(t target, col report.Col, v float64, raw, src string, about context) {
	switch {
	case t.group != "":
		r.unplaced(t, src, raw, "the total of "+t.group+", which has no cell of its own")
	case t.review != "":
		if about.review && col == report.ColTotal {
			r.setReview(t.review, v, raw, src)
		}
	case t.litigation:
		switch {
		case !about.review || col != report.ColTotal:
		case v == 0:
			r.setReview(report.GroupLitigationDirect, 0, raw, src)
			r.setReview(report.GroupLitigationAfterReview, 0, raw, src)
		default:
			r.unplaced(t, src, raw, "行政诉讼 not split into 未经复议直接起诉 and 复议后起诉")
		}
	case t.row == report.RowNewReceived || about.requests:
		r.setApp(t.row, col, v, raw, src)
	}
}

func (r *reader) setApp(row report.Row, col report.Col, v float64, raw, src string) {
	if old := r.res.Applications.Get(row, col); !old.IsZero() {
		if old.Value != v {
			r.second(report.CellAddr(row, col), old, raw, src)
		}
		return
	}
	r.res.Applications.Set(row, col, report.Cell{State: report.StateNumber, Value: v, Raw: raw, Src: src})
	r.res.Cells[labels.SectionRequests]++
}

func (r *reader) setReview(g report.ReviewGroup, v float64, raw, src string) {
	if old := r.res.Review.Get(g, report.OutcomeTotal); !old.IsZero() {
		if old.Value != v {
			r.second(report.ReviewAddr(g, report.OutcomeTotal), old, raw, src)
		}
		return
	}
	r.res.Review.Set(g, report.OutcomeTotal, report.Cell{State: report.StateNumber, Value: v, Raw: raw, Src: src})
	r.res.Cells[labels.SectionReview]++
}

// second reports a sentence that states another value for a cell already read.
func (r *reader) second(addr string, old report.Cell, raw, src string) {
	r.res.Unplaced = append(r.res.Unplaced, sections.Unplaced{
		Section: labels.SectionRequests,
		Reason:  fmt.Sprintf("prose states a second value for %s (kept %s from %s)", addr, old.String(), old.Src),
		Srcs:    []string{src}, Raws: []string{raw},
	})
}

func (r *reader) unplaced(t target, src, raw, why string) {
	section := labels.SectionRequests
	if t.review != "" || t.litigation {
		section = labels.SectionReview
	}
	r.res.Unplaced = append(r.res.Unplaced, sections.Unplaced{
		Section: section, Reason: "prose: " + why, Srcs: []string{src}, Raws: []string{raw},
	})
}

// split cuts s at every rune sep reports, dropping empty pieces; a ',' between two
// digits is a thousands separator, not a cut.
func split(s string, sep func(rune) bool) []string {
	var out []string
	start := 0
	var prev rune
	for i, r := range s {
		if sep(r) && !(r == ',' && isDigit(prev) && i+1 < len(s) && isDigit(rune(s[i+1]))) {
			if t := strings.TrimSpace(s[start:i]); t != "" {
				out = append(out, t)
			}
			start = i + len(string(r))
		}
		prev = r
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// firstIndex returns the first index in s of any of words, or -1.
func firstIndex(s string, words []string) int {
	best := -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}
