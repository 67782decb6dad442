package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
)

// nationText holds the nation page's strings.
var nationText = text{
	"nation.title":                  {"全国概览", "The nation at a glance"},
	"nation.year":                   {"年度", "Year"},
	"nation.reports":                {"年报", "reports"},
	"nation.bodies":                 {"发布机构", "publishing bodies"},
	"nation.provinces":              {"省份", "provinces"},
	"nation.received":               {"本年新收申请", "requests received"},
	"nation.granted_rate":           {"予以公开率", "granted in full"},
	"nation.by_province":            {"%d年各省份收集到的年报", "Reports collected in %d, by province"},
	"nation.by_year":                {"各年度年报数量（按省份）", "Reports per year, by province"},
	"nation.total":                  {"合计", "Total"},
	"nation.applications":           {"依申请公开：收到与办结", "Information requests: received and processed"},
	"nation.processed":              {"办理结果总计", "processed"},
	"nation.outcomes":               {"办理结果构成", "How requests were answered"},
	"nation.corrections":            {"行政复议、行政诉讼纠错率", "Review and litigation correction rates"},
	"nation.corrections_note":       {"纠错率 = 结果纠正 ÷（维持 + 纠正 + 其他结果）。", "Correction rate = corrected ÷ (upheld + corrected + other results)."},
	"outcome.granted":               {"予以公开", "granted"},
	"outcome.partially_granted":     {"部分公开", "partially granted"},
	"outcome.withheld":              {"不予公开", "withheld"},
	"outcome.unable":                {"无法提供", "unable to provide"},
	"outcome.not_processed":         {"不予处理", "not processed"},
	"outcome.other":                 {"其他处理", "other"},
	"group.review":                  {"行政复议", "administrative review"},
	"group.litigation_direct":       {"行政诉讼（未经复议）", "litigation (direct)"},
	"group.litigation_after_review": {"行政诉讼（复议后起诉）", "litigation (after review)"},
}

// outcomeCodes are the outcomes of applications_by_region, in the template's order.
var outcomeCodes = []string{"granted", "partially_granted", "withheld", "unable", "not_processed", "other"}

// reviewGroups are section 四's groups (pkg/report.ReviewGroups).
var reviewGroups = []string{"review", "litigation_direct", "litigation_after_review"}

// nationData is the nation page.
type nationData struct {
	Years []int
	Year  int
	// The selected year's totals.
	Reports, Bodies, Provinces, Received int64
	GrantedRate                          float64

	ByProvince Chart
	// ProvinceRows is the province × year table, sorted by the selected year's count.
	ProvinceRows []provinceRow
	YearTotals   []int64

	Applications Chart
	AppRows      []yearFigures
	Outcomes     Chart
	Corrections  Chart
	CorrRows     []correctionRow
}

type provinceRow struct {
	Province string
	Counts   []int64 // per Years
}

// yearFigures are section 三's national sums of a year.
type yearFigures struct {
	Year                int
	Reports             int64
	Received, Processed int64
	Outcomes            []int64 // per outcomeCodes
	Shares              []float64
}

type correctionRow struct {
	Year  int
	Rates []float64 // per reviewGroups
	Cases []int64   // decided cases per group
}

func (s *Server) nation(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	d, err := s.nationData(r.Context(), lang, r.URL.Query().Get("year"))
	if err != nil {
		s.fail(w, r, 0, err)
		return
	}
	s.render(w, r, http.StatusOK, "nation", "nation.title", d)
}

func (s *Server) nationData(ctx context.Context, lang, yearParam string) (*nationData, error) {
	d := &nationData{}
	// Reports per province and year.
	res, err := s.query(ctx, "SELECT province, year, count() AS n, uniqExact(body) AS b FROM "+s.view("reports_primary")+
		" WHERE year > 0 GROUP BY province, year ORDER BY province, year")
	if err != nil {
		return nil, fmt.Errorf("reports by province: %w", err)
	}
	counts := map[string]map[int]int64{}
	bodies := map[int]int64{}
	for _, row := range res.Rows {
		y := int(atoi(row[1]))
		if !slices.Contains(d.Years, y) {
			d.Years = append(d.Years, y)
		}
		if counts[row[0]] == nil {
			counts[row[0]] = map[int]int64{}
		}
		counts[row[0]][y] += atoi(row[2])
		bodies[y] += atoi(row[3])
	}
	sort.Ints(d.Years)
	if len(d.Years) == 0 {
		return d, nil
	}
	d.Year = d.Years[len(d.Years)-1]
	if y, err := strconv.Atoi(yearParam); err == nil && slices.Contains(d.Years, y) {
		d.Year = y
	} else if yearParam != "" {
		return nil, badRequest{fmt.Sprintf("year: %q is not a year with reports", yearParam)}
	}
	d.YearTotals = make([]int64, len(d.Years))
	for p, byYear := range counts {
		row := provinceRow{Province: p, Counts: make([]int64, len(d.Years))}
		for i, y := range d.Years {
			row.Counts[i] = byYear[y]
			d.YearTotals[i] += byYear[y]
		}
		d.ProvinceRows = append(d.ProvinceRows, row)
		if byYear[d.Year] > 0 {
			d.Provinces++
		}
	}
	yi := slices.Index(d.Years, d.Year)
	sort.Slice(d.ProvinceRows, func(i, j int) bool {
		a, b := d.ProvinceRows[i], d.ProvinceRows[j]
		if a.Counts[yi] != b.Counts[yi] {
			return a.Counts[yi] > b.Counts[yi]
		}
		return a.Province < b.Province
	})
	d.Reports, d.Bodies = d.YearTotals[yi], bodies[d.Year]
	d.ByProvince = Chart{Kind: "hbar", Series: []Series{{Name: tr(lang, "nation.reports")}}}
	for _, row := range d.ProvinceRows {
		if row.Counts[yi] == 0 {
			continue
		}
		d.ByProvince.Labels = append(d.ByProvince.Labels, provinceName(lang, row.Province))
		d.ByProvince.Series[0].Values = append(d.ByProvince.Series[0].Values, fp(float64(row.Counts[yi])))
	}

	// Section 三 by year: requests and how they were answered.
	res, err = s.query(ctx, "SELECT year, sum(reports) AS r, sum(received_sum) AS rec, sum(processed_sum) AS pro, "+
		"sum(granted_sum) AS o1, sum(partially_granted_sum) AS o2, sum(withheld_sum) AS o3, sum(unable_sum) AS o4, "+
		"sum(not_processed_sum) AS o5, sum(other_processed_sum) AS o6 FROM "+s.view("applications_by_region")+
		" WHERE year > 0 GROUP BY year ORDER BY year")
	if err != nil {
		return nil, fmt.Errorf("applications by year: %w", err)
	}
	d.Applications = Chart{Kind: "bar", Series: []Series{{Name: tr(lang, "nation.received")}, {Name: tr(lang, "nation.processed")}}}
	d.Outcomes = Chart{Kind: "stacked", Percent: true}
	for _, o := range outcomeCodes {
		d.Outcomes.Series = append(d.Outcomes.Series, Series{Name: tr(lang, "outcome."+o)})
	}
	for _, row := range res.Rows {
		f := yearFigures{Year: int(atoi(row[0])), Reports: atoi(row[1]), Received: atoi(row[2]), Processed: atoi(row[3])}
		label := strconv.Itoa(f.Year)
		d.Applications.Labels = append(d.Applications.Labels, label)
		d.Applications.Series[0].Values = append(d.Applications.Series[0].Values, fp(float64(f.Received)))
		d.Applications.Series[1].Values = append(d.Applications.Series[1].Values, fp(float64(f.Processed)))
		d.Outcomes.Labels = append(d.Outcomes.Labels, label)
		for i := range outcomeCodes {
			n := atoi(row[4+i])
			f.Outcomes = append(f.Outcomes, n)
			share := ratio(float64(n), float64(f.Processed))
			f.Shares = append(f.Shares, share)
			d.Outcomes.Series[i].Values = append(d.Outcomes.Series[i].Values, fp(share))
		}
		if f.Year == d.Year {
			d.Received = f.Received
			d.GrantedRate = f.Shares[0]
		}
		d.AppRows = append(d.AppRows, f)
	}

	// Section 四 by year: correction rates.
	res, err = s.query(ctx, "SELECT year, review_group, sum(corrected) AS c, sum(upheld) + sum(corrected) + sum(other_result) AS dec FROM "+
		s.view("review_outcomes")+" WHERE year > 0 GROUP BY year, review_group ORDER BY year, review_group")
	if err != nil {
		return nil, fmt.Errorf("review outcomes by year: %w", err)
	}
	byYear := map[int]*correctionRow{}
	var years []int
	for _, row := range res.Rows {
		y := int(atoi(row[0]))
		cr := byYear[y]
		if cr == nil {
			cr = &correctionRow{Year: y, Rates: make([]float64, len(reviewGroups)), Cases: make([]int64, len(reviewGroups))}
			for i := range cr.Rates {
				cr.Rates[i] = ratio(0, 0)
			}
			byYear[y] = cr
			years = append(years, y)
		}
		if g := slices.Index(reviewGroups, row[1]); g >= 0 {
			dec := atoi(row[3])
			cr.Cases[g] = dec
			cr.Rates[g] = ratio(float64(atoi(row[2])), float64(dec))
		}
	}
	sort.Ints(years)
	d.Corrections = Chart{Kind: "line", Percent: true}
	for _, g := range reviewGroups {
		d.Corrections.Series = append(d.Corrections.Series, Series{Name: tr(lang, "group."+g)})
	}
	for _, y := range years {
		cr := byYear[y]
		d.CorrRows = append(d.CorrRows, *cr)
		d.Corrections.Labels = append(d.Corrections.Labels, strconv.Itoa(y))
		for g := range reviewGroups {
			d.Corrections.Series[g].Values = append(d.Corrections.Series[g].Values, fp(cr.Rates[g]))
		}
	}
	return d, nil
}

// provinceName is a province as stored, or "unknown" in the page's language.
func provinceName(lang, p string) string {
	if p == "" {
		return tr(lang, "unknown")
	}
	return p
}
