package dashboard

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
)

func TestNationFigures(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	d, err := s.nationData(context.Background(), LangZH, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Years) != 2 || d.Years[0] != 2022 || d.Years[1] != 2023 || d.Year != 2023 {
		t.Fatalf("years %v, selected %d", d.Years, d.Year)
	}
	if d.Reports != fixtureReports2023 || d.Received != fixtureReceived2023 || d.Provinces != 3 || d.Bodies != 4 {
		t.Errorf("2023: reports %d received %d provinces %d bodies %d", d.Reports, d.Received, d.Provinces, d.Bodies)
	}
	if want := float64(fixtureGranted2023) / fixtureTotal2023; math.Abs(d.GrantedRate-want) > 1e-9 {
		t.Errorf("granted rate %v, want %v", d.GrantedRate, want)
	}
	// Provinces sorted by 2023 reports: 河北省 2 (d6 is not primary), then 北京市 and 吉林省 1 each.
	wantLabels := []string{"河北省", "北京市", "吉林省"}
	if strings.Join(d.ByProvince.Labels, ",") != strings.Join(wantLabels, ",") {
		t.Errorf("province chart labels %v, want %v", d.ByProvince.Labels, wantLabels)
	}
	if v := d.ByProvince.Series[0].Values; *v[0] != 2 || *v[1] != 1 || *v[2] != 1 {
		t.Errorf("province chart values %v %v %v", *v[0], *v[1], *v[2])
	}
	// 2022: 北京 granted 60 + partially 20 + withheld 10 of 90.
	if got := d.AppRows[0]; got.Year != 2022 || got.Received != 100 || got.Processed != 90 || got.Outcomes[2] != 10 {
		t.Errorf("2022 applications %+v", got)
	}
	// Review correction rate 2023: corrected 1+1 of decided (4+1)+(1+1) = 2/7;
	// litigation_direct 2/4; 2022 review 1/4.
	if len(d.CorrRows) != 2 {
		t.Fatalf("correction rows %+v", d.CorrRows)
	}
	if r := d.CorrRows[1].Rates; math.Abs(r[0]-2.0/7) > 1e-9 || math.Abs(r[1]-0.5) > 1e-9 || !math.IsNaN(r[2]) {
		t.Errorf("2023 correction rates %v", r)
	}
	if r := d.CorrRows[0].Rates[0]; math.Abs(r-0.25) > 1e-9 {
		t.Errorf("2022 review correction rate %v", r)
	}
}

func TestNationPage(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	code, body := get(t, s.Handler(), "/")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	for _, want := range []string{`data-figure="received">183<`, "全国概览", `id="chart-provinces"`, "河北省", "纠错率"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	code, body = get(t, s.Handler(), "/?year=2022&lang=en")
	if code != http.StatusOK || !strings.Contains(body, `data-figure="received">100<`) || !strings.Contains(body, "The nation at a glance") {
		t.Errorf("2022 in English: status %d", code)
	}
	if code, _ := get(t, s.Handler(), "/?year=1999"); code != http.StatusBadRequest {
		t.Errorf("year without reports: status %d, want 400", code)
	}
}
