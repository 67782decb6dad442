package sampleportal

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sites"
)

// Expected is what the pipeline must make of one report page.
type Expected struct {
	// Path is the page's URL path; URL is base URL + Path.
	Path string `json:"path"`
	URL  string `json:"url"`
	// Record is the record a correct extraction produces. Fields that depend on the
	// fetch or the extractor (FetchedAt, ContentSHA256, ParserVersion, ExtractedAt,
	// PageMeta) are left zero; cell provenance (Src) is empty.
	Record *report.Record `json:"record"`
	// Planted names the rule the report was made to break (PlantedR1 … PlantedR4),
	// or PlantedNone.
	Planted string `json:"planted,omitempty"`
	// Layout names the layout the page prints the report in: its form and its
	// variations, "form+variation+…" (e.g. "pipes+text+noisy"; see Layouts).
	Layout string `json:"layout"`
}

// NonReport is a page the crawler will fetch from a report column (its title
// mentions 年度报告) that the extractor must reject.
type NonReport struct {
	Path  string `json:"path"`
	URL   string `json:"url"`
	DocID string `json:"doc_id"`
	Site  string `json:"site"`
	Title string `json:"title"`
	// Reason is the rejection reason the extractor must give.
	Reason report.Reason `json:"reason"`
}

// absURL joins a base URL (scheme://host[:port], trailing slashes ignored) and a path,
// and returns the document ID of the result.
func absURL(baseURL, path string) (u, docID string) {
	u = trimBase(baseURL) + path
	canon, err := rawdoc.CanonicalURL(u)
	if err != nil {
		// Only a base URL that is not absolute gets here; the ID is then of the
		// URL as given.
		canon = u
	}
	return u, rawdoc.DocID(canon)
}

// Expected returns the expected record of every report, for a portal served at
// baseURL (e.g. "http://127.0.0.1:8080"): site by site, body by body, year by year.
// Every call returns fresh records the caller may modify.
func (p *Portal) Expected(baseURL string) []Expected {
	var out []Expected
	for _, s := range p.sites {
		for _, d := range s.reports {
			u, id := absURL(baseURL, d.path)
			rec := cloneRecord(d.rec)
			rec.Meta.SourceURL = u
			rec.Meta.DocID = id
			out = append(out, Expected{Path: d.path, URL: u, Record: rec, Planted: d.planted, Layout: d.layout.Name()})
		}
	}
	return out
}

// Notices returns the non-report pages of every site's report column that the
// crawler will fetch, with the rejection each must get.
func (p *Portal) Notices(baseURL string) []NonReport {
	var out []NonReport
	for _, s := range p.sites {
		for _, n := range s.notices {
			u, id := absURL(baseURL, n.path)
			out = append(out, NonReport{Path: n.path, URL: u, DocID: id, Site: s.id, Title: n.title, Reason: report.ReasonNotReport})
		}
	}
	return out
}

// Sites returns the site definitions of the portal served at baseURL: one per site,
// starting at the first list page of its report column. Some sites name their
// content selector, as a hand-written site file would; the others (every unboxed
// site among them) leave it to the extractor.
func (p *Portal) Sites(baseURL string) []sites.Site {
	out := make([]sites.Site, 0, len(p.sites))
	for _, s := range p.sites {
		start, _ := absURL(baseURL, s.listPath(0))
		def := sites.Site{
			ID:   s.id,
			Name: s.name,
			Region: sites.Region{
				Province: s.div.Province,
				City:     s.div.City,
				County:   s.div.County,
				Code:     s.div.Code,
			},
			StartURLs: []string{start},
		}
		if s.style.declareSelector && s.unboxed == "" {
			def.ContentSelector = s.style.contentSelector()
		}
		out = append(out, def)
	}
	return out
}

// ExpectedFileName returns the file WriteExpected writes for a report path, relative
// to its directory: "<site>/<path without the site, '/' as '_'>.json", e.g.
// "site-001/art_2021_1_25_art_1234_5678.json".
func ExpectedFileName(path string) string {
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)
	if len(parts) < 2 {
		return strings.TrimSuffix(parts[0], ".html") + ".json"
	}
	name := strings.ReplaceAll(strings.TrimSuffix(parts[1], ".html"), "/", "_")
	return filepath.Join(parts[0], name+".json")
}

// WriteExpected writes the expected record of every report as indented JSON (an
// Expected object), one file per report at dir/ExpectedFileName(path).
func (p *Portal) WriteExpected(dir, baseURL string) error {
	for _, e := range p.Expected(baseURL) {
		b, err := json.MarshalIndent(e, "", "  ")
		if err != nil {
			return fmt.Errorf("encode expected %s: %w", e.Path, err)
		}
		name := filepath.Join(dir, ExpectedFileName(e.Path))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("write expected: %w", err)
		}
		if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("write expected: %w", err)
		}
	}
	return nil
}

// cloneRecord returns a deep copy of a record.
func cloneRecord(r *report.Record) *report.Record {
	c := *r
	c.Applications = make(report.ApplicationTable, len(r.Applications))
	for k, v := range r.Applications {
		c.Applications[k] = maps.Clone(v)
	}
	c.Review = make(report.ReviewTable, len(r.Review))
	for k, v := range r.Review {
		c.Review[k] = maps.Clone(v)
	}
	c.Disclosure = make(report.DisclosureTable, len(r.Disclosure))
	for k, v := range r.Disclosure {
		c.Disclosure[k] = maps.Clone(v)
	}
	c.Meta.PageMeta = maps.Clone(r.Meta.PageMeta)
	c.Findings = make([]report.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Cells = slices.Clone(f.Cells)
		f.BlankAsZero = slices.Clone(f.BlankAsZero)
		f.Unassessable = slices.Clone(f.Unassessable)
		c.Findings[i] = f
	}
	return &c
}
