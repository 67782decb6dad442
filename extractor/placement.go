package extractor

import (
	"net/url"
	"strings"

	"github.com/govreport/govreport/pkg/regions"
	"github.com/govreport/govreport/pkg/report"
)

// placer decides a body's division and level (regions.Table does).
type placer interface {
	Resolve(regions.Input) regions.Result
}

// defaultPlacer is the embedded national division table; nil when it cannot load,
// which its own tests rule out, and then records keep the site's region.
func defaultPlacer() placer {
	t, err := regions.Default()
	if err != nil {
		return nil
	}
	return t
}

// place resolves the record's body against the divisions, with the site's region,
// the document's host and SiteIDCode and its text as evidence. The site's region
// is kept where the resolver knows no more; the level falls back to the rule on the
// body's name.
func place(p placer, rec *report.Record, text string) {
	if p == nil || rec.Meta.Body == "" {
		return
	}
	host := ""
	if u, err := url.Parse(rec.Meta.SourceURL); err == nil {
		host = u.Hostname()
	}
	if len(text) > regions.MaxText {
		text = text[:regions.MaxText]
	}
	res := p.Resolve(regions.Input{Body: rec.Meta.Body, Site: rec.Meta.Region, Domain: host,
		SiteIDCode: rec.Meta.SiteIDCode, Text: strings.ToValidUTF8(text, "")})
	if res.Region != (report.Region{}) {
		rec.Meta.Region = res.Region
	}
	if res.Level != report.LevelUnknown {
		rec.Meta.Level = res.Level
	}
	rec.Meta.Placement = &report.Placement{
		DivisionLevel: res.DivisionLevel, Department: res.Department, Zone: res.Zone,
		Confidence: res.Confidence, Evidence: res.Evidence, Reason: res.Reason,
	}
}
