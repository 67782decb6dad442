package crawler

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Kinds of pages the crawler fetches.
const (
	pageList       = "list"       // a list page of the report column
	pageReport     = "report"     // a page whose title names an annual report
	pageAttachment = "attachment" // a file linked from a report page
)

// attachmentExts are the file types fetched from report pages.
var attachmentExts = map[string]bool{
	".doc": true, ".docx": true, ".pdf": true, ".wps": true, ".xls": true, ".xlsx": true, ".et": true,
}

// IsAttachment reports whether a URL names a document file worth fetching.
func IsAttachment(u *url.URL) bool {
	return attachmentExts[strings.ToLower(path.Ext(u.Path))]
}

// IsReportTitle reports whether a link title names an Open Government Information
// annual report (年度报告, 年报) rather than some other article.
func IsReportTitle(title string) bool {
	t := strings.Join(strings.Fields(title), "")
	if !strings.Contains(t, "公开") {
		return false
	}
	return strings.Contains(t, "年度报告") || strings.Contains(t, "年报") || strings.Contains(t, "年度工作报告")
}

var listFile = regexp.MustCompile(`^index(_\d+)?\.s?html?$`)

// IsListPage reports whether u is a page of the same column as the list page base:
// the same directory and an index.html or index_N.html file name.
func IsListPage(base, u *url.URL) bool {
	if !strings.EqualFold(base.Host, u.Host) || dirOf(u.Path) != dirOf(base.Path) {
		return false
	}
	return strings.HasSuffix(u.Path, "/") || listFile.MatchString(path.Base(u.Path))
}

// dirOf returns the directory of a URL path, with a trailing slash.
func dirOf(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	return path.Dir(p) + "/"
}

var pageScript = regexp.MustCompile(`createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]`)

// PaginationPages returns the list pages a createPageHTML(total, current, prefix,
// ext) script on page base would link to: prefix.ext, prefix_1.ext, …,
// prefix_{total-1}.ext, resolved against base. At most limit pages are returned.
func PaginationPages(base *url.URL, script string, limit int) []*url.URL {
	var out []*url.URL
	for _, m := range pageScript.FindAllStringSubmatch(script, -1) {
		total, err := strconv.Atoi(m[1])
		if err != nil || total < 1 {
			continue
		}
		total = min(total, limit)
		for i := 0; i < total; i++ {
			name := m[3] + "." + m[4]
			if i > 0 {
				name = fmt.Sprintf("%s_%d.%s", m[3], i, m[4])
			}
			if u, err := base.Parse(name); err == nil {
				out = append(out, u)
			}
		}
	}
	return out
}

// domainPolicy decides which hosts count as official for a site.
type domainPolicy struct {
	hosts    map[string]bool // the site's own hosts (host:port as in its start URLs)
	suffixes []string        // official domain suffixes, ".gov.cn" first
}

func newDomainPolicy(startURLs []string, extra ...[]string) (*domainPolicy, error) {
	p := &domainPolicy{hosts: map[string]bool{}, suffixes: []string{"gov.cn"}}
	for _, s := range startURLs {
		u, err := url.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("start url %q: %w", s, err)
		}
		p.hosts[strings.ToLower(u.Host)] = true
	}
	for _, list := range extra {
		for _, d := range list {
			p.suffixes = append(p.suffixes, strings.ToLower(strings.TrimPrefix(d, ".")))
		}
	}
	return p, nil
}

// allowed reports whether u may be fetched: http(s), and either one of the site's
// own hosts or a host under an official domain.
func (p *domainPolicy) allowed(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	if p.hosts[strings.ToLower(u.Host)] {
		return true
	}
	h := strings.ToLower(u.Hostname())
	for _, s := range p.suffixes {
		if h == s || strings.HasSuffix(h, "."+s) {
			return true
		}
	}
	return false
}
