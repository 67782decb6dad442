package sampleportal

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Layout names one way real portals lay out a report's statistics. A report has
// exactly one form (how its tables are printed) and any of the variations.
type Layout string

// Forms: how a report's three statistics tables are printed.
const (
	// LayoutTables prints one HTML table per section, as a TRS/Hanweb editor
	// does: the template's rowspans and colspans, site-styled cells.
	LayoutTables Layout = "tables"
	// LayoutOneTable prints one 15-column table for sections 二, 三 and 四, with the
	// section headings as full-width rows (UCAP style).
	LayoutOneTable Layout = "one_table"
	// LayoutWord prints Word-exported HTML: MsoNormal paragraphs with spans and
	// fonts in every cell, numbers split across tags, header words split by <br>,
	// a finer column grid whose header and data rows use different spans, &nbsp;
	// in empty paragraphs and Word's spacer row under each table.
	LayoutWord Layout = "word"
	// LayoutLines flattens the tables to one cell per line, after a tab, rows
	// separated by empty lines (seed 000), or with an empty line after every cell.
	LayoutLines Layout = "lines"
	// LayoutTabs flattens each table row to one line of tab-separated cells
	// (seed 003); in HTML the block is a <pre>.
	LayoutTabs Layout = "tabs"
	// LayoutPipes flattens the tables with "|": cells followed by a "|" alone on
	// a line and runs of "|" for merged cells (seed 001), or a row per line with
	// "|" between its cells; headers may be truncated ("本年新 |本年新 |").
	LayoutPipes Layout = "pipes"
)

// Variations applied over a form.
const (
	// LayoutText serves a flattened report as a text/plain document (a .txt
	// file linked from the report column) instead of an HTML page.
	LayoutText Layout = "text"
	// LayoutTraditional prints the article in traditional characters: the
	// document a body typed in traditional characters, pasted into a simplified
	// CMS (seed 001), or the whole page, chrome, <title> and <meta> tags
	// included, as a portal's 繁體 version serves it.
	LayoutTraditional Layout = "traditional"
	// LayoutNoisy adds label noise a reader must tolerate: pinyin glosses
	// (规(guī)章), spaces inside labels, bracket and numbering variants, unit
	// notes after labels, and slips in the words of numbered rows.
	LayoutNoisy Layout = "noisy"
	// LayoutUnboxed puts a site's articles in a container no portal system
	// names, among navigation, sidebars, related links and footers: a reader
	// must find the article by the headings and tables it holds. It is chosen per
	// site (a site's CMS has one article template).
	LayoutUnboxed Layout = "unboxed"
)

// forms are the forms in the order Layouts lists them.
var forms = []Layout{LayoutTables, LayoutOneTable, LayoutWord, LayoutLines, LayoutTabs, LayoutPipes}

// variations are the variations in the order Layouts lists them.
var variations = []Layout{LayoutText, LayoutTraditional, LayoutNoisy, LayoutUnboxed}

// Layouts returns every layout name: the forms, then the variations.
func Layouts() []Layout { return append(slices.Clone(forms), variations...) }

// flat reports whether a form prints the tables as text.
func (l Layout) flat() bool { return l == LayoutLines || l == LayoutTabs || l == LayoutPipes }

// How often a variation is applied when it is allowed.
const (
	textRate        = 0.3  // of flattened reports
	traditionalRate = 0.15 // of HTML reports
	noisyRate       = 0.3
	unboxedRate     = 0.3 // of sites
)

// layout is the layout of one report.
type layout struct {
	form        Layout
	text        bool // served as text/plain
	traditional bool
	noisy       bool
	unboxed     bool // the site's container (copied from the site)
	// fullTraditional converts by words (於, 範, 採, 係, 製作, 重複) rather than
	// character by character as most converters on mainland desktops do.
	fullTraditional bool
	// tradPage converts the whole page, not only the article.
	tradPage bool
	// variant picks among the small ways a form varies (paragraphs or <br>,
	// headings split after their numbering, …); each renderer reads its bits.
	variant uint32
}

// Name returns the layout as "form+variation+…", e.g. "pipes+text+noisy".
func (l layout) Name() string {
	parts := []string{string(l.form)}
	for _, v := range l.variations() {
		parts = append(parts, string(v))
	}
	return strings.Join(parts, "+")
}

// variations returns the variations the layout has, in Layouts order.
func (l layout) variations() []Layout {
	var out []Layout
	for _, v := range []struct {
		on bool
		l  Layout
	}{{l.text, LayoutText}, {l.traditional, LayoutTraditional}, {l.noisy, LayoutNoisy}, {l.unboxed, LayoutUnboxed}} {
		if v.on {
			out = append(out, v.l)
		}
	}
	return out
}

// bit reports whether bit i of the layout's variant is set.
func (l layout) bit(i int) bool { return l.variant&(1<<i) != 0 }

// layoutSet is the set of layouts a Config allows.
type layoutSet map[Layout]bool

// allowed returns the layouts cfg allows: all of them when cfg.Layouts is empty.
func (c Config) allowed() layoutSet {
	s := layoutSet{}
	names := c.Layouts
	if len(names) == 0 {
		names = Layouts()
	}
	for _, n := range names {
		s[n] = true
	}
	return s
}

// validateLayouts checks a layout list: known names, no repeats, at least one form.
func validateLayouts(names []Layout) error {
	if len(names) == 0 {
		return nil
	}
	all := Layouts()
	hasForm := false
	for i, n := range names {
		if !slices.Contains(all, n) {
			return fmt.Errorf("sampleportal: unknown layout %q (known: %s)", n, layoutList(all))
		}
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("sampleportal: layout %q listed twice", n)
		}
		hasForm = hasForm || slices.Contains(forms, n)
	}
	if !hasForm {
		return fmt.Errorf("sampleportal: layouts %s name no form; list at least one of %s", layoutList(names), layoutList(forms))
	}
	return nil
}

func layoutList(ls []Layout) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// pickLayout draws a report's layout among the allowed ones.
func pickLayout(r *rand.Rand, allowed layoutSet, unboxed bool) layout {
	var fs []Layout
	for _, f := range forms {
		if allowed[f] {
			fs = append(fs, f)
		}
	}
	l := layout{form: fs[r.IntN(len(fs))], variant: r.Uint32()}
	l.text = l.form.flat() && allowed[LayoutText] && chance(r, textRate)
	l.unboxed = unboxed && !l.text // a text file has no container
	// A text file has no CMS chrome to keep simplified, and its title would be
	// traditional too: the traditional variation is for HTML pages only.
	l.traditional = !l.text && allowed[LayoutTraditional] && chance(r, traditionalRate)
	l.fullTraditional = l.traditional && chance(r, 0.5)
	l.tradPage = l.traditional && chance(r, 0.4)
	l.noisy = allowed[LayoutNoisy] && chance(r, noisyRate)
	return l
}
