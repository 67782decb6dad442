package extractor

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/govreport/govreport/extractor/normalize"
	"github.com/govreport/govreport/extractor/sections"
	"github.com/govreport/govreport/pkg/report"
)

// assemble builds the record: metadata, the cells found, every cell the template
// expects that was not found marked missing, the extractor's findings (missing
// cells, text cells, unplaced values), the rules R1–R4, and a confidence.
func assemble(d document, in Input, now time.Time) *report.Record {
	rec := report.New()
	res := d.sections
	rec.Applications, rec.Review, rec.Disclosure = res.Applications, res.Review, res.Disclosure

	body := bodyFromTitle(d.title)
	if body == "" {
		body = normalize.Space(d.meta["ContentSource"])
	}
	rec.Meta = report.Meta{
		DocID:         docID(in.URL),
		SourceURL:     in.URL,
		Site:          in.Site.ID,
		Body:          body,
		Title:         d.title,
		Year:          yearOf(d.title, d.lines, now),
		Level:         levelOf(body, in.Site),
		Region:        region(in.Site),
		PublishedAt:   publishedAt(d.meta, d.dated, d.lines),
		FetchedAt:     in.FetchedAt,
		ContentSHA256: in.SHA256,
		ParserVersion: Version,
		ExtractedAt:   now,
		SiteIDCode:    d.meta["SiteIDCode"],
		PageMeta:      d.meta,
	}

	place(defaultPlacer(), rec, openingText(d.lines, placementText))

	rec.Template = res.Template()
	if res.Total() == 0 || d.byProse {
		rec.Template = report.TemplateLegacy
	}
	missing := markMissing(rec, res)
	rec.Findings = append(rec.Findings, missing...)
	rec.Findings = append(rec.Findings, report.TextCells(rec)...)
	for _, u := range res.Unplaced {
		rec.Findings = append(rec.Findings, report.Finding{
			Rule: report.RuleUnplaced, Severity: report.SeverityWarning, Status: report.StatusFlagged,
			Scope: fmt.Sprintf("section:%d", u.Section), Cells: []string{}, Message: "values not placed: " + u.String(),
		})
	}
	rec.Findings = append(rec.Findings, report.Check(rec)...)
	rec.Confidence = confidence(rec, res, d.fromText)
	if d.byProse {
		rec.Confidence = math.Round(rec.Confidence*proseConfidence*1000) / 1000
	}
	return rec
}

// expectedRows are the application rows the record should hold.
func expectedRows(rec *report.Record) []report.Row {
	switch rec.Template {
	case report.TemplateLegacy:
		return nil
	case report.Template2019, report.Template2021:
		return report.Rows(rec.Template)
	}
	var out []report.Row
	has2021 := false
	for _, r := range report.OtherRows2021 {
		has2021 = has2021 || rec.Applications.HasRow(r)
	}
	for _, r := range report.AllRows {
		switch {
		case r == report.RowOther && (has2021 || !rec.Applications.HasRow(r)):
		case (r == report.RowOtherNoCorrection || r == report.RowOtherNoFeePaid || r == report.RowOtherOther) && !has2021:
		default:
			out = append(out, r)
		}
	}
	return out
}

// markMissing sets every expected cell that was not found to missing, and returns
// one missing-cell finding per row, group or item.
func markMissing(rec *report.Record, res *sections.Result) []report.Finding {
	var out []report.Finding
	add := func(scope string, addrs []string) {
		if len(addrs) == 0 {
			return
		}
		out = append(out, report.Finding{
			Rule: report.RuleMissingCell, Severity: report.SeverityWarning, Status: report.StatusFlagged,
			Scope: scope, Cells: addrs,
			Message: fmt.Sprintf("%d cell(s) of the template not found: %s", len(addrs), strings.Join(addrs, ", ")),
		})
	}
	for _, r := range expectedRows(rec) {
		var addrs []string
		for _, c := range report.Cols {
			if rec.Applications.Get(r, c).IsZero() {
				rec.Applications.Set(r, c, report.Missing())
				addrs = append(addrs, report.CellAddr(r, c))
			}
		}
		add("row:"+string(r), addrs)
	}
	if rec.Template != report.TemplateLegacy {
		for _, g := range report.ReviewGroups {
			var addrs []string
			for _, o := range report.Outcomes {
				if rec.Review.Get(g, o).IsZero() {
					rec.Review.Set(g, o, report.Missing())
					addrs = append(addrs, report.ReviewAddr(g, o))
				}
			}
			add("group:"+string(g), addrs)
		}
	}
	expected := append([]report.ItemMetric{}, res.ExpectedDisclosure...)
	if rec.Template == report.Template2019 || rec.Template == report.Template2021 {
		for _, im := range report.DisclosureLayout(rec.Template) {
			if !containsIM(expected, im) {
				expected = append(expected, im)
			}
		}
	}
	for _, it := range report.Items {
		var addrs []string
		for _, im := range expected {
			if im.Item == it && rec.Disclosure.Get(im.Item, im.Metric).IsZero() {
				rec.Disclosure.Set(im.Item, im.Metric, report.Missing())
				addrs = append(addrs, report.DisclosureAddr(im.Item, im.Metric))
			}
		}
		add("item:"+string(it), addrs)
	}
	return out
}

func containsIM(xs []report.ItemMetric, x report.ItemMetric) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// proseConfidence scales the confidence of counts read from sentences: a sentence
// is read by its phrases, never checked against a printed table.
const proseConfidence = 0.5

// confidence grades the extraction in [0,1]: 1 for a fully labelled table, times 0.9
// when read from text, lowered by the share of missing cells (up to half), of cells
// placed by position (up to a third) and by unplaced values (0.05 each, at most
// 0.2). A record with no statistics at all (legacy prose) gets 0.
func confidence(rec *report.Record, res *sections.Result, fromText bool) float64 {
	total, missing, positional := 0, 0, 0
	count := func(c report.Cell) {
		total++
		switch {
		case c.State == report.StateMissing:
			missing++
		case c.ByPosition:
			positional++
		}
	}
	for _, cols := range rec.Applications {
		for _, c := range cols {
			count(c)
		}
	}
	for _, outs := range rec.Review {
		for _, c := range outs {
			count(c)
		}
	}
	for _, ms := range rec.Disclosure {
		for _, c := range ms {
			count(c)
		}
	}
	if total == 0 || missing == total {
		return 0
	}
	c := 1.0
	if fromText {
		c = 0.9
	}
	c *= 1 - 0.5*float64(missing)/float64(total)
	c *= 1 - 0.33*float64(positional)/float64(total)
	c -= 0.05 * math.Min(float64(len(res.Unplaced)), 4)
	return math.Round(math.Max(c, 0)*1000) / 1000
}

// placementText bounds the text the region resolver reads: the opening of a report
// (title, body, the overview that names its place) is where places are named.
const placementText = 4 << 10

// openingText joins lines until about max bytes.
func openingText(lines []string, max int) string {
	var b strings.Builder
	for _, l := range lines {
		if b.Len()+len(l) > max {
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
