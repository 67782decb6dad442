package sites

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"gopkg.in/yaml.v3"
)

// Site is one portal.
type Site struct {
	// ID identifies the site: lower-case ASCII letters, digits and '-', unique.
	ID string `yaml:"id"`
	// Name is the portal's name, e.g. 德惠市人民政府.
	Name string `yaml:"name"`
	// Region is where the portal's bodies are.
	Region Region `yaml:"region"`
	// StartURLs are the pages of the annual-report column (list pages).
	StartURLs []string `yaml:"start_urls"`
	// ExtraDomains are official domains besides *.gov.cn that the site may link to
	// (for example a city's portal on a .cn domain of its own).
	ExtraDomains []string `yaml:"extra_domains,omitempty"`
	// ReportLinkPattern, when set, is a regular expression a report link's URL must
	// match in addition to the title test.
	ReportLinkPattern string `yaml:"report_link_pattern,omitempty"`
	// ContentSelector, when set, is the CSS selector of the article body on report
	// pages.
	ContentSelector string `yaml:"content_selector,omitempty"`
	// Politeness overrides the crawler's defaults for this site (zero keeps them).
	Politeness Politeness `yaml:"politeness,omitempty"`
}

// Region places a site in the administrative divisions.
type Region struct {
	Province string `yaml:"province"`
	City     string `yaml:"city,omitempty"`
	County   string `yaml:"county,omitempty"`
	// Code is the 6-digit division code when known.
	Code string `yaml:"code,omitempty"`
}

// Politeness holds per-site overrides of the crawl limits.
type Politeness struct {
	Delay       time.Duration `yaml:"delay,omitempty"`
	Concurrency int           `yaml:"concurrency,omitempty"`
	MaxPages    int           `yaml:"max_pages,omitempty"`
	MaxDepth    int           `yaml:"max_depth,omitempty"`
}

// File is the content of one sites file.
type File struct {
	Sites []Site `yaml:"sites"`
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	codePattern = regexp.MustCompile(`^[0-9]{6}$`)
)

// Validate checks one site.
func (s *Site) Validate() error {
	if !idPattern.MatchString(s.ID) {
		return fmt.Errorf("site %q: id must be lower-case letters, digits and '-' (at most 64)", s.ID)
	}
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("site %s: name is empty", s.ID)
	}
	if s.Region.Province == "" {
		return fmt.Errorf("site %s: region.province is empty", s.ID)
	}
	if s.Region.Code != "" && !codePattern.MatchString(s.Region.Code) {
		return fmt.Errorf("site %s: region.code %q is not a 6-digit division code", s.ID, s.Region.Code)
	}
	if len(s.StartURLs) == 0 {
		return fmt.Errorf("site %s: no start_urls", s.ID)
	}
	for _, raw := range s.StartURLs {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("site %s: start url %q: %w", s.ID, raw, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("site %s: start url %q is not an absolute http(s) URL", s.ID, raw)
		}
	}
	for _, d := range s.ExtraDomains {
		if d == "" || strings.ContainsAny(d, "/:@ ") {
			return fmt.Errorf("site %s: extra domain %q is not a host name", s.ID, d)
		}
	}
	if s.ReportLinkPattern != "" {
		if _, err := regexp.Compile(s.ReportLinkPattern); err != nil {
			return fmt.Errorf("site %s: report_link_pattern: %w", s.ID, err)
		}
	}
	p := s.Politeness
	if p.Delay < 0 || p.Concurrency < 0 || p.MaxPages < 0 || p.MaxDepth < 0 {
		return fmt.Errorf("site %s: politeness values must not be negative", s.ID)
	}
	return nil
}

// RawSite returns the site as recorded on raw documents.
func (s *Site) RawSite() rawdoc.Site {
	return rawdoc.Site{ID: s.ID, Name: s.Name, Province: s.Region.Province, City: s.Region.City, County: s.Region.County, Code: s.Region.Code}
}

// Parse decodes a sites file strictly (unknown keys are errors) and validates every
// site in it. name is used in error messages.
func Parse(name string, data []byte) ([]Site, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i := range f.Sites {
		if err := f.Sites[i].Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return f.Sites, nil
}

// Load reads every file matching glob, validates each site and rejects duplicate IDs
// and duplicate start URLs across files. Files are read in name order.
func Load(glob string) ([]Site, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, fmt.Errorf("sites %q: %w", glob, err)
	}
	sort.Strings(files)
	var all []Site
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read sites: %w", err)
		}
		ss, err := Parse(f, data)
		if err != nil {
			return nil, err
		}
		all = append(all, ss...)
	}
	if err := CheckUnique(all); err != nil {
		return nil, err
	}
	return all, nil
}

// CheckUnique rejects two sites with the same ID or the same start URL.
func CheckUnique(all []Site) error {
	ids := map[string]bool{}
	starts := map[string]string{}
	for _, s := range all {
		if ids[s.ID] {
			return fmt.Errorf("duplicate site id %q", s.ID)
		}
		ids[s.ID] = true
		for _, u := range s.StartURLs {
			c, err := rawdoc.CanonicalURL(u)
			if err != nil {
				return err
			}
			if other, ok := starts[c]; ok {
				return fmt.Errorf("start url %s is listed by both %s and %s", u, other, s.ID)
			}
			starts[c] = s.ID
		}
	}
	return nil
}
