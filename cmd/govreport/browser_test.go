package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/chserver/chtest"
	"github.com/govreport/govreport/pkg/report"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/sites"
	"gopkg.in/yaml.v3"
)

// chromium returns Debian's chromium, or skips the test (fails instead when
// GOVREPORT_REQUIRE_CHROMIUM=1, as make test sets it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GOVREPORT_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("chromium not found (apt-get install chromium, or make deps-chromium)")
	}
	t.Skip("chromium not installed")
	return ""
}

// browse loads url in headless Chromium, lets its scripts run, saves a screenshot
// as artifact name (at the given width) and returns the DOM as the scripts left it.
func browse(t *testing.T, bin, url, name string, width int) string {
	t.Helper()
	dir := artifactsDir(t)
	profile := t.TempDir()
	common := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
		"--virtual-time-budget=8000", "--lang=zh-CN"}
	run := func(args ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(common, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
		}
		return out
	}
	dom := run("--dump-dom", url)
	shot := filepath.Join(dir, name+".png")
	run(fmt.Sprintf("--window-size=%d,2400", width), "--screenshot="+shot, url)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s missing or empty: %v", shot, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".html"), dom, 0o644); err != nil {
		t.Fatal(err)
	}
	return string(dom)
}

// artifactsDir is where the browser test keeps its screenshots and DOM dumps:
// $GOVREPORT_ARTIFACTS, or testartifacts/browser at the repository root.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("GOVREPORT_ARTIFACTS")
	if dir == "" {
		dir = repoFile("testartifacts")
	}
	dir = filepath.Join(dir, "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// seedSite serves the real seed 000 (德惠市岔路口镇, 2020) as a portal would: a list
// page linking to the report, which is served as the text it is.
func seedSite(t *testing.T) sites.Site {
	body, err := os.ReadFile(repoFile("extractor/testdata/seeds/000_649a0d222900ab96.txt"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ndbg/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>政府信息公开年报</title></head><body><ul>`+
			`<li><a href="/ndbg/2021/art_000.html">德惠市岔路口镇人民政府2020年政府信息公开工作年度报告</a> 2021-01-20</li>`+
			`</ul></body></html>`)
	})
	mux.HandleFunc("/ndbg/2021/art_000.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return sites.Site{
		ID: "seed-dehui", Name: "德惠市人民政府",
		Region:    sites.Region{Province: "吉林省", City: "长春市", County: "德惠市", Code: "220183"},
		StartURLs: []string{srv.URL + "/ndbg/index.html"},
	}
}

// freeAddr returns a loopback address with a port free at the time of the call.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestDashboardInBrowser runs `govreport run` (which serves the dashboard) over a
// generated portal plus the real seed 000, then loads the pages in headless Chromium:
// the charts must draw the numbers the portal's expected records add up to, and the
// seed's report page must show its R1 and R3 findings on the cells they concern.
func TestDashboardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := chromium(t)
	srv := chtest.Shared(t)
	db := chtest.Database(t, srv)

	portal, baseURL, _ := servePortal(t, sampleportal.Config{Seed: 99, Sites: 6, ReportsPerSite: 6, Years: []int{2022, 2023}, ListPageSize: 4})
	all := append(portal.Sites(baseURL), seedSite(t))
	data, err := yaml.Marshal(sites.File{Sites: all})
	if err != nil {
		t.Fatal(err)
	}
	sitesFile := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(sitesFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	config := writeRunConfig(t, srv.DSN(""), db, sitesFile)
	dashAddr := freeAddr(t)
	f, err := os.OpenFile(config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "dashboard: {listen: %q}\n", dashAddr)
	f.Close()

	// What the pages must show, from the generated records and the seed: primary
	// reports per (body, year) by province, and section 三's received per year.
	expected := portal.Expected(baseURL)
	type key struct {
		body string
		year int
	}
	seen := map[key]bool{}
	byProvince := map[int]map[string]int{}
	received := map[int]float64{}
	for _, e := range expected {
		m := e.Record.Meta
		if seen[key{m.Body, m.Year}] {
			continue
		}
		seen[key{m.Body, m.Year}] = true
		if byProvince[m.Year] == nil {
			byProvince[m.Year] = map[string]int{}
		}
		byProvince[m.Year][m.Region.Province]++
		received[m.Year] += e.Record.Applications.Get(report.RowNewReceived, report.ColTotal).Value
	}
	byProvince[2020] = map[string]int{"吉林省": 1}
	received[2020] = 5 // seed 000 prints 5 new requests

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		m := &Main{Stdout: &stdout, Stderr: &stderr}
		done <- m.Run(ctx, []string{"run", "--config", config})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v\n%s", err, stderr.String())
			}
		case <-time.After(60 * time.Second):
			t.Error("run did not stop")
		}
	})
	conn := openDB(t, srv.DSN(db))
	want := len(seen) + 1
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var n uint64
		if err := conn.QueryRow(context.Background(), "SELECT count() FROM "+db+".reports_primary").Scan(&n); err == nil && int(n) >= want {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run stopped: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("reports in ClickHouse never reached %d\n%s", want, stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	base := "http://" + dashAddr

	// The nation page: the province chart of the latest year and the yearly
	// applications chart, as drawn.
	dom := browse(t, bin, base+"/", "nation", 1280)
	browse(t, bin, base+"/", "nation-phone", 390)
	provinces := bars(t, dom, "chart-provinces")
	wantProv := map[string]float64{}
	for p, n := range byProvince[2023] {
		wantProv[p] = float64(n)
	}
	if !sameValues(provinces, wantProv) {
		t.Errorf("province chart bars %v, want %v", provinces, wantProv)
	}
	apps := bars(t, dom, "chart-applications")
	wantApps := map[string]float64{}
	for y, n := range received {
		wantApps[strconv.Itoa(y)+"|"+"本年新收申请"] = n
	}
	for k, v := range wantApps {
		if apps[k] != v {
			t.Errorf("applications chart %s = %v, want %v (all: %v)", k, apps[k], v, apps)
		}
	}

	// The seed's report page: R1 and R3 violated on the natural-person and total
	// columns, highlighted on the cells they read, with the printed values.
	var docID string
	if err := conn.QueryRow(context.Background(), "SELECT doc_id FROM "+db+".reports_current WHERE site = 'seed-dehui'").Scan(&docID); err != nil {
		t.Fatal(err)
	}
	dom = browse(t, bin, base+"/report/"+docID, "report-seed000", 1280)
	browse(t, bin, base+"/report/"+docID, "report-seed000-phone", 390)
	rules := regexp.MustCompile(`data-finding="(f\d+)" data-rule="(R\d)" data-status="violated"`).FindAllStringSubmatch(dom, -1)
	ids := map[string][]string{}
	for _, m := range rules {
		ids[m[2]] = append(ids[m[2]], m[1])
	}
	if len(ids["R1"]) != 2 || len(ids["R3"]) != 2 {
		t.Fatalf("violated findings on the page: %v", rules)
	}
	cells := cellsOnPage(dom)
	for addr, want := range map[string]string{
		"new_received.natural_person": "5", "new_received.total": "5",
		"total.natural_person": "0", "total.total": "0", "granted.total": "5",
	} {
		c, ok := cells[addr]
		if !ok {
			t.Errorf("cell %s not on the page", addr)
			continue
		}
		if c.text != want || !strings.Contains(c.class, "finding") {
			t.Errorf("cell %s: %q class %q, want %q highlighted", addr, c.text, c.class, want)
		}
	}
	// A cell no violated rule read is not highlighted.
	if c := cells["carried_over.research"]; strings.Contains(c.class, "finding") {
		t.Errorf("carried_over.research highlighted: %+v", c)
	}
	if !strings.Contains(dom, `id="archive"`) {
		t.Error("the report page does not frame the archived source")
	}
	// The archived copy is the seed as fetched.
	resp, err := http.Get(base + "/report/" + docID + "/archive")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("archive: status %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}

	for _, page := range []string{"explore", "alerts", "pipeline"} {
		browse(t, bin, base+"/"+page, page, 1280)
	}
}

// bars returns the values Chartist drew in a chart, keyed by the bar's label (and
// "label|series" when the chart has several series).
func bars(t *testing.T, dom, id string) map[string]float64 {
	t.Helper()
	start := strings.Index(dom, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no chart %s on the page", id)
	}
	div := dom[start:]
	if end := strings.Index(div, "</svg>"); end > 0 {
		div = div[:end]
	}
	if open := div[:strings.Index(div, ">")]; !strings.Contains(open, `data-rendered="true"`) {
		t.Errorf("chart %s was not drawn", id)
	}
	out := map[string]float64{}
	multi := strings.Contains(dom[start:min(len(dom), start+4000)], "&quot;series&quot;:[{") &&
		strings.Count(div, "ct-series-b") > 0
	for _, m := range regexp.MustCompile(`<line [^>]*class="ct-bar"[^>]*>`).FindAllString(div, -1) {
		v := attr(m, "ct:value")
		f, err := strconv.ParseFloat(strings.Split(v, ",")[0], 64)
		if err != nil {
			t.Errorf("bar %s: value %q", m, v)
			continue
		}
		k := attr(m, "data-label")
		if multi {
			k += "|" + attr(m, "data-series")
		}
		out[k] = f
	}
	if len(out) == 0 {
		t.Errorf("chart %s has no bars", id)
	}
	return out
}

func attr(tag, name string) string {
	m := regexp.MustCompile(regexp.QuoteMeta(name) + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return m[1]
}

func sameValues(got, want map[string]float64) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

type pageCell struct{ class, text string }

// cellsOnPage reads the report page's cells by address.
func cellsOnPage(dom string) map[string]pageCell {
	out := map[string]pageCell{}
	for _, m := range regexp.MustCompile(`<td class="([^"]*)" data-cell="([^"]+)"[^>]*>([^<]*)</td>`).FindAllStringSubmatch(dom, -1) {
		out[m[2]] = pageCell{class: m[1], text: m[3]}
	}
	return out
}
