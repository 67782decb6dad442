package sampleportal

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/govreport/govreport/pkg/report"
)

// historyConfig is a two-year portal with the history anomalies planted.
func historyConfig() Config {
	c := DefaultConfig()
	c.Sites, c.ReportsPerSite, c.Years, c.HistoryAnomalies = 12, 48, []int{2021, 2022}, true
	return c
}

func TestHistoryAnomalies(t *testing.T) {
	p := mustGenerate(t, historyConfig())
	planted := p.ExpectedHistory(testBase)
	pages1, exp1 := snapshot(t, p)
	again := mustGenerate(t, historyConfig())
	pages2, exp2 := snapshot(t, again)
	h1, _ := json.Marshal(planted)
	h2, _ := json.Marshal(again.ExpectedHistory(testBase))
	if !bytes.Equal(exp1, exp2) || !bytes.Equal(h1, h2) || len(pages1) != len(pages2) {
		t.Fatal("two generations differ")
	}
	for path, b := range pages1 {
		if !bytes.Equal(b, pages2[path]) {
			t.Fatalf("page %s differs between two generations", path)
		}
	}

	byID := map[string]Expected{}
	byBody := map[string]map[int]*report.Record{}
	for _, e := range p.Expected(testBase) {
		// Every record is still what its page says, and valid.
		checkRecord(t, e)
		checkReportPage(t, p.site(e.Record.Meta.Site), e, p.render(p.pages[e.Path]))
		byID[e.Record.Meta.DocID] = e
		m := e.Record.Meta
		if byBody[m.Body] == nil {
			byBody[m.Body] = map[int]*report.Record{}
		}
		byBody[m.Body][m.Year] = e.Record
	}
	rules := map[string]PlantedHistory{}
	for _, h := range planted {
		if _, dup := rules[h.Rule]; dup || h.Year != 2022 {
			t.Errorf("planted %+v", h)
		}
		rules[h.Rule] = h
	}
	if len(rules) != 5 {
		t.Fatalf("planted %+v, want one of each of five", planted)
	}
	recv := func(r *report.Record) float64 {
		v, _ := r.Applications.Get(report.RowNewReceived, report.ColTotal).Num()
		return v
	}
	num := func(r *report.Record, row report.Row, c report.Col) float64 {
		v, _ := r.Applications.Get(row, c).Num()
		return v
	}

	h := rules[PlantedCarryOver]
	now, last := byBody[h.Body][2022], byBody[h.Body][2021]
	if byID[h.DocID].Record != now || len(h.Cols) != 2 {
		t.Fatalf("carry-over %+v", h)
	}
	for _, c := range h.Cols {
		if d := num(now, report.RowCarriedOver, c) - num(last, report.RowCarriedForward, c); d < 2 || d > 4 {
			t.Errorf("carry-over %s: off by %v", c, d)
		}
	}
	h = rules[PlantedJump]
	now, last = byBody[h.Body][2022], byBody[h.Body][2021]
	if recv(now) != float64(h.Received) || recv(now) < 10*recv(last) || recv(now) < 30 || now.Meta.Level != report.LevelCounty {
		t.Errorf("jump %+v: %v after %v", h, recv(now), recv(last))
	}
	h = rules[PlantedPeerOutlier]
	now = byBody[h.Body][2022]
	if recv(now) != float64(h.Received) || h.Received < 900 || now.Meta.Level != report.LevelTownship || byBody[h.Body][2021] != nil {
		t.Errorf("peer outlier %+v", h)
	}
	h = rules[PlantedCopy]
	cp, orig := byID[h.DocID], byID[h.OriginalID]
	if cp.Record == nil || orig.Record == nil || h.Original == h.Body || byBody[h.Body][2021] != nil ||
		cp.Record.Meta.PublishedAt <= orig.Record.Meta.PublishedAt || nonEmptyCells(orig.Record) < 12 {
		t.Fatalf("copy %+v", h)
	}
	for _, row := range report.AllRows {
		for _, c := range report.Cols {
			if !cp.Record.Applications.Get(row, c).SameValue(orig.Record.Applications.Get(row, c)) {
				t.Errorf("copy: %s differs", report.CellAddr(row, c))
			}
		}
	}
	h = rules[PlantedMissing]
	if byBody[h.Body][2021] == nil || byBody[h.Body][2022] != nil || byID[h.DocID].Record != byBody[h.Body][2021] {
		t.Errorf("missing %+v", h)
	}

	// Nothing else breaks a rule across years: carry-overs follow, applications
	// stay within a factor of two, body names are simplified.
	for body, years := range byBody {
		if strings.Contains(body, "縣") || strings.Contains(body, "機關") {
			t.Errorf("traditional body name %s", body)
		}
		a, b := years[2021], years[2022]
		if a == nil || b == nil {
			continue
		}
		if body != rules[PlantedCarryOver].Body {
			for _, c := range report.Cols {
				if num(b, report.RowCarriedOver, c) != num(a, report.RowCarriedForward, c) {
					t.Errorf("%s: carry-over %s broken", body, c)
				}
			}
		}
		if body != rules[PlantedJump].Body {
			x, y := math.Max(recv(b), 1), math.Max(recv(a), 1)
			if math.Max(x, y) >= 30 && (x/y >= 3 || y/x >= 3) {
				t.Errorf("%s: %v requests after %v", body, recv(b), recv(a))
			}
		}
	}
}

func TestHistoryAnomaliesConfig(t *testing.T) {
	if h := mustGenerate(t, DefaultConfig()).ExpectedHistory(testBase); h != nil {
		t.Errorf("history anomalies without the option: %+v", h)
	}
	c := historyConfig()
	c.Years = []int{2019, 2021}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "consecutive") {
		t.Errorf("non-consecutive years: %v", err)
	}
	c = historyConfig()
	c.Sites, c.ReportsPerSite = 2, 10
	if _, err := Generate(c); err == nil || !strings.Contains(err.Error(), "raise sites or reports_per_site") {
		t.Errorf("two small sites: %v", err)
	}
}
