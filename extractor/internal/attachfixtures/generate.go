package attachfixtures

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
)

// PortalConfig is the generated portal the committed fixtures are drawn from.
var PortalConfig = sampleportal.Config{
	Seed: 20261123, Sites: 8, ReportsPerSite: 6, Years: []int{2019, 2020, 2021, 2022, 2023},
	ListPageSize: 20, AnomalyRate: 0.3,
}

// PortalBase is the base URL the fixtures' expected records are made for.
const PortalBase = "http://portal.example.gov.cn"

// Expected is what a committed portal fixture must read back as; it is written as
// <name>.expected.json beside the <name>.<format> files.
type Expected struct {
	// URL is the report page the attachment stands for; parse with it.
	URL string `json:"url"`
	// Site is the site the page was found on (level and region come from it).
	Site rawdoc.Site `json:"site"`
	// Layout is the page's layout in the sample portal.
	Layout string `json:"layout"`
	// Record is the record the page was rendered from.
	Record *report.Record `json:"record"`
}

// Report is one generated report ready to render: its document and expected record.
type Report struct {
	Name     string
	Doc      Doc
	Expected Expected
}

// PortalReports renders the reports of a generated portal into documents: one per
// form (tables, one_table, word, lines, tabs, pipes), the first report of each form,
// preferring one with a variation (traditional, noisy) when there is one.
func PortalReports(cfg sampleportal.Config, perForm int) ([]Report, error) {
	p, err := sampleportal.Generate(cfg)
	if err != nil {
		return nil, err
	}
	siteOf := map[string]rawdoc.Site{}
	selector := map[string]string{}
	for _, s := range p.Sites(PortalBase) {
		siteOf[s.ID] = s.RawSite()
		selector[s.ID] = s.ContentSelector
	}
	h := p.Handler()
	byForm := map[string][]sampleportal.Expected{}
	for _, e := range p.Expected(PortalBase) {
		form := strings.SplitN(e.Layout, "+", 2)[0]
		byForm[form] = append(byForm[form], e)
	}
	forms := make([]string, 0, len(byForm))
	for f := range byForm {
		forms = append(forms, f)
	}
	sort.Strings(forms)
	var out []Report
	for _, form := range forms {
		es := byForm[form]
		sort.SliceStable(es, func(i, j int) bool { // variations first
			return strings.Count(es[i].Layout, "+") > strings.Count(es[j].Layout, "+")
		})
		for k, e := range es[:min(perForm, len(es))] {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, e.Path, nil))
			if rec.Code != http.StatusOK {
				return nil, fmt.Errorf("GET %s: %d", e.Path, rec.Code)
			}
			site := e.Record.Meta.Site
			d, err := FromPage(rec.Body.Bytes(), rec.Header().Get("Content-Type"), selector[site], e.Record.Meta.Title, e.Record.Meta.PublishedAt)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Path, err)
			}
			out = append(out, Report{
				Name:     fmt.Sprintf("portal-%s-%d", form, k+1),
				Doc:      d,
				Expected: Expected{URL: e.URL, Site: siteOf[site], Layout: e.Layout, Record: e.Record},
			})
		}
	}
	return out, nil
}

// PrintAsTables are the seeds whose text flattens a table one cell per line in a
// way a printed copy cannot keep, with why: their .pdf and .doc are converted not
// from their .docx (a paragraph per line of the text) but from a .docx that renders
// those runs as tables with every cell drawn (FromCellLines), rows kept whole on a
// page (KeepRowsWhole), as the report was before its text was copied out.
var PrintAsTables = map[string]string{
	"002": "empty cells are lines holding only a tab, which print nothing, between rows separated " +
		"by empty lines, and cells hold several lines: printed as paragraphs, the rows cannot be told apart",
}

// Generate writes the committed fixtures to dir: for each portal report a .docx, an
// .xlsx, and (converted by LibreOffice, soffice) a .pdf, a .doc and an .xls, with its
// <name>.expected.json; for each seed text in seedDir a .docx and, converted (from
// a .docx with tables for the seeds in PrintAsTables), a .pdf and a .doc (their
// goldens are the seeds' goldens).
func Generate(dir, seedDir, soffice string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	reports, err := PortalReports(PortalConfig, 1)
	if err != nil {
		return err
	}
	var docxs, xlsxs []string
	for i, r := range reports {
		b, err := WriteDocx(r.Doc, DocxOptions{Seed: uint64(i + 1), Stack: true})
		if err != nil {
			return err
		}
		if err := write(dir, r.Name+".docx", b, &docxs); err != nil {
			return err
		}
		x, err := WriteXLSX(r.Doc, XLSXOptions{SheetPerTable: i%2 == 1})
		if err != nil {
			return err
		}
		if err := write(dir, r.Name+".xlsx", x, &xlsxs); err != nil {
			return err
		}
		j, err := json.MarshalIndent(r.Expected, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, r.Name+".expected.json"), append(j, '\n'), 0o644); err != nil {
			return err
		}
	}
	seeds, err := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "attachfixtures-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var seedDocx, seedPrint []string
	for i, s := range seeds {
		text, err := os.ReadFile(s)
		if err != nil {
			return err
		}
		lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
		b, err := WriteDocx(FromLines(lines), DocxOptions{Seed: uint64(100 + i)})
		if err != nil {
			return err
		}
		seed := filepath.Base(s)[:3]
		name := "seed-" + seed + ".docx"
		if err := write(dir, name, b, &seedDocx); err != nil {
			return err
		}
		if _, ok := PrintAsTables[seed]; !ok {
			seedPrint = append(seedPrint, seedDocx[len(seedDocx)-1])
			continue
		}
		// Printed from a .docx of the same name outside dir, whose tables
		// carry every cell.
		t, err := WriteDocx(FromCellLines(lines), DocxOptions{Seed: uint64(100 + i)})
		if err != nil {
			return err
		}
		if t, err = KeepRowsWhole(t); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := write(tmp, name, t, &seedPrint); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		to    string
		files []string
	}{
		{"pdf", append(append([]string{}, docxs...), seedPrint...)},
		{"doc:MS Word 97", append(append([]string{}, docxs...), seedPrint...)},
		{"xls:MS Excel 97", xlsxs},
	} {
		if err := convert(soffice, dir, c.to, c.files); err != nil {
			return err
		}
	}
	return nil
}

func write(dir, name string, b []byte, list *[]string) error {
	p := filepath.Join(dir, name)
	*list = append(*list, p)
	return os.WriteFile(p, b, 0o644)
}

// convert runs LibreOffice headless over files, writing the results to dir.
func convert(soffice, dir, to string, files []string) error {
	profile, err := os.MkdirTemp("", "attachfixtures-lo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--convert-to", to, "--outdir", dir}, files...)
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "SOURCE_DATE_EPOCH="+fmt.Sprint(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("soffice --convert-to %s: %w: %s", to, err, out)
	}
	return nil
}
