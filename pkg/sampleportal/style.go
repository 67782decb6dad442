package sampleportal

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// style is how one site's CMS renders pages. Sites differ the way real portals do;
// a site keeps its style on every page.
type style struct {
	// zoom puts the article in <div id="zoom"> (Hanweb) instead of
	// <div class="TRS_Editor"> (TRS).
	zoom bool
	// declareSelector makes the site definition name the content selector.
	declareSelector bool
	// wrap puts every table cell's text in <p><span>…</span></p>, as Word exports do.
	wrap bool
	// nbsp prints an empty cell as &nbsp;.
	nbsp bool
	// tdAttrs gives cells width, style and valign attributes.
	tdAttrs bool
	// flatReviewHeader prints section 四's header as a row of 15 outcome labels
	// under a spacer, instead of the template's rowspan="2" labels for 行政复议.
	flatReviewHeader bool
	// thousands prints counts of 1000 and more with separators (1,234).
	thousands bool
	// relativeLinks makes list pages link articles relatively (../../art/…).
	relativeLinks bool
	// hanwebList lays out list pages as Hanweb's table-like divs instead of a <ul>.
	hanwebList bool
	// headingTag prints section headings as <h3> instead of <p><strong>.
	headingTag bool
}

func pickStyle(r *rand.Rand) style {
	return style{
		zoom:             chance(r, 0.5),
		declareSelector:  chance(r, 0.5),
		wrap:             chance(r, 0.4),
		nbsp:             chance(r, 0.5),
		tdAttrs:          chance(r, 0.5),
		flatReviewHeader: chance(r, 0.3),
		thousands:        chance(r, 0.3),
		relativeLinks:    chance(r, 0.5),
		hanwebList:       chance(r, 0.4),
		headingTag:       chance(r, 0.3),
	}
}

// contentSelector is the CSS selector of the article body.
func (s style) contentSelector() string {
	if s.zoom {
		return "#zoom"
	}
	return ".TRS_Editor"
}

// cellFormat is how one report prints its numbers: whether zeros are left blank and
// with what, and whether large counts carry thousands separators.
type cellFormat struct {
	blank     string  // the text of a blank cell: "/", "", "—" or "无"
	blankP    float64 // probability that a zero is printed blank (0: zeros print "0")
	thousands bool
}

var blankTokens = []string{"/", "", "—", "无"}

func pickFormat(r *rand.Rand, st style) cellFormat {
	f := cellFormat{thousands: st.thousands}
	if chance(r, 0.5) {
		f.blank = blankTokens[r.IntN(len(blankTokens))]
		f.blankP = []float64{0.3, 0.7, 1}[r.IntN(3)]
	}
	return f
}

// count prints a count, or a blank for some zeros.
func (f cellFormat) count(r *rand.Rand, n int64) report.Cell {
	if n == 0 && f.blankP > 0 && chance(r, f.blankP) {
		return report.Blank(f.blank)
	}
	return report.Cell{State: report.StateNumber, Value: float64(n), Raw: f.digits(n)}
}

// value prints a section 二 value.
func (f cellFormat) value(r *rand.Rand, d dvalue) report.Cell {
	if d.zero() && f.blankP > 0 && chance(r, f.blankP) {
		return report.Blank(f.blank)
	}
	switch {
	case d.money && d.zero():
		return report.Cell{State: report.StateNumber, Raw: "0", Unit: d.unit}
	case d.money:
		return amountCell(d.amt, d.unit, d.suffix)
	case d.signed && d.n > 0:
		return report.Cell{State: report.StateNumber, Value: float64(d.n), Raw: "+" + f.digits(d.n)}
	case d.signed && d.n < 0:
		return report.Cell{State: report.StateNumber, Value: float64(d.n), Raw: "-" + f.digits(-d.n)}
	}
	return report.Cell{State: report.StateNumber, Value: float64(d.n), Raw: f.digits(d.n)}
}

// digits prints a non-negative integer, with thousands separators when the format
// asks for them.
func (f cellFormat) digits(n int64) string {
	s := strconv.FormatInt(n, 10)
	if !f.thousands || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// textCells are the words some reports write in a section 二 cell.
var textCells = []string{"见附件", "详见附表"}
