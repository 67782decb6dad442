package sampleportal

import (
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// Portal is a generated sample portal: sites, their bodies, the annual reports and
// other pages they publish, and the record every report must be extracted as.
// A Portal is immutable after Generate and safe for concurrent use.
type Portal struct {
	cfg     Config
	sites   []*site
	history []PlantedHistory // with Config.HistoryAnomalies
	pages   map[string]*page // by URL path
	paths   []string         // every served path, sorted
}

// site is one portal of the sample: a county-level government's website.
type site struct {
	id        string
	name      string
	div       division
	domain    string
	idCode    string // 网站标识码
	reportCol int    // column number of 政府信息公开年报
	navCols   []column
	style     style
	unboxed   string // the article container's class on an unboxed site, else ""
	bodies    []*body
	reports   []*reportDoc
	notices   []*noticeDoc
	news      []*article
	list      []*article // the report column's entries, newest first
}

// column is a navigation column of a site.
type column struct {
	name string
	num  int
}

// article is an entry of a site's report column.
type article struct {
	id     int
	col    int
	title  string
	source string    // the publishing body (ContentSource)
	pub    time.Time // in China Standard Time
	path   string
	ext    string // ".html", or ".txt" for a report served as a text file
	kind   articleKind
}

type articleKind int

const (
	kindReport articleKind = iota
	kindNotice
	kindNews // listed but not served: a crawler looking for reports skips it
)

// reportDoc is one annual report.
type reportDoc struct {
	*article
	body    *body
	year    int
	rec     *report.Record // Meta without URL fields
	planted string
	prose   prose
	layout  layout
	attach  *attachment // published only as an attachment, else nil
}

// noticeDoc is a notice about preparing the annual reports: it mentions 年度报告 in
// its title but holds no statistics.
type noticeDoc struct {
	*article
	year  int
	docNo int
}

// prose holds the choices that vary a report's text sections.
type prose struct {
	intro, problems, other int
	items, websites        int64
}

// cst is China Standard Time, in which portals print dates.
var cst = time.FixedZone("CST", 8*3600)

// Column names of a county portal's navigation (the report column comes last).
var navNames = []string{"政务动态", "通知公告", "政策文件", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容"}

// reportColumnName is the name of the column that lists the annual reports.
const reportColumnName = "政府信息公开年报"

// newsPerSite is the number of ordinary news links on each site's report column.
const newsPerSite = 3

// Generate builds a portal from cfg. The same Config gives byte-identical pages.
func Generate(cfg Config) (*Portal, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Years = slices.Clone(cfg.Years)
	cfg.Layouts = slices.Clone(cfg.Layouts)
	slices.Sort(cfg.Years)
	p := &Portal{cfg: cfg, pages: map[string]*page{}}
	perm := rand.New(rand.NewPCG(cfg.Seed, 0x5a3e_d1a7)).Perm(len(divisions))
	streams := make([]*rand.Rand, cfg.Sites)
	for i := range cfg.Sites {
		// Every site has a stream of its own, so adding sites leaves the others as
		// they were.
		streams[i] = rand.New(rand.NewPCG(cfg.Seed, uint64(i+1)))
		// Layouts have streams of their own, so the records and the site styles do
		// not depend on which layouts are allowed.
		lr := rand.New(rand.NewPCG(cfg.Seed, layoutStream+uint64(i+1)))
		var ar *rand.Rand
		if cfg.AttachmentRate > 0 {
			// So do the attachments: with none, nothing is drawn.
			ar = rand.New(rand.NewPCG(cfg.Seed, attachStream+uint64(i+1)))
		}
		s := p.genSite(streams[i], lr, ar, i, divisions[perm[i]])
		p.sites = append(p.sites, s)
	}
	if cfg.HistoryAnomalies {
		// Planted across sites, before the articles are numbered; it draws from a
		// stream of its own and none of the sites'.
		if err := p.plantHistory(rand.New(rand.NewPCG(cfg.Seed, historyStream))); err != nil {
			return nil, err
		}
	}
	for i, s := range p.sites {
		s.number(streams[i])
	}
	p.index()
	return p, nil
}

// layoutStream offsets the PCG streams of the layout choices from the sites'.
const layoutStream = 0x1a70_0000_0000

func (p *Portal) genSite(r, lr, ar *rand.Rand, i int, div division) *site {
	s := &site{
		id:     fmt.Sprintf("site-%03d", i+1),
		div:    div,
		domain: "www." + div.Slug + ".gov.cn",
		idCode: fmt.Sprintf("%s%04d", div.Code, 1+r.IntN(20)),
		style:  pickStyle(r),
	}
	s.name = div.governmentName()
	allowed := p.cfg.allowed()
	if allowed[LayoutUnboxed] && chance(lr, unboxedRate) {
		s.unboxed = unboxedContainers[lr.IntN(len(unboxedContainers))]
	}
	used := map[int]bool{}
	colNum := func() int {
		for {
			n := int(between(r, 1000, 99999))
			if !used[n] {
				used[n] = true
				return n
			}
		}
	}
	for _, n := range navNames {
		s.navCols = append(s.navCols, column{name: n, num: colNum()})
	}
	s.reportCol = colNum()

	years := p.cfg.Years
	nb := (p.cfg.ReportsPerSite + len(years) - 1) / len(years)
	s.bodies = makeBodies(r, div, nb)
	left := p.cfg.ReportsPerSite
	for _, b := range s.bodies {
		ys := years
		if left < len(ys) {
			ys = ys[len(ys)-left:] // a body that started publishing recently
		}
		left -= len(ys)
		st := &bodyState{steady: p.cfg.HistoryAnomalies}
		for _, y := range ys {
			l := pickLayout(lr, allowed, s.unboxed != "")
			if p.cfg.HistoryAnomalies {
				// A page converted as a whole names its body in traditional
				// characters, which no rule across years can match to the body's
				// other reports.
				l.tradPage = false
			}
			var att *attachment
			if ar != nil && chance(ar, p.cfg.AttachmentRate) {
				att = pickAttachment(ar)
				l = attachedLayout(l)
			}
			d := genReportDoc(r, s, b, y, st, p.cfg.AnomalyRate, l)
			if att != nil {
				d.attach = att
				// The document carries no <meta> tags, and states its date only
				// when it is signed with one.
				d.rec.Meta.SiteIDCode = ""
			}
			s.reports = append(s.reports, d)
		}
	}

	desc := slices.Clone(years)
	slices.Reverse(desc)
	for _, y := range desc[:p.cfg.NoticesPerSite] {
		pub := time.Date(y, 12, 1, 0, 0, 0, 0, cst).AddDate(0, 0, r.IntN(40))
		n := &noticeDoc{
			article: &article{
				title:  "关于做好" + fmt.Sprint(y) + "年政府信息公开工作年度报告编制工作的通知",
				source: div.governmentName() + "办公室",
				pub:    pub.Add(officeTime(r)),
				kind:   kindNotice,
			},
			year:  y,
			docNo: int(between(r, 10, 120)),
		}
		s.notices = append(s.notices, n)
	}
	for k := range newsPerSite {
		y := years[r.IntN(len(years))] + 1
		title := []string{
			div.County + "召开" + fmt.Sprint(y) + "年政务公开工作推进会议",
			div.County + "开展政府信息公开业务培训",
			div.County + "召开第" + fmt.Sprint(between(r, 2, 40)) + "次常务会议",
		}[k%3]
		pub := time.Date(y, time.Month(between(r, 2, 11)), int(between(r, 1, 28)), 0, 0, 0, 0, cst)
		s.news = append(s.news, &article{title: title, source: s.name, pub: pub.Add(officeTime(r)), kind: kindNews})
	}
	return s
}

// number numbers a site's articles, in order of publication as a CMS assigns
// them, and gives them their paths; r is the site's stream, continued from genSite.
func (s *site) number(r *rand.Rand) {
	// Article numbers grow with time, as a CMS assigns them.
	var all []*article
	for _, d := range s.reports {
		all = append(all, d.article)
	}
	for _, n := range s.notices {
		all = append(all, n.article)
	}
	all = append(all, s.news...)
	sort.SliceStable(all, func(a, b int) bool {
		if !all[a].pub.Equal(all[b].pub) {
			return all[a].pub.Before(all[b].pub)
		}
		return all[a].title < all[b].title
	})
	id := int(between(r, 10000, 900000))
	newsCol := s.navCols[0].num
	for _, a := range all {
		id += int(between(r, 1, 40))
		a.id = id
		a.col = s.reportCol
		if a.kind == kindNews {
			a.col = newsCol
		}
		if a.ext == "" {
			a.ext = ".html"
		}
		a.path = fmt.Sprintf("/%s/art/%d/%d/%d/art_%d_%d%s", s.id, a.pub.Year(), int(a.pub.Month()), a.pub.Day(), a.col, a.id, a.ext)
	}
	s.list = slices.Clone(all)
	slices.Reverse(s.list)
	for _, d := range s.reports {
		d.rec.Meta.PublishedAt = d.pub.Format("2006-01-02")
		if d.attach != nil {
			d.attach.path = path.Dir(d.path) + "/" + d.attach.fileName(d)
			if !d.attach.dated {
				d.rec.Meta.PublishedAt = ""
			}
		}
	}
}

// officeTime draws a time of day in office hours.
func officeTime(r *rand.Rand) time.Duration {
	return time.Duration(between(r, 8*60+30, 17*60+50)) * time.Minute
}

// genReportDoc draws one report of body b for year y, to be printed in layout l.
func genReportDoc(r *rand.Rand, s *site, b *body, y int, st *bodyState, rate float64, l layout) *reportDoc {
	tpl := report.Template2021
	if y < 2021 {
		tpl = report.Template2019
	}
	planted := chooseAnomaly(r, rate)
	apps := genApplications(r, b.level, tpl, st, y, planted == PlantedR2)
	rv := genReview(r, b.level)
	disc := genDisclosure(r, b.level, tpl, st)
	plant(r, planted, tpl, apps, &rv)
	st.lastYear = y
	copy(st.carriedForward[:], apps.row(report.RowCarriedForward)[:6])

	f := pickFormat(r, s.style)
	if l.form.flat() && f.blank == "" {
		// A flattened table loses empty cells (nothing tells them from the
		// separators); those reports mark blanks with a slash.
		f.blank = "/"
	}
	rec := report.New()
	rec.Template = tpl
	rec.Confidence = 1
	for _, row := range report.Rows(tpl) {
		v := apps.row(row)
		for i, c := range report.Cols {
			rec.Applications.Set(row, c, f.count(r, v[i]))
		}
	}
	for gi, g := range report.ReviewGroups {
		for oi, o := range report.Outcomes {
			rec.Review.Set(g, o, f.count(r, rv[gi][oi]))
		}
	}
	layout := report.DisclosureLayout(tpl)
	for _, im := range layout {
		rec.Disclosure.Set(im.Item, im.Metric, f.value(r, disc[im]))
	}
	if chance(r, 0.05) {
		im := layout[r.IntN(len(layout))]
		rec.Disclosure.Set(im.Item, im.Metric, report.Text(textCells[r.IntN(len(textCells))]))
	}
	if l.traditional {
		traditionalCells(rec, l.fullTraditional)
	}
	rec.Findings = append(report.TextCells(rec), report.Check(rec)...)
	if rec.Findings == nil {
		rec.Findings = []report.Finding{}
	}

	// Departments and townships publish by 31 January, governments by 31 March.
	days := levelPick(b.level, 85, 26, 26)
	pub := time.Date(y+1, 1, 5, 0, 0, 0, 0, cst).AddDate(0, 0, r.IntN(days)).Add(officeTime(r))
	title := fmt.Sprintf("%s%d年政府信息公开工作年度报告", b.name, y)
	rec.Meta = report.Meta{
		Body:  b.name,
		Title: title,
		Year:  y,
		Level: b.level,
		Region: report.Region{
			Province:     s.div.Province,
			City:         s.div.City,
			County:       s.div.County,
			Code:         s.div.Code,
			Township:     b.township,
			TownshipCode: townshipCode(s.div.Code, b.township),
		},
		Site:       s.id,
		SiteIDCode: s.idCode,
	}
	if l.tradPage {
		// The page states the title (and so the body) in traditional characters.
		rec.Meta.Title = traditional(title, l.fullTraditional)
		rec.Meta.Body = traditional(b.name, l.fullTraditional)
	}
	ext := ".html"
	if l.text {
		// A text file carries no <meta> tags: no SiteIDCode.
		rec.Meta.SiteIDCode = ""
		ext = ".txt"
	}
	return &reportDoc{
		layout:  l,
		article: &article{title: title, source: b.name, pub: pub, kind: kindReport, ext: ext},
		body:    b,
		year:    y,
		rec:     rec,
		planted: planted,
		prose: prose{
			intro:    r.IntN(len(introTexts)),
			problems: r.IntN(len(problemTexts)),
			other:    r.IntN(len(otherTexts)),
			items:    between(r, 30, 3000),
			websites: between(r, 1, 4),
		},
	}
}

// listPages returns the number of list pages of a site's report column.
func (p *Portal) listPages(s *site) int {
	return (len(s.list) + p.cfg.ListPageSize - 1) / p.cfg.ListPageSize
}

// listPath returns the path of list page n (0-based): index.html, index_1.html, ….
func (s *site) listPath(n int) string {
	name := "index.html"
	if n > 0 {
		name = fmt.Sprintf("index_%d.html", n)
	}
	return fmt.Sprintf("/%s/col/col%d/%s", s.id, s.reportCol, name)
}

// colPath returns the first list page of column num.
func (s *site) colPath(num int) string { return fmt.Sprintf("/%s/col/col%d/index.html", s.id, num) }

// homePath is the site's home page.
func (s *site) homePath() string { return "/" + s.id + "/index.html" }

// index registers every served page by its path.
func (p *Portal) index() {
	add := func(path string, pg *page) { p.pages[path] = pg }
	add("/", &page{kind: pageRoot, mod: p.newest()})
	add("/index.html", &page{kind: pageRoot, mod: p.newest()})
	add("/robots.txt", &page{kind: pageRobots, mod: p.newest()})
	for _, s := range p.sites {
		mod := s.list[0].pub
		add("/"+s.id+"/", &page{kind: pageHome, site: s, mod: mod})
		add(s.homePath(), &page{kind: pageHome, site: s, mod: mod})
		for n := range p.listPages(s) {
			first := s.list[n*p.cfg.ListPageSize]
			add(s.listPath(n), &page{kind: pageList, site: s, n: n, mod: first.pub})
		}
		for _, d := range s.reports {
			add(d.path, &page{kind: pageReport, site: s, report: d, mod: d.pub})
			if d.attach != nil {
				add(d.attach.path, &page{kind: pageAttachment, site: s, report: d, mod: d.pub})
			}
		}
		for _, d := range s.notices {
			add(d.path, &page{kind: pageNotice, site: s, notice: d, mod: d.pub})
		}
	}
	for path := range p.pages {
		p.paths = append(p.paths, path)
	}
	sort.Strings(p.paths)
}

// newest returns the publication time of the newest entry on any site.
func (p *Portal) newest() time.Time {
	var t time.Time
	for _, s := range p.sites {
		if s.list[0].pub.After(t) {
			t = s.list[0].pub
		}
	}
	return t
}

// site returns the site with the given ID, or nil.
func (p *Portal) site(id string) *site {
	for _, s := range p.sites {
		if s.id == id {
			return s
		}
	}
	return nil
}

// trimBase returns a base URL without its trailing slashes.
func trimBase(baseURL string) string { return strings.TrimRight(baseURL, "/") }
