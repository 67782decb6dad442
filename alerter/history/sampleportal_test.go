package history

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
)

// TestSamplePortalHistory loads the expected records of generated two-year
// portals with history anomalies (nothing rendered) and checks that Evaluate, with
// the default configuration, raises exactly the planted anomalies — a broken
// carry-over, a tenfold jump, a copied report, a missing body and a peer outlier —
// with their cells, and nothing else.
func TestSamplePortalHistory(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			cfg := sampleportal.DefaultConfig()
			cfg.Seed, cfg.Sites, cfg.ReportsPerSite, cfg.Years = seed, 12, 48, []int{2021, 2022}
			cfg.HistoryAnomalies = true
			p, err := sampleportal.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			conn, db := openWarehouse(t)
			var recs []*report.Record
			for _, e := range p.Expected("http://127.0.0.1:8080") {
				r := e.Record
				r.Meta.ExtractedAt = fixtureTime
				sum := sha256.Sum256([]byte(e.URL))
				r.Meta.ContentSHA256 = hex.EncodeToString(sum[:])
				recs = append(recs, r)
			}
			load(t, conn, db, recs...)
			res := evaluate(t, conn, db, DefaultConfig(), []int{2021, 2022}, time.Date(2023, 6, 1, 0, 0, 0, 0, cst))

			planted := p.ExpectedHistory("http://127.0.0.1:8080")
			var want []string
			for _, h := range planted {
				switch h.Rule {
				case sampleportal.PlantedCarryOver:
					for _, c := range h.Cols {
						want = append(want, fmt.Sprintf("%s %s %d col:%s %s", h.Rule, h.Body, h.Year, c, h.DocID))
					}
				case sampleportal.PlantedJump, sampleportal.PlantedPeerOutlier:
					want = append(want, fmt.Sprintf("%s %s %d received %s", h.Rule, h.Body, h.Year, h.DocID))
				case sampleportal.PlantedCopy:
					want = append(want, fmt.Sprintf("%s %s %d tables %s of %s %d %s", h.Rule, h.Body, h.Year, h.DocID, h.Original, h.OriginalYear, h.OriginalID))
				case sampleportal.PlantedMissing:
					want = append(want, fmt.Sprintf("%s %s %d report %s", h.Rule, h.Body, h.Year, h.DocID))
				}
			}
			var got []string
			for _, a := range res.Alerts {
				s := fmt.Sprintf("%s %s %d %s %s", a.Rule, a.Body, a.Year, a.Scope, a.DocID)
				if a.Rule == RuleCopy {
					s += fmt.Sprintf(" of %s %d %s", a.Related[0].Body, a.Related[0].Year, a.Related[0].DocID)
				}
				got = append(got, s)
			}
			slices.Sort(want)
			slices.Sort(got)
			if len(planted) != 5 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("alerts\n%s\nplanted\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, a := range res.Alerts {
				for _, h := range planted {
					if a.Rule != report.Rule(h.Rule) || a.Body != h.Body {
						continue
					}
					switch h.Rule {
					case sampleportal.PlantedCarryOver:
						if a.Evidence["difference"] < 2 || a.Evidence["difference"] > 4 || a.Cells[0] != "carried_over."+strings.TrimPrefix(a.Scope, "col:") {
							t.Errorf("carry-over %+v", a)
						}
					case sampleportal.PlantedJump:
						if a.Evidence["received"] != float64(h.Received) || a.Evidence["ratio"] < 10 {
							t.Errorf("jump %+v", a)
						}
					case sampleportal.PlantedPeerOutlier:
						if a.Evidence["received"] != float64(h.Received) || a.Evidence["z"] < 5 || a.Evidence["group"] < 8 {
							t.Errorf("peer outlier %+v", a)
						}
					case sampleportal.PlantedCopy:
						if a.Evidence["similarity"] != 1 {
							t.Errorf("copy %+v", a)
						}
					}
				}
			}
			t.Logf("%d reports, %d alerts; %+v", len(recs), len(res.Alerts), res.Stats)
		})
	}
}
