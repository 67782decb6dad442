package dashboard

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// openBus starts an embedded NATS for a test.
func openBus(t *testing.T) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.DefaultConfig(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// pipelineBus fills a bus as a running pipeline would: two site statuses, four raw
// documents of which the extractor took three (acked one, dead-lettered one, still
// working on one), and no loader yet.
func pipelineBus(t *testing.T) *bus.Bus {
	t.Helper()
	b := openBus(t)
	ctx := context.Background()
	kv, err := b.CrawlSitesKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, st := range []bus.SiteStatus{
		{Site: "jl-dehui", Name: "德惠市人民政府", Province: "吉林省", Run: "2024-03-01", State: bus.SiteDone,
			Started: now.Add(-time.Hour), Updated: now.Add(-50 * time.Minute), Finished: now.Add(-50 * time.Minute),
			ListPages: 3, Reports: 6, Attachments: 6, Published: 12, Errors: map[string]int{"http_500": 1, "robots": 1},
			LastError: "http_500 http://dehui.gov.cn/art_6.html"},
		{Site: "bj-gov", Name: "北京市人民政府", Province: "北京市", Run: "2024-03-01", State: bus.SiteRunning,
			Started: now.Add(-time.Minute), Updated: now, ListPages: 2, Reports: 1, Published: 1, Errors: map[string]int{"timeout": 2}},
	} {
		data, err := st.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kv.Put(ctx, bus.SiteStatusKey(st.Site), data); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(i int) {
		d, err := rawdoc.New("http://dehui.gov.cn/art_"+string(rune('0'+i))+".html", []byte("<html>report</html>"+string(rune('0'+i))), now)
		if err != nil {
			t.Fatal(err)
		}
		d.Site = rawdoc.Site{ID: "jl-dehui", Code: "220183"}
		if _, err := b.PublishRaw(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		publish(i)
	}
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, bus.StreamRaw, jetstream.ConsumerConfig{Durable: bus.ConsumerExtractor, AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(3, jetstream.FetchMaxWait(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []jetstream.Msg
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	if len(msgs) != 3 {
		t.Fatalf("fetched %d raw documents", len(msgs))
	}
	if err := msgs[0].DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := bus.DeadLetter(ctx, b.JS, "extractor", msgs[1], errors.New("extract: table parser panicked")); err != nil {
		t.Fatal(err)
	}
	publish(4) // not yet delivered
	return b
}

// row returns the table row whose opening tag contains attrs.
func row(t *testing.T, body, attrs string) string {
	t.Helper()
	i := strings.Index(body, "<tr "+attrs)
	if i < 0 {
		t.Fatalf("no row %s", attrs)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

var spaces = regexp.MustCompile(`\s+`)

func TestPipelinePage(t *testing.T) {
	b := pipelineBus(t)
	s := newTestServer(t, DefaultConfig(), b.JS)
	code, body := get(t, s.Handler(), "/pipeline")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	body = spaces.ReplaceAllString(body, " ")
	// Sites: the running one first, totals over both.
	bj, dh := strings.Index(body, `data-site="bj-gov"`), strings.Index(body, `data-site="jl-dehui"`)
	if bj < 0 || dh < 0 || bj > dh {
		t.Errorf("site rows: running bj-gov at %d, done jl-dehui at %d", bj, dh)
	}
	for _, want := range []string{
		`data-figure="sites_running">1<`, `data-figure="sites_done">1<`, `data-figure="site_pages">18<`, // 3+6+6 and 2+1
		`data-figure="site_published">13<`, `data-figure="site_errors">4<`, "http_500 http://dehui.gov.cn/art_6.html", "抓取中", "已完成",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if r := row(t, body, `data-site="jl-dehui"`); !strings.Contains(r, `data-col="pages">15<`) || !strings.Contains(r, `data-col="errors">2<`) {
		t.Errorf("jl-dehui row %s", r)
	}
	// Backlogs: RAW holds 4; the extractor has 1 undelivered, 1 unacknowledged.
	raw := row(t, body, `data-stream="RAW" data-consumer="extractor"`)
	for _, want := range []string{`data-col="msgs">4<`, `data-col="pending">1<`, `data-col="ack_pending">1<`, `data-col="redelivered">0<`} {
		if !strings.Contains(raw, want) {
			t.Errorf("RAW row lacks %q: %s", want, raw)
		}
	}
	for _, c := range []string{"loader", "alerter"} {
		if r := row(t, body, `data-stream="PARSED" data-consumer="`+c+`"`); !strings.Contains(r, "未启动") {
			t.Errorf("PARSED %s: %s", c, r)
		}
	}
	if r := row(t, body, `data-stream="DEAD"`); !strings.Contains(r, `data-col="msgs">1<`) {
		t.Errorf("DEAD row %s", r)
	}
	// Errors by kind: crawl errors summed over sites, rejections from the warehouse,
	// dead letters by stage.
	for attrs, want := range map[string]string{
		`data-kind="timeout"`: ">2<", `data-kind="http_500"`: ">1<", `data-kind="robots"`: ">1<",
		`data-reason="not_report"`: ">1<", `data-reason="unsupported"`: ">1<", `data-stage="extractor"`: ">1<",
	} {
		if r := row(t, body, attrs); !strings.Contains(r, want) {
			t.Errorf("%s: %s, want %s", attrs, r, want)
		}
	}
	// The dead letter, with its reason; no re-drive button by default.
	dl := row(t, body, `data-seq="1"`)
	for _, want := range []string{"extractor", "extract: table parser panicked", "reports.raw.22.jl-dehui"} {
		if !strings.Contains(dl, want) {
			t.Errorf("dead letter row lacks %q: %s", want, dl)
		}
	}
	if strings.Contains(body, `action="/pipeline/redrive"`) {
		t.Error("re-drive button shown while the action is off")
	}
	if !strings.Contains(body, `id="chart-throughput"`) {
		t.Error("no throughput chart")
	}
	code, body = get(t, s.Handler(), "/pipeline?lang=en")
	if code != http.StatusOK || !strings.Contains(body, "Crawl progress per site") || !strings.Contains(body, "not started") {
		t.Errorf("English page: status %d", code)
	}
}

func TestPipelineThroughput(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	ctx := context.Background()
	// The fixture: 8 raw documents fetched 2024-02-01 09:00 (2 rejected), 6
	// reports extracted at 10:00.
	hour := func(d throughputData, label string) hourRow {
		for _, h := range d.Hours {
			if h.Hour == label {
				return h
			}
		}
		t.Fatalf("no hour %s in %+v", label, d.Hours)
		return hourRow{}
	}
	tests := []struct {
		now      string
		lastHour hourRow
	}{
		{"2024-02-01T12:30:00Z", hourRow{}},
		{"2024-02-01T10:30:00Z", hourRow{Parsed: 6}},
		{"2024-02-01T09:30:00Z", hourRow{Fetched: 8, Rejected: 2}},
	}
	for _, tc := range tests {
		now, _ := time.Parse(time.RFC3339, tc.now)
		d, err := s.throughput(ctx, LangEN, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hours) != 24 || len(d.Chart.Labels) != 24 || len(d.Chart.Series) != 3 {
			t.Fatalf("%s: %d hours, %d labels", tc.now, len(d.Hours), len(d.Chart.Labels))
		}
		if h := hour(d, "02-01 09:00"); h.Fetched != 8 || h.Rejected != 2 || h.Parsed != 0 {
			t.Errorf("%s: 09:00 %+v", tc.now, h)
		}
		if tc.now != "2024-02-01T09:30:00Z" {
			if h := hour(d, "02-01 10:00"); h.Parsed != 6 || h.Fetched != 0 {
				t.Errorf("%s: 10:00 %+v", tc.now, h)
			}
		}
		tc.lastHour.Hour = ""
		if d.LastHour != tc.lastHour {
			t.Errorf("%s: last hour %+v, want %+v", tc.now, d.LastHour, tc.lastHour)
		}
	}
	// A day later nothing is in the window.
	d, err := s.throughput(ctx, LangEN, time.Date(2024, 2, 3, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range d.Hours {
		if h.Fetched+h.Parsed+h.Rejected != 0 {
			t.Errorf("outside the window: %+v", h)
		}
	}
}

// post sends a re-drive form to h with the given extra headers.
func post(t *testing.T, h http.Handler, seq string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/pipeline/redrive", strings.NewReader(url.Values{"seq": {seq}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// onSubject counts RAW's messages on subj with the given message ID.
func onSubject(t *testing.T, b *bus.Bus, subj, msgID string) int {
	t.Helper()
	ctx := context.Background()
	str, err := b.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := str.Info(ctx)
	n := 0
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		m, err := str.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		if m.Subject == subj && m.Header.Get(jetstream.MsgIDHeader) == msgID {
			n++
		}
	}
	return n
}

func TestRedriveAction(t *testing.T) {
	b := pipelineBus(t)
	subj := bus.RawSubject("22", "jl-dehui")
	sameOrigin := map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}

	off := newTestServer(t, DefaultConfig(), b.JS)
	if rec := post(t, off.Handler(), "1", sameOrigin); rec.Code != http.StatusForbidden {
		t.Fatalf("re-drive while not allowed: %d", rec.Code)
	}

	cfg := DefaultConfig()
	cfg.Actions.Redrive = true
	s := newTestServer(t, cfg, b.JS)
	h := s.Handler()
	if _, body := get(t, h, "/pipeline"); !strings.Contains(body, `action="/pipeline/redrive"`) {
		t.Error("no re-drive button while the action is on")
	}
	for _, hdr := range []map[string]string{
		{"Origin": "http://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
	} {
		if rec := post(t, h, "1", hdr); rec.Code != http.StatusForbidden {
			t.Errorf("cross-site %v: %d", hdr, rec.Code)
		}
	}
	if rec := post(t, h, "x", sameOrigin); rec.Code != http.StatusBadRequest {
		t.Errorf("bad seq: %d", rec.Code)
	}
	if n := onSubject(t, b, subj, "redrive:1"); n != 0 {
		t.Fatalf("refused requests re-drove %d messages", n)
	}

	rec := post(t, h, "1", sameOrigin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/pipeline?notice=redriven&seq=1#dead" {
		body, _ := io.ReadAll(rec.Body)
		t.Fatalf("re-drive: %d %q\n%s", rec.Code, rec.Header().Get("Location"), body)
	}
	// A double click: the dead letter is gone, nothing is published again.
	rec = post(t, h, "1", sameOrigin)
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "notice=missing") {
		t.Fatalf("second re-drive: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if n := onSubject(t, b, subj, "redrive:1"); n != 1 {
		t.Fatalf("re-driven message on %s %d times, want once", subj, n)
	}
	str, _ := b.JS.Stream(context.Background(), bus.StreamDead)
	if info, _ := str.Info(context.Background()); info.State.Msgs != 0 {
		t.Errorf("DEAD still holds %d", info.State.Msgs)
	}
	if n := testutil.ToFloat64(s.m.redriven.WithLabelValues("extractor", "redriven")); n != 1 {
		t.Errorf("redriven metric %v", n)
	}
	code, body := get(t, h, "/pipeline?notice=redriven&seq=1&lang=en")
	if code != http.StatusOK || !strings.Contains(body, "Dead letter 1 re-driven.") || !strings.Contains(body, "No dead letters.") {
		t.Errorf("page after re-drive: %d", code)
	}
}

func TestPipelineWithoutNATS(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), nil)
	code, body := get(t, s.Handler(), "/pipeline?lang=en")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if !strings.Contains(body, "NATS not configured") {
		t.Error("no NATS notice")
	}
	if !strings.Contains(body, `data-reason="not_report"`) || !strings.Contains(body, `id="chart-throughput"`) {
		t.Error("ClickHouse sections missing without NATS")
	}
	cfg := DefaultConfig()
	cfg.Actions.Redrive = true
	s = newTestServer(t, cfg, nil)
	if rec := post(t, s.Handler(), "1", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("re-drive without NATS: %d", rec.Code)
	}
}

func TestPipelineNATSDown(t *testing.T) {
	b := openBus(t)
	s := newTestServer(t, DefaultConfig(), b.JS)
	b.Close()
	code, body := get(t, s.Handler(), "/pipeline?lang=en")
	if code != http.StatusOK {
		t.Fatalf("status %d with NATS down", code)
	}
	if !strings.Contains(body, "NATS error: ") || !strings.Contains(body, `data-reason="unsupported"`) {
		t.Errorf("NATS down: no notice or no ClickHouse sections")
	}
}
