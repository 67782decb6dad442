package extractor

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
)

// TestRenderExtractProperty is the render → extract property: thousands of
// generated reports, in every layout the sample portal prints (HTML tables per
// section or for everything, Word's HTML, tables flattened to lines, tabs and
// pipes, text files, traditional characters, noisy labels, unboxed articles), are
// fetched through the portal's handler and parsed, and every record must equal the
// record it was rendered from: every cell with its state, value, raw text and unit,
// the template, the metadata the page states, and the findings. -short runs a few
// hundred; PROPERTY_SEEDS="101 102 …" runs other seeds (a soak: 12 seeds are 9,600
// reports).
func TestRenderExtractProperty(t *testing.T) {
	seeds := []uint64{11, 12, 13}
	if v := os.Getenv("PROPERTY_SEEDS"); v != "" {
		seeds = nil
		for _, f := range strings.Fields(v) {
			s, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				t.Fatalf("PROPERTY_SEEDS: %v", err)
			}
			seeds = append(seeds, s)
		}
	}
	sitesPer, reportsPer := 40, 20
	if testing.Short() {
		seeds, sitesPer, reportsPer = seeds[:1], 12, 20
	}
	type outcome struct {
		layout string
		wrong  bool
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
	)
	start := time.Now()
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			cfg := sampleportal.Config{
				Seed: seed, Sites: sitesPer, ReportsPerSite: reportsPer, Years: []int{2019, 2020, 2021, 2022, 2023},
				ListPageSize: 20, NoticesPerSite: 0, AnomalyRate: 0.3,
			}
			portal, err := sampleportal.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			const base = "http://portal.example.gov.cn"
			h := portal.Handler()
			siteOf := map[string]sites.Site{}
			for _, s := range portal.Sites(base) {
				siteOf[s.ID] = s
			}
			var local []outcome
			shown := 0
			for _, e := range portal.Expected(base) {
				body, ctype := portalPage(t, h, e.Path)
				s := siteOf[e.Record.Meta.Site]
				got, err := Parse(Input{URL: e.URL, Body: body, ContentType: ctype, Site: s.RawSite(), ContentSelector: s.ContentSelector})
				o := outcome{layout: e.Layout}
				switch {
				case err != nil:
					o.wrong = true
					if shown++; shown <= 8 {
						t.Errorf("%s [%s]: %v", e.Path, e.Layout, err)
					}
				default:
					if diff := diffRecords(comparable(got), comparable(e.Record)); len(diff) > 0 {
						o.wrong = true
						if shown++; shown <= 8 {
							t.Errorf("%s [%s]: %d difference(s) (got vs want):\n  %s", e.Path, e.Layout, len(diff), strings.Join(head(diff, 10), "\n  "))
						}
					}
				}
				local = append(local, o)
			}
			mu.Lock()
			outcomes = append(outcomes, local...)
			mu.Unlock()
		})
	}
	t.Cleanup(func() {
		// Tally per form and per variation: every one must have been exercised.
		type count struct{ n, wrong int }
		tally := map[string]*count{}
		add := func(k string, wrong bool) {
			if tally[k] == nil {
				tally[k] = &count{}
			}
			tally[k].n++
			if wrong {
				tally[k].wrong++
			}
		}
		total := 0
		for _, o := range outcomes {
			total++
			parts := strings.Split(o.layout, "+")
			add("form "+parts[0], o.wrong)
			for _, v := range parts[1:] {
				add("with "+v, o.wrong)
			}
			add("all", o.wrong)
		}
		keys := make([]string, 0, len(tally))
		for k := range tally {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		fmt.Fprintf(&b, "%d reports rendered, fetched and parsed in %s:\n", total, time.Since(start).Round(time.Millisecond))
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-18s %5d reports, %4d wrong\n", k, tally[k].n, tally[k].wrong)
		}
		t.Log(b.String())
		for _, l := range sampleportal.Layouts() {
			prefix := "with "
			if !slices.Contains([]sampleportal.Layout{sampleportal.LayoutText, sampleportal.LayoutTraditional, sampleportal.LayoutNoisy, sampleportal.LayoutUnboxed}, l) {
				prefix = "form "
			}
			if c := tally[prefix+string(l)]; c == nil || c.n == 0 {
				t.Errorf("layout %s never generated", l)
			}
		}
	})
}
