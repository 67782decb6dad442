package sampleportal

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzGenerate generates portals from arbitrary configurations and checks the
// invariants every portal must keep: records valid with exactly the planted rule
// broken, report pages that print every cell in its row, list pages that hold every
// entry once.
func FuzzGenerate(f *testing.F) {
	f.Add(uint64(1), uint8(1), uint8(6), uint8(0b1111), uint8(5), uint8(40))
	f.Add(uint64(42), uint8(3), uint8(1), uint8(0b0001), uint8(1), uint8(255))
	f.Add(uint64(7), uint8(2), uint8(40), uint8(0b10110), uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, sites, reports, yearMask, pageSize, rate uint8) {
		var years []int
		for i := range 8 {
			if yearMask&(1<<i) != 0 {
				years = append(years, 2019+i)
			}
		}
		if len(years) == 0 {
			years = []int{2021}
		}
		cfg := Config{
			Seed:           seed,
			Sites:          1 + int(sites)%4,
			ReportsPerSite: 1 + int(reports)%40,
			Years:          years,
			ListPageSize:   1 + int(pageSize)%10,
			NoticesPerSite: int(seed % uint64(len(years)+1)),
			AnomalyRate:    float64(rate) / 255,
		}
		p, err := Generate(cfg)
		if err != nil {
			t.Fatalf("generate %+v: %v", cfg, err)
		}
		for _, e := range p.Expected(testBase) {
			checkRecord(t, e)
			s := p.site(e.Record.Meta.Site)
			checkReportPage(t, s, e, p.render(p.pages[e.Path]))
		}
		h := p.Handler()
		for _, s := range p.sites {
			onPage := map[string]int{}
			for n := range p.listPages(s) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, s.listPath(n), nil))
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d", s.listPath(n), rec.Code)
				}
				for _, l := range links(parseHTML(t, rec.Body.Bytes())) {
					for _, a := range s.list {
						if l[0] == s.articleHref(a) {
							onPage[a.path]++
						}
					}
				}
			}
			for _, a := range s.list {
				if onPage[a.path] != 1 {
					t.Errorf("%s listed %d times", a.path, onPage[a.path])
				}
			}
		}
	})
}
