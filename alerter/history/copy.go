package history

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/govreport/govreport/alerter/alert"
)

// copyDoc is a report as the copy rule sees it.
type copyDoc struct {
	d     *doc
	vec   []token // sorted non-empty cells; nil when fewer than copy.min_nonzero
	fp    uint64
	order int
	// stamp marks the last report whose candidates included this one.
	stamp int
}

// copyEarlier orders reports for the copy rule: the later of two similar reports
// is the copy. Later means a later report year, then a later publication date (an
// unknown date after every known one), then the larger doc_id.
func copyEarlier(a, b *doc) bool {
	if a.year != b.year {
		return a.year < b.year
	}
	if pa, pb := a.published.IsZero(), b.published.IsZero(); pa != pb {
		return !pa
	}
	if !a.published.Equal(b.published) {
		return a.published.Before(b.published)
	}
	return a.id < b.id
}

// copyAllowed says whether report x may be a copy of the earlier report y: another
// body's report of any year, or the same body's report of the year before.
func copyAllowed(x, y *doc) bool {
	if x.bodyKey == "" || y.bodyKey == "" {
		return x.id != y.id
	}
	return x.bodyKey != y.bodyKey || y.year == x.year-1
}

// copyMatch is the original chosen for a copy.
type copyMatch struct {
	x, y        *copyDoc
	same, cells int
	sim         float64
	identical   bool // the same document (content hash), whatever its cells
}

// better says whether m beats o: higher similarity, then the earlier original.
func (m *copyMatch) better(o *copyMatch) bool {
	if o == nil {
		return true
	}
	if m.sim != o.sim {
		return m.sim > o.sim
	}
	if m.identical != o.identical {
		return m.identical
	}
	return m.y.order < o.y.order
}

// copies finds, for every report of the evaluated years, the earliest most similar
// earlier report it may copy (see copyAllowed), and raises one alert per copy: a
// pair is alerted once, on its later report (see copyEarlier). Two reports are
// similar when their vectors agree on at least copy.similarity of their non-empty
// cells, both having at least copy.min_nonzero (totals not counted); two documents with the same
// content hash under different bodies are copies whatever they hold.
//
// Every report of every year is read, as a sorted vector of tokens. Identical
// vectors are grouped by fingerprint, and only the earliest of each group is
// indexed; near-identical ones are found by prefix filtering on the tokens ordered
// rarest first (see doc.go). Reports are visited in copy order, each probing the
// index of the reports before it, so a candidate is always an earlier report.
func (e *evaluator) copies(ctx context.Context, q Querier, db string) error {
	byDoc := make(map[*doc][]token, len(e.ds.docs))
	err := loadVectors(ctx, q, db, e.ds, func(d *doc, tokens []token) {
		byDoc[d] = append(byDoc[d], tokens...)
	})
	if err != nil {
		return err
	}
	docs := make([]*copyDoc, len(e.ds.docs))
	for i, d := range e.ds.docs {
		docs[i] = &copyDoc{d: d}
		if v := normalize(byDoc[d]); independent(v) >= e.cfg.Copy.MinNonzero {
			docs[i].vec = v
			e.stats.Vectors++
			e.stats.Tokens += len(v)
		}
		delete(byDoc, d)
	}
	target := map[int]bool{}
	for _, y := range e.years {
		target[y] = true
	}
	matches, candidates := matchCopies(docs, target, e.cfg.Copy.Similarity)
	e.stats.Candidates += candidates
	return e.copyAlerts(ctx, q, db, matches)
}

// matchCopies finds, for every report of a target year, the best earlier report
// it may copy (see copies), and counts the pairs whose similarity it computed.
// A report's vec is nil when it is too small to compare. docs are not modified
// apart from their bookkeeping fields.
func matchCopies(docs []*copyDoc, target map[int]bool, similarityMin float64) (matches []*copyMatch, candidates int) {
	docs = slices.Clone(docs)
	total := 0
	for _, c := range docs {
		c.stamp = -1
		if c.vec != nil {
			c.fp = fingerprint(c.vec)
			total += len(c.vec)
		}
	}
	sort.SliceStable(docs, func(i, j int) bool { return copyEarlier(docs[i].d, docs[j].d) })
	cm := newCountMin(max(1<<12, min(1<<22, total/2)))
	for i, c := range docs {
		c.order = i
		for _, t := range c.vec {
			cm.add(t)
		}
	}

	t := jaccardBound(similarityMin)
	var (
		index = map[token][]*copyDoc{} // prefix token → earliest report of each fingerprint
		byFP  = map[uint64][]*copyDoc{}
		bySHA = map[string][]*copyDoc{}
	)
	for _, x := range docs {
		var prefix []token
		if x.vec != nil {
			prefix = cm.prefix(x.vec, t)
		}
		if target[x.d.year] {
			var best *copyMatch
			if x.d.sha != "" {
				for _, y := range bySHA[x.d.sha] {
					if y.d.bodyKey != x.d.bodyKey && copyAllowed(x.d, y.d) {
						best = &copyMatch{x: x, y: y, sim: 1, identical: true}
						break
					}
				}
			}
			if x.vec != nil {
				for _, y := range byFP[x.fp] {
					if copyAllowed(x.d, y.d) && slices.Equal(x.vec, y.vec) {
						if m := (&copyMatch{x: x, y: y, same: len(x.vec), cells: len(x.vec), sim: 1}); m.better(best) {
							best = m
						}
						break
					}
				}
				for _, tok := range prefix {
					for _, y := range index[tok] {
						if y.stamp == x.order {
							continue
						}
						y.stamp = x.order
						if n, m := float64(len(x.vec)), float64(len(y.vec)); m < t*n-1e-9 || n < t*m-1e-9 {
							continue
						}
						candidates++
						same, union, sim := similarity(x.vec, y.vec)
						if sim < similarityMin-1e-12 {
							continue
						}
						orig := y
						if !copyAllowed(x.d, y.d) {
							// Another report with the same cells may be allowed.
							orig = nil
							for _, z := range byFP[y.fp] {
								if copyAllowed(x.d, z.d) && slices.Equal(z.vec, y.vec) {
									orig = z
									break
								}
							}
							if orig == nil {
								continue
							}
						}
						if m := (&copyMatch{x: x, y: orig, same: same, cells: union, sim: sim}); m.better(best) {
							best = m
						}
					}
				}
			}
			if best != nil {
				matches = append(matches, best)
			}
		}
		if x.vec != nil {
			if cls := byFP[x.fp]; len(cls) == 0 || !slices.Equal(cls[0].vec, x.vec) {
				for _, tok := range prefix {
					index[tok] = append(index[tok], x)
				}
			}
			byFP[x.fp] = append(byFP[x.fp], x)
		}
		if x.d.sha != "" {
			bySHA[x.d.sha] = append(bySHA[x.d.sha], x)
		}
	}
	return matches, candidates
}

// maxDiffs bounds the differing cells an alert's message names.
const maxDiffs = 5

// copyAlerts writes the alerts of the copies found, naming the cells in which a
// near-identical copy differs from its original.
func (e *evaluator) copyAlerts(ctx context.Context, q Querier, db string, matches []*copyMatch) error {
	var ids []string
	for _, m := range matches {
		if m.sim < 1 {
			ids = append(ids, m.x.d.id, m.y.d.id)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cells, err := loadCells(ctx, q, db, e.ds, ids)
	if err != nil {
		return err
	}
	for _, m := range matches {
		x, y := m.x.d, m.y.d
		al := e.newAlert(RuleCopy, alert.SeverityWarning, x, scopeTables,
			x.evidenceVersion(), y.evidenceVersion(), fmt.Sprintf("%.4f", m.sim))
		al.Version = max(x.version, y.version)
		al.Related = []alert.Related{related(y)}
		al.Evidence = map[string]float64{"similarity": round4(m.sim), "same_cells": float64(m.same), "cells": float64(m.cells)}
		zh, en := who(x)
		other := fmt.Sprintf("%s%d年度报告", y.body, y.year)
		otherEN := fmt.Sprintf("%s's report for %d", y.body, y.year)
		if y.bodyKey == x.bodyKey {
			other, otherEN = fmt.Sprintf("本机关%d年度报告", y.year), fmt.Sprintf("its own report for %d", y.year)
		}
		switch {
		case m.identical:
			al.Evidence = map[string]float64{"similarity": 1, "identical_document": 1}
			al.MessageZH = fmt.Sprintf("%s与%s是同一文件（内容哈希相同）。", zh, other)
			al.MessageEN = fmt.Sprintf("%s is the same document as %s (same content hash).", en, otherEN)
		case m.sim == 1:
			al.MessageZH = fmt.Sprintf("%s的统计表与%s完全相同（%d个非零单元格全部一致）。", zh, other, m.cells)
			al.MessageEN = fmt.Sprintf("%s: its tables are identical to %s (all %d non-empty cells).", en, otherEN, m.cells)
		default:
			diffs := diffCells(cells[x.id], cells[y.id])
			var dzh, den []string
			for _, k := range diffs {
				addr := k[1:]
				al.Cells = append(al.Cells, addr)
				al.CellValues = append(al.CellValues, valueOr0(cells[x.id], k))
				if len(dzh) < maxDiffs {
					dzh = append(dzh, fmt.Sprintf("%s为%s（对方%s）", addr, valueOr0(cells[x.id], k), valueOr0(cells[y.id], k)))
					den = append(den, fmt.Sprintf("%s %s (theirs %s)", addr, valueOr0(cells[x.id], k), valueOr0(cells[y.id], k)))
				}
			}
			more, moreEN := "", ""
			if len(diffs) > maxDiffs {
				more, moreEN = "等", ", …"
			}
			al.MessageZH = fmt.Sprintf("%s的统计表与%s高度相似：%d个非零单元格中%d个相同（相似度%s），仅%s%s不同。",
				zh, other, m.cells, m.same, pct(m.sim), strings.Join(dzh, "、"), more)
			al.MessageEN = fmt.Sprintf("%s: its tables are near-identical to %s: %d of %d non-empty cells agree (%s); they differ only in %s%s.",
				en, otherEN, m.same, m.cells, pct(m.sim), strings.Join(den, ", "), moreEN)
		}
		e.out = append(e.out, al)
	}
	return nil
}

// diffCells returns the addresses (with their table prefix) whose values differ
// between two reports' non-empty cells, in template order.
func diffCells(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ai, aj := addrOfKey(out[i]), addrOfKey(out[j])
		if ai != aj {
			return ai < aj
		}
		return out[i] < out[j]
	})
	return out
}

func addrOfKey(k string) uint16 {
	if a, ok := addrs[k]; ok {
		return a
	}
	return 0xffff
}

// valueOr0 returns a cell's value, "0" when it is not among the non-empty cells.
func valueOr0(cells map[string]string, k string) string {
	if v, ok := cells[k]; ok {
		return v
	}
	return "0"
}
