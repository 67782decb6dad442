package sampleportal

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
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
	// Attachment is set for a report published only as an attachment: Path and
	// URL are then the file's, and Record is what the file alone says (see
	// Attachment). Nil for a report printed on its page.
	Attachment *Attachment `json:"attachment,omitempty"`
}

// Attachment says how a report published only as an attachment is served: the
// article page of the report column links the file, and says nothing else about
// the report. The page is listed by Notices (it is no report); the expected record
// is what the file states, and only that:
//   - SourceURL and DocID are the file's URL and its document ID;
//   - Title is the document's first line (the report's title), Body and Year
//     follow from it; Site, Level and Region are as for a page (the site is the one
//     the file was found on);
//   - PublishedAt is the date the document is signed with, when its last line is
//     one (Dated), else empty: the page's publication date is not in the file;
//   - SiteIDCode is empty (a file has no <meta> tags);
//   - the cells, the template and the findings are those of the report, printed in
//     Layout (whose form is tables or one_table; traditional and noisy apply to the
//     document's text as on a page).
type Attachment struct {
	// Format is FormatDocx or FormatXLSX.
	Format string `json:"format"`
	// FileName is the name the file is stored under (P020240125….docx).
	FileName string `json:"file_name"`
	// ContentType is the Content-Type the file is served with.
	ContentType string `json:"content_type"`
	// PagePath and PageURL are the article page that links the file.
	PagePath string `json:"page_path"`
	PageURL  string `json:"page_url"`
	// Dated says whether the document ends with the date it was signed.
	Dated bool `json:"dated"`
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
	// Attachment is, for the article page of a report published as an
	// attachment, the URL of the file it links (whose record Expected lists).
	Attachment string `json:"attachment,omitempty"`
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
			e := Expected{Path: d.recordPath(), Planted: d.planted, Layout: d.layout.Name()}
			if d.attach != nil {
				pageURL, _ := absURL(baseURL, d.path)
				e.Attachment = &Attachment{
					Format: d.attach.format, FileName: path.Base(d.attach.path), ContentType: d.attach.contentType(),
					PagePath: d.path, PageURL: pageURL, Dated: d.attach.dated,
				}
			}
			u, id := absURL(baseURL, e.Path)
			e.URL = u
			e.Record = cloneRecord(d.rec)
			e.Record.Meta.SourceURL = u
			e.Record.Meta.DocID = id
			out = append(out, e)
		}
	}
	return out
}

// Notices returns the non-report pages of every site's report column that the
// crawler will fetch, with the rejection each must get: the notices, and the
// article pages of the reports published as attachments (not_report: a line and a
// link), site by site.
func (p *Portal) Notices(baseURL string) []NonReport {
	var out []NonReport
	for _, s := range p.sites {
		for _, d := range s.reports {
			if d.attach == nil {
				continue
			}
			u, id := absURL(baseURL, d.path)
			file, _ := absURL(baseURL, d.attach.path)
			out = append(out, NonReport{Path: d.path, URL: u, DocID: id, Site: s.id, Title: d.title,
				Reason: report.ReasonNotReport, Attachment: file})
		}
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
