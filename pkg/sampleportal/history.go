package sampleportal

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// Anomalies planted across reports with Config.HistoryAnomalies: the names of the
// cross-report rules that must raise them (alerter/history).
const (
	PlantedCarryOver   = string(report.RuleR5) // 上年结转 ≠ last year's 结转下年度
	PlantedJump        = "jump"                // applications twelve times last year's
	PlantedPeerOutlier = "peer_outlier"        // a township with about a thousand requests
	PlantedCopy        = "copy"                // another body's tables, published later
	PlantedMissing     = "missing"             // a body that reported last year and not this year
)

// historyStream is the PCG stream of the history anomalies' choices.
const historyStream = 0x4157_0000_0000

// peerGroupMin is the smallest group of townships of one province the peer outlier
// is planted in (alerter/history's default peer_outlier.min_group).
const peerGroupMin = 8

// PlantedHistory is one anomaly planted across reports, in the last year.
type PlantedHistory struct {
	// Rule names the anomaly (PlantedCarryOver …).
	Rule string `json:"rule"`
	// Body and Year name the report the anomaly is in, or, for a missing report,
	// the body and the year it did not report; DocID is that report's (a missing
	// report: the body's report of the year before).
	Body  string `json:"body"`
	Year  int    `json:"year"`
	DocID string `json:"doc_id"`
	// Cols are the columns whose 上年结转 was broken (PlantedCarryOver).
	Cols []report.Col `json:"cols,omitempty"`
	// Received is the planted count of applications (PlantedJump,
	// PlantedPeerOutlier).
	Received int64 `json:"received,omitempty"`
	// Original is the report a copy was made from (PlantedCopy).
	Original     string `json:"original,omitempty"`
	OriginalYear int    `json:"original_year,omitempty"`
	OriginalID   string `json:"original_doc_id,omitempty"`

	doc, orig *reportDoc
}

// ExpectedHistory returns the history anomalies planted (Config.HistoryAnomalies),
// one of each, for a portal served at baseURL; nil when none were planted. Nothing
// else in such a portal breaks a cross-report rule: bodies' applications vary
// within 0.8–1.25 times their first year's, carry-overs and stocks follow from
// year to year, every report is published on time, and body names stay
// simplified.
func (p *Portal) ExpectedHistory(baseURL string) []PlantedHistory {
	var out []PlantedHistory
	for _, h := range p.history {
		h.Cols = slices.Clone(h.Cols)
		_, h.DocID = absURL(baseURL, h.doc.recordPath())
		if h.orig != nil {
			_, h.OriginalID = absURL(baseURL, h.orig.recordPath())
		}
		h.doc, h.orig = nil, nil
		out = append(out, h)
	}
	return out
}

// historyBody is a body with its reports by year.
type historyBody struct {
	site *site
	body *body
	docs map[int]*reportDoc
}

// plantHistory plants the history anomalies in the last year (see Config).
func (p *Portal) plantHistory(h *rand.Rand) error {
	y := slices.Max(p.cfg.Years)
	var all []*historyBody
	for _, s := range p.sites {
		byBody := map[*body]*historyBody{}
		for _, d := range s.reports {
			hb := byBody[d.body]
			if hb == nil {
				hb = &historyBody{site: s, body: d.body, docs: map[int]*reportDoc{}}
				byBody[d.body] = hb
				all = append(all, hb)
			}
			hb.docs[d.year] = d
		}
	}
	used := map[*historyBody]bool{}
	pick := func(role string, ok func(*historyBody) bool) (*historyBody, error) {
		var cands []*historyBody
		for _, hb := range all {
			if !used[hb] && ok(hb) {
				cands = append(cands, hb)
			}
		}
		if len(cands) == 0 {
			return nil, fmt.Errorf("sampleportal: history_anomalies: no body for the %s in %d: raise sites or reports_per_site", role, y)
		}
		hb := cands[h.IntN(len(cands))]
		used[hb] = true
		return hb, nil
	}
	both := func(hb *historyBody) bool { return hb.docs[y-1] != nil && hb.docs[y] != nil }
	isLevel := func(l report.Level) func(*historyBody) bool {
		return func(hb *historyBody) bool { return hb.body.level == l }
	}

	// The peer outlier: a township of the largest group of townships of one
	// province, reporting for the first time, with about a thousand requests.
	groups := map[string]int{}
	for _, hb := range all {
		if hb.body.level == report.LevelTownship && hb.docs[y] != nil {
			groups[hb.site.div.Province]++
		}
	}
	province := ""
	for pr, n := range groups {
		if n >= peerGroupMin && (n > groups[province] || n == groups[province] && pr < province) {
			province = pr
		}
	}
	if province == "" {
		return fmt.Errorf("sampleportal: history_anomalies: no province with %d townships reporting in %d: raise sites or reports_per_site", peerGroupMin, y)
	}
	outlier, err := pick("peer outlier", func(hb *historyBody) bool {
		return hb.body.level == report.LevelTownship && hb.docs[y] != nil && hb.site.div.Province == province
	})
	if err != nil {
		return err
	}
	// The jump: a county government twelve times last year's requests.
	jump, err := pick("jump", func(hb *historyBody) bool { return isLevel(report.LevelCounty)(hb) && both(hb) })
	if err != nil {
		return err
	}
	// The broken carry-over: any body reporting both years.
	carry, err := pick("carry-over", func(hb *historyBody) bool { return both(hb) && hb.body.level != report.LevelTownship })
	if err != nil {
		return err
	}
	// The copy: a department publishes another department's tables, a day or more
	// later. Both pages print blanks the same way (flat or not) and neither is in
	// traditional characters, so the copied cells read on the copy's page as on
	// the original's.
	orig, err := pick("copied original", func(hb *historyBody) bool {
		return isLevel(report.LevelDepartment)(hb) && hb.docs[y] != nil && nonEmptyCells(hb.docs[y].rec) >= 12 && !hb.docs[y].layout.traditional
	})
	if err != nil {
		return err
	}
	cp, err := pick("copy", func(hb *historyBody) bool {
		d := hb.docs[y]
		return isLevel(report.LevelDepartment)(hb) && d != nil && !d.layout.traditional &&
			d.layout.form.flat() == orig.docs[y].layout.form.flat()
	})
	if err != nil {
		return err
	}
	// The missing report: a department that reported last year.
	missing, err := pick("missing report", func(hb *historyBody) bool { return isLevel(report.LevelDepartment)(hb) && both(hb) })
	if err != nil {
		return err
	}

	drop := map[*reportDoc]bool{}
	// Bodies that report for the first time have no earlier reports.
	for _, hb := range []*historyBody{outlier, cp} {
		for yy, d := range hb.docs {
			if yy < y {
				drop[d] = true
			}
		}
	}

	d := carry.docs[y]
	k := between(h, 2, 4)
	for _, row := range []report.Row{report.RowCarriedOver, report.RowCarriedForward} {
		for _, c := range []report.Col{report.ColNaturalPerson, report.ColTotal} {
			addCount(d.rec, row, c, k) // R1 still holds: both sides grow by k
		}
	}
	refind(d.rec)
	p.history = append(p.history, PlantedHistory{Rule: PlantedCarryOver, Body: d.rec.Meta.Body, Year: y,
		Cols: []report.Col{report.ColNaturalPerson, report.ColTotal}, doc: d})

	d = jump.docs[y]
	last := received(jump.docs[y-1].rec)
	target := max(12*last, 40)
	addRequests(d.rec, target-received(d.rec))
	p.history = append(p.history, PlantedHistory{Rule: PlantedJump, Body: d.rec.Meta.Body, Year: y, Received: target, doc: d})

	d = outlier.docs[y]
	target = between(h, 900, 1200)
	addRequests(d.rec, target-received(d.rec))
	p.history = append(p.history, PlantedHistory{Rule: PlantedPeerOutlier, Body: d.rec.Meta.Body, Year: y, Received: target, doc: d})

	src, dst := orig.docs[y], cp.docs[y]
	copyTables(dst.rec, src.rec)
	dst.planted = src.planted
	if next := src.pub.AddDate(0, 0, 1); dst.pub.Before(next) {
		dst.pub = time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, cst).Add(officeTime(h))
	}
	p.history = append(p.history, PlantedHistory{Rule: PlantedCopy, Body: dst.rec.Meta.Body, Year: y,
		Original: src.rec.Meta.Body, OriginalYear: y, doc: dst, orig: src})

	drop[missing.docs[y]] = true
	p.history = append(p.history, PlantedHistory{Rule: PlantedMissing, Body: missing.body.name, Year: y, doc: missing.docs[y-1]})

	for _, s := range p.sites {
		s.reports = slices.DeleteFunc(s.reports, func(d *reportDoc) bool { return drop[d] })
	}
	return nil
}

// received returns a record's 本年新收 总计.
func received(rec *report.Record) int64 {
	v, _ := rec.Applications.Get(report.RowNewReceived, report.ColTotal).Num()
	return int64(v)
}

// nonEmptyCells counts the non-zero numbers and texts of a record's tables,
// leaving out the totals (the 总计 column and row, section 四's 总计) as
// alerter/history's copy rule does.
func nonEmptyCells(rec *report.Record) int {
	n := 0
	count := func(c report.Cell) {
		if c.State == report.StateText || c.State == report.StateNumber && c.Value != 0 {
			n++
		}
	}
	for row, cols := range rec.Applications {
		for col, c := range cols {
			if row != report.RowTotal && col != report.ColTotal {
				count(c)
			}
		}
	}
	for _, outs := range rec.Review {
		for o, c := range outs {
			if o != report.OutcomeTotal {
				count(c)
			}
		}
	}
	for _, ms := range rec.Disclosure {
		for _, c := range ms {
			count(c)
		}
	}
	return n
}

// addCount adds k to an application cell (a blank counts as 0).
func addCount(rec *report.Record, row report.Row, col report.Col, k int64) {
	v, _ := rec.Applications.Get(row, col).Num()
	n := int64(v) + k
	rec.Applications.Set(row, col, report.Cell{State: report.StateNumber, Value: float64(n), Raw: strconv.FormatInt(n, 10)})
}

// addRequests adds n requests by natural persons, all processed: received, the
// outcome rows (split by the outcome weights, largest remainders first) and the
// total grow together, so R1–R4 hold as they did.
func addRequests(rec *report.Record, n int64) {
	if n <= 0 {
		return
	}
	rows := outcomeRows(rec.Template)
	weight := 0
	for _, r := range rows {
		weight += outcomeWeight[r]
	}
	shares := make([]int64, len(rows))
	type rem struct {
		i int
		r int64
	}
	var rems []rem
	left := n
	for i, r := range rows {
		w := int64(outcomeWeight[r])
		shares[i] = n * w / int64(weight)
		left -= shares[i]
		rems = append(rems, rem{i, n * w % int64(weight)})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for j := int64(0); j < left; j++ {
		shares[rems[j].i]++
	}
	for _, c := range []report.Col{report.ColNaturalPerson, report.ColTotal} {
		addCount(rec, report.RowNewReceived, c, n)
		addCount(rec, report.RowTotal, c, n)
		for i, r := range rows {
			if shares[i] > 0 {
				addCount(rec, r, c, shares[i])
			}
		}
	}
	refind(rec)
}

// copyTables replaces dst's three tables with copies of src's.
func copyTables(dst, src *report.Record) {
	c := cloneRecord(src)
	dst.Template = c.Template
	dst.Applications, dst.Review, dst.Disclosure = c.Applications, c.Review, c.Disclosure
	refind(dst)
}

// refind recomputes a record's findings after its cells changed.
func refind(rec *report.Record) {
	rec.Findings = append(report.TextCells(rec), report.Check(rec)...)
	if rec.Findings == nil {
		rec.Findings = []report.Finding{}
	}
}
