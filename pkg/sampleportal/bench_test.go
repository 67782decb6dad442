package sampleportal

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchConfig is the size the brief asks Generate to handle well under a second.
func benchConfig() Config {
	c := DefaultConfig()
	c.Sites, c.ReportsPerSite = 50, 20
	return c
}

func BenchmarkGenerate(b *testing.B) {
	cfg := benchConfig()
	for b.Loop() {
		if _, err := Generate(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderReport(b *testing.B) {
	p := mustGenerate(b, benchConfig())
	var pages []*page
	for _, s := range p.sites {
		for _, d := range s.reports {
			pages = append(pages, p.pages[d.path])
		}
	}
	n := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n += len(p.render(pages[i%len(pages)]))
	}
	b.ReportMetric(float64(n)/float64(b.N), "bytes/page")
}

func BenchmarkRenderList(b *testing.B) {
	p := mustGenerate(b, benchConfig())
	s := p.sites[0]
	pg := p.pages[s.listPath(0)]
	for b.Loop() {
		p.render(pg)
	}
}

func BenchmarkHandlerReport(b *testing.B) {
	p := mustGenerate(b, benchConfig())
	h := p.Handler()
	path := p.sites[0].reports[0].path
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
