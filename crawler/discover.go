package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Kinds of pages the crawler fetches.
const (
	pageList       = "list"       // a list page of a report column
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

// mayLinkAttachments reports whether a page's bytes mention an attachment
// extension (".pdf", ".DOCX", …, followed by a non-letter) at all: most report
// pages link none, and need not be tokenised. The extensions are ASCII, so this
// holds in any ASCII-compatible charset. One pass over the dots of the page.
func mayLinkAttachments(body []byte) bool {
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '.')
		if j < 0 {
			return false
		}
		k := i + j + 1
		var ext [5]byte
		ext[0] = '.'
		n := 0
		for n < 4 && k+n < len(body) && isASCIILetter(body[k+n]) {
			ext[n+1] = body[k+n] | 0x20 // lower case
			n++
		}
		if n >= 2 && (k+n == len(body) || !isASCIILetter(body[k+n])) && attachmentExts[string(ext[:n+1])] {
			return true
		}
		i = k
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// IsReportTitle reports whether a link title names an Open Government Information
// annual report (年度报告, 年报) rather than some other article.
func IsReportTitle(title string) bool {
	t := strings.Join(strings.Fields(title), "")
	if !strings.Contains(t, "公开") {
		return false
	}
	return strings.Contains(t, "年度报告") || strings.Contains(t, "年报") || strings.Contains(t, "年度工作报告")
}

// IsTruncatedReportTitle reports whether a link text cut short by the list
// template ("…", "...") could be a report title: it names information disclosure
// (信息公开) and ends on the way to 年度报告 or 年报.
func IsTruncatedReportTitle(title string) bool {
	t := strings.Join(strings.Fields(title), "")
	cut := strings.TrimRight(t, "….")
	if cut == t || !strings.Contains(cut, "信息公开") {
		return false
	}
	for _, full := range []string{"工作年度报告", "年度报告", "年报"} {
		for i := len(full); i > 0; i-- {
			// Only cut at a character boundary.
			if !strings.HasSuffix(cut, full[:i]) || !validPrefix(full, i) {
				continue
			}
			return true
		}
	}
	return strings.HasSuffix(cut, "信息公开") || strings.HasSuffix(cut, "信息公开工作")
}

func validPrefix(s string, i int) bool { return i == len(s) || (s[i]&0xC0) != 0x80 }

// IsReportColumnTitle reports whether a link text names a report column (政府信息公开
// 年报, 年度报告专栏) rather than one report: no year in it.
func IsReportColumnTitle(text string) bool {
	t := strings.Join(strings.Fields(text), "")
	if !(strings.Contains(t, "年报") || strings.Contains(t, "年度报告")) || len([]rune(t)) > 20 {
		return false
	}
	return !yearRE.MatchString(t)
}

var yearRE = regexp.MustCompile(`(19|20)\d\d`)

var listFile = regexp.MustCompile(`^index(_\d+)?\.s?html?$`)

// IsListPage reports whether u is a page of the same column as the list page base:
// the same directory and an index.html or index_N.html file name.
func IsListPage(base, u *url.URL) bool {
	if !strings.EqualFold(base.Host, u.Host) || dirOf(u.Path) != dirOf(base.Path) {
		return false
	}
	return strings.HasSuffix(u.Path, "/") || listFile.MatchString(path.Base(u.Path))
}

// Shapes of CMS URLs, so that discovery needs no per-site code.
var (
	// columnPath is a Hanweb/TRS column: /col/col1234/ or /col/col1234/index.html.
	columnPath = regexp.MustCompile(`/col/col\d+/(index(_\d+)?\.s?html?)?$`)
	// hanwebArticle is /art/2021/1/25/art_1234_567890.html.
	hanwebArticle = regexp.MustCompile(`/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.s?html?$`)
	// trsArticle is /202101/t20210125_123456.html.
	trsArticle = regexp.MustCompile(`/\d{6}/t\d{8}_\d+\.s?html?$`)
)

// IsColumn reports whether u is a CMS column page (/col/colNNN/).
func IsColumn(u *url.URL) bool { return columnPath.MatchString(u.Path) }

// IsArticle reports whether u is a CMS article page (/art/YYYY/M/D/art_… or
// /YYYYMM/tYYYYMMDD_…).
func IsArticle(u *url.URL) bool {
	return hanwebArticle.MatchString(u.Path) || trsArticle.MatchString(u.Path)
}

// dirOf returns the directory of a URL path, with a trailing slash.
func dirOf(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	return path.Dir(p) + "/"
}

// Pagination scripts: createPageHTML(total, current, "index", "html") of TRS
// portals, and createPageHTML('page_div', total, current, 'index', 'html', count).
var (
	pageScript    = regexp.MustCompile(`createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]`)
	pageScriptDiv = regexp.MustCompile(`createPageHTML\(\s*['"][\w-]+['"]\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]`)
)

// PaginationPages returns the list pages a createPageHTML(total, current, prefix,
// ext) script on page base would link to: prefix.ext, prefix_1.ext, …,
// prefix_{total-1}.ext, resolved against base. At most limit pages are returned.
func PaginationPages(base *url.URL, script string, limit int) []*url.URL {
	var out []*url.URL
	seen := map[string]bool{}
	for _, re := range []*regexp.Regexp{pageScript, pageScriptDiv} {
		for _, m := range re.FindAllStringSubmatch(script, -1) {
			total, err := strconv.Atoi(m[1])
			if err != nil || total < 1 {
				continue
			}
			total = min(total, limit)
			for i := 0; i < total && len(out) < limit; i++ {
				name := m[3] + "." + m[4]
				if i > 0 {
					name = fmt.Sprintf("%s_%d.%s", m[3], i, m[4])
				}
				if u, err := base.Parse(name); err == nil && !seen[u.String()] {
					seen[u.String()] = true
					out = append(out, u)
				}
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
