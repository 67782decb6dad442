package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/govreport/govreport/pkg/bus"
	"github.com/nats-io/nats.go/jetstream"
)

// pipelineText holds the pipeline page's strings.
var pipelineText = text{
	"pipeline.title":              {"运行状态", "Pipeline"},
	"pipeline.no_nats":            {"未配置 NATS：抓取进度、消息积压和死信无法显示。", "NATS not configured: crawl progress, backlogs and dead letters cannot be shown."},
	"pipeline.nats_error":         {"NATS 查询出错：", "NATS error: "},
	"pipeline.ch_error":           {"ClickHouse 查询出错，请稍后再试。", "The ClickHouse query failed; try again shortly."},
	"pipeline.sites":              {"各站点抓取进度", "Crawl progress per site"},
	"pipeline.sites_none":         {"还没有站点抓取记录。", "No site has been crawled yet."},
	"pipeline.sites_shown":        {"显示 %d 个站点（共 %d 个）。", "Showing %d of %d sites."},
	"pipeline.site":               {"站点", "Site"},
	"pipeline.state":              {"状态", "State"},
	"pipeline.run":                {"批次", "Run"},
	"pipeline.started":            {"开始", "Started"},
	"pipeline.updated":            {"更新", "Updated"},
	"pipeline.pages":              {"页面", "Pages"},
	"pipeline.published":          {"新发布", "Published"},
	"pipeline.unchanged":          {"未变化", "Unchanged"},
	"pipeline.errors":             {"错误", "Errors"},
	"pipeline.last_error":         {"最近错误", "Last error"},
	"pipeline.total":              {"合计", "Total"},
	"pipeline.state.running":      {"抓取中", "running"},
	"pipeline.state.done":         {"已完成", "done"},
	"pipeline.state.failed":       {"失败", "failed"},
	"pipeline.state.interrupted":  {"已中断", "interrupted"},
	"pipeline.state.stale":        {"无响应", "no updates"},
	"pipeline.sites_running":      {"抓取中站点", "sites running"},
	"pipeline.sites_done":         {"已完成站点", "sites done"},
	"pipeline.sites_failed":       {"失败或中断站点", "sites failed or interrupted"},
	"pipeline.backlogs":           {"消息流积压", "Stream backlogs"},
	"pipeline.stream":             {"消息流", "Stream"},
	"pipeline.messages":           {"消息数", "Messages"},
	"pipeline.bytes":              {"字节", "Bytes"},
	"pipeline.consumer":           {"消费者", "Consumer"},
	"pipeline.pending":            {"待处理", "Pending"},
	"pipeline.ack_pending":        {"处理中", "Ack pending"},
	"pipeline.redelivered":        {"重投", "Redelivered"},
	"pipeline.last_active":        {"最近活动", "Last active"},
	"pipeline.not_started":        {"未启动", "not started"},
	"pipeline.no_consumer":        {"—", "—"},
	"pipeline.stream_missing":     {"消息流不存在", "stream missing"},
	"pipeline.throughput":         {"近24小时吞吐量（每小时，UTC）", "Throughput over the last 24 hours (per hour, UTC)"},
	"pipeline.hour":               {"小时（UTC）", "Hour (UTC)"},
	"pipeline.fetched":            {"抓取文档", "documents fetched"},
	"pipeline.parsed":             {"解析入库年报", "reports parsed and loaded"},
	"pipeline.rejected":           {"拒收文档", "documents rejected"},
	"pipeline.last_hour":          {"最近一小时", "in the last hour"},
	"pipeline.throughput_note":    {"抓取和拒收按抓取时间计，解析入库按解析时间计；仓库没有入库时间，已解析未入库的见 PARSED 的 loader 积压。", "Fetched and rejected count by fetch time, parsed by extraction time; the warehouse keeps no load time: parsed but not yet loaded is the loader's backlog on PARSED."},
	"pipeline.error_counts":       {"错误统计", "Error counts"},
	"pipeline.crawl_errors":       {"抓取错误（按类型）", "Crawl errors by kind"},
	"pipeline.rejections":         {"拒收原因", "Rejections by reason"},
	"pipeline.dead_by_stage":      {"死信（按环节）", "Dead letters by stage"},
	"pipeline.kind":               {"类型", "Kind"},
	"pipeline.reason":             {"原因", "Reason"},
	"pipeline.stage":              {"环节", "Stage"},
	"pipeline.count":              {"数量", "Count"},
	"pipeline.none":               {"无", "None"},
	"pipeline.dead":               {"死信", "Dead letters"},
	"pipeline.dead_none":          {"没有死信。", "No dead letters."},
	"pipeline.dead_shown":         {"最新的 %d 条。", "The newest %d."},
	"pipeline.seq":                {"序号", "Seq"},
	"pipeline.time":               {"时间（UTC）", "Time (UTC)"},
	"pipeline.subject":            {"原主题", "Subject"},
	"pipeline.doc_id":             {"文档ID", "Doc ID"},
	"pipeline.deliveries":         {"投递次数", "Deliveries"},
	"pipeline.size":               {"大小", "Size"},
	"pipeline.redrive":            {"重新投递", "Re-drive"},
	"pipeline.redrive_off":        {"重新投递未开启（dashboard.actions.redrive）。", "Re-driving is off (dashboard.actions.redrive)."},
	"pipeline.redrive_forbidden":  {"不允许重新投递死信。", "Re-driving dead letters is not allowed."},
	"pipeline.redrive_cross_site": {"拒绝跨站请求。", "Cross-site request refused."},
	"pipeline.redrive_bad_seq":    {"seq 应为死信序号", "seq: want a dead letter's sequence number"},
	"pipeline.notice.redriven":    {"死信 %d 已重新投递。", "Dead letter %d re-driven."},
	"pipeline.notice.duplicate":   {"死信 %d 此前已重新投递，未重复发布。", "Dead letter %d had been re-driven already; not published twice."},
	"pipeline.notice.missing":     {"没有序号为 %d 的死信（可能已重新投递）。", "No dead letter %d (perhaps re-driven already)."},
	"pipeline.notice.refused":     {"死信 %d 没有原主题，不能重新投递。", "Dead letter %d has no original subject: it cannot be re-driven."},
}

// Limits of the page.
const (
	// maxSiteRows caps the site table (running sites come first); totals cover all.
	maxSiteRows = 300
	// maxDeadLetters is how many of the newest dead letters are listed.
	maxDeadLetters = 100
	// staleAfter marks a running crawl whose status has not moved for this long
	// (its process probably died; the job goes to another worker after AckWait).
	staleAfter = 2 * time.Minute
	// natsTimeout bounds the page's NATS requests.
	natsTimeout = 10 * time.Second
)

// pipelineStreams are the streams shown and the durable consumers of each.
var pipelineStreams = []struct {
	name      string
	consumers []string
}{
	{bus.StreamCrawlJobs, []string{bus.ConsumerCrawler}},
	{bus.StreamRaw, []string{bus.ConsumerExtractor}},
	{bus.StreamParsed, []string{bus.ConsumerLoader, bus.ConsumerAlerter}},
	{bus.StreamAlerts, nil},
	{bus.StreamDead, nil},
}

// pipelineData is the pipeline page.
type pipelineData struct {
	// NATS says whether JetStream is configured.
	NATS bool
	// Notice is the result of a re-drive (already translated), NoticeErr whether it
	// is a failure.
	Notice    string
	NoticeErr bool
	// CanRedrive shows the re-drive buttons.
	CanRedrive bool

	Sites      []siteRow
	SitesTotal int
	SiteTotals siteTotals
	SitesErr   string

	Streams    []streamRow
	StreamsErr string

	Throughput    throughputData
	ThroughputErr bool

	CrawlErrors   []kindCount
	Rejections    []kindCount
	RejectionsErr bool
	DeadByStage   []kindCount

	Dead    []deadRow
	DeadErr string
}

// siteRow is a site's status as the table shows it.
type siteRow struct {
	bus.SiteStatus
	Stale            bool
	Started, Updated string
	// Same counts the documents found unchanged (a 304 or the same body).
	Same int
}

// siteTotals sums the site statuses.
type siteTotals struct {
	Running, Done, Failed             int
	Pages, Published, Unchanged, Errs int
}

// streamRow is a stream and its consumers.
type streamRow struct {
	Name      string
	Missing   bool
	Msgs      uint64
	Bytes     uint64
	Consumers []consumerRow
}

// consumerRow is a durable consumer's backlog.
type consumerRow struct {
	Name       string
	NotStarted bool
	Pending    uint64
	AckPending int
	Redeliver  int
	LastActive string
}

// throughputData is the per-hour throughput of the last 24 hours.
type throughputData struct {
	Chart Chart
	Hours []hourRow
	// LastHour counts the 60 minutes before now.
	LastHour hourRow
}

// hourRow is one hour's figures.
type hourRow struct {
	Hour                      string
	Fetched, Parsed, Rejected int64
}

// kindCount is a count of one kind (error kind, rejection reason, stage).
type kindCount struct {
	Kind  string
	Count int64
}

// deadRow is a dead letter as the table shows it.
type deadRow struct {
	bus.DeadLetterInfo
	When string
}

func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	ctx := r.Context()
	d := pipelineData{NATS: s.deps.JS != nil, CanRedrive: s.cfg.Actions.Redrive && s.deps.JS != nil}
	d.Notice, d.NoticeErr = redriveNotice(lang, r.URL.Query())
	now := time.Now()
	if s.deps.JS != nil {
		s.natsSections(ctx, &d, now)
	}
	var err error
	if d.Throughput, err = s.throughput(ctx, lang, now); err != nil {
		s.log.Warn("pipeline throughput", "err", err)
		d.ThroughputErr = true
	}
	if d.Rejections, err = s.rejections(ctx); err != nil {
		s.log.Warn("pipeline rejections", "err", err)
		d.RejectionsErr = true
	}
	s.render(w, r, http.StatusOK, "pipeline", "pipeline.title", d)
}

// natsSections fills the parts of the page read from NATS; an error is shown in
// its section.
func (s *Server) natsSections(ctx context.Context, d *pipelineData, now time.Time) {
	ctx, cancel := context.WithTimeout(ctx, natsTimeout)
	defer cancel()
	js := s.deps.JS
	statuses, err := bus.SiteStatuses(ctx, js)
	if err != nil {
		d.SitesErr = err.Error()
	}
	d.SitesTotal = len(statuses)
	crawlErrs := map[string]int64{}
	for _, st := range statuses {
		stale := st.State == bus.SiteRunning && now.Sub(st.Updated) > staleAfter
		switch st.State {
		case bus.SiteRunning:
			d.SiteTotals.Running++
		case bus.SiteDone:
			d.SiteTotals.Done++
		default:
			d.SiteTotals.Failed++
		}
		d.SiteTotals.Pages += st.Pages()
		d.SiteTotals.Published += st.Published
		d.SiteTotals.Unchanged += st.Unchanged + st.NotModified
		d.SiteTotals.Errs += st.ErrorCount()
		for k, v := range st.Errors {
			crawlErrs[k] += int64(v)
		}
		if len(d.Sites) < maxSiteRows {
			d.Sites = append(d.Sites, siteRow{SiteStatus: st, Stale: stale, Started: fmtTime(st.Started), Updated: fmtTime(st.Updated), Same: st.Unchanged + st.NotModified})
		}
	}
	d.CrawlErrors = sortedCounts(crawlErrs)
	if d.Streams, err = backlogs(ctx, js); err != nil {
		d.StreamsErr = err.Error()
	}
	dead, err := bus.ListDeadLetters(ctx, js, maxDeadLetters)
	for _, dl := range dead {
		d.Dead = append(d.Dead, deadRow{DeadLetterInfo: dl, When: fmtTime(dl.Time)})
	}
	if err == nil {
		var counts map[string]uint64
		if counts, err = bus.DeadLetterCounts(ctx, js); err == nil {
			byStage := map[string]int64{}
			for k, v := range counts {
				byStage[k] = int64(v)
			}
			d.DeadByStage = sortedCounts(byStage)
		}
	}
	if err != nil {
		d.DeadErr = err.Error()
	}
}

// backlogs reads the streams' and their consumers' state. A stream or consumer
// that does not exist is shown as missing or not started.
func backlogs(ctx context.Context, js jetstream.JetStream) ([]streamRow, error) {
	var out []streamRow
	for _, ps := range pipelineStreams {
		row := streamRow{Name: ps.name}
		str, err := js.Stream(ctx, ps.name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			row.Missing = true
			out = append(out, row)
			continue
		}
		if err != nil {
			return out, fmt.Errorf("stream %s: %w", ps.name, err)
		}
		info := str.CachedInfo()
		row.Msgs, row.Bytes = info.State.Msgs, info.State.Bytes
		for _, name := range ps.consumers {
			cr := consumerRow{Name: name}
			c, err := js.Consumer(ctx, ps.name, name)
			switch {
			case errors.Is(err, jetstream.ErrConsumerNotFound):
				cr.NotStarted = true
			case err != nil:
				return out, fmt.Errorf("consumer %s on %s: %w", name, ps.name, err)
			default:
				ci := c.CachedInfo()
				cr.Pending, cr.AckPending, cr.Redeliver = ci.NumPending, ci.NumAckPending, ci.NumRedelivered
				var last time.Time
				for _, t := range []*time.Time{ci.Delivered.Last, ci.AckFloor.Last} {
					if t != nil && t.After(last) {
						last = *t
					}
				}
				cr.LastActive = fmtTime(last)
			}
			row.Consumers = append(row.Consumers, cr)
		}
		out = append(out, row)
	}
	return out, nil
}

// throughput counts documents fetched, reports parsed and documents rejected per
// hour over the 24 hours up to now (UTC hours), and in the 60 minutes before now.
func (s *Server) throughput(ctx context.Context, lang string, now time.Time) (throughputData, error) {
	now = now.UTC()
	first := now.Truncate(time.Hour).Add(-23 * time.Hour)
	end := now.Truncate(time.Hour).Add(time.Hour)
	lastHour := now.Add(-time.Hour).Unix()
	var d throughputData
	byHour := map[int64]*hourRow{}
	for i := range 24 {
		h := first.Add(time.Duration(i) * time.Hour)
		d.Hours = append(d.Hours, hourRow{Hour: h.Format("01-02 15:00")})
		byHour[h.Unix()] = &d.Hours[i]
	}
	raw, err := s.query(ctx, `SELECT toUnixTimestamp(toStartOfHour(fetched_at)) AS h, count() AS n,
		countIf(status = 'rejected') AS n_rejected,
		countIf(toUnixTimestamp(fetched_at) >= ?) AS n_last,
		countIf(status = 'rejected' AND toUnixTimestamp(fetched_at) >= ?) AS n_last_rejected
		FROM `+s.view("raw_documents_current")+`
		WHERE toUnixTimestamp(fetched_at) >= ? AND toUnixTimestamp(fetched_at) < ?
		GROUP BY h`, lastHour, lastHour, first.Unix(), end.Unix())
	if err != nil {
		return d, fmt.Errorf("fetched per hour: %w", err)
	}
	for _, r := range raw.Rows {
		if h := byHour[atoi(r[0])]; h != nil {
			h.Fetched, h.Rejected = atoi(r[1]), atoi(r[2])
		}
		d.LastHour.Fetched += atoi(r[3])
		d.LastHour.Rejected += atoi(r[4])
	}
	rep, err := s.query(ctx, `SELECT toUnixTimestamp(toStartOfHour(extracted_at)) AS h, count() AS n,
		countIf(toUnixTimestamp(extracted_at) >= ?) AS n_last
		FROM `+s.view("reports_current")+`
		WHERE toUnixTimestamp(extracted_at) >= ? AND toUnixTimestamp(extracted_at) < ?
		GROUP BY h`, lastHour, first.Unix(), end.Unix())
	if err != nil {
		return d, fmt.Errorf("parsed per hour: %w", err)
	}
	for _, r := range rep.Rows {
		if h := byHour[atoi(r[0])]; h != nil {
			h.Parsed = atoi(r[1])
		}
		d.LastHour.Parsed += atoi(r[2])
	}
	d.Chart = Chart{Kind: "line"}
	series := []Series{{Name: tr(lang, "pipeline.fetched")}, {Name: tr(lang, "pipeline.parsed")}, {Name: tr(lang, "pipeline.rejected")}}
	for _, h := range d.Hours {
		d.Chart.Labels = append(d.Chart.Labels, h.Hour)
		series[0].Values = append(series[0].Values, fp(float64(h.Fetched)))
		series[1].Values = append(series[1].Values, fp(float64(h.Parsed)))
		series[2].Values = append(series[2].Values, fp(float64(h.Rejected)))
	}
	d.Chart.Series = series
	return d, nil
}

// rejections counts the rejected documents by reason.
func (s *Server) rejections(ctx context.Context) ([]kindCount, error) {
	res, err := s.query(ctx, "SELECT reason, count() AS n FROM "+s.view("raw_documents_current")+
		" WHERE status = 'rejected' GROUP BY reason ORDER BY n DESC, reason")
	if err != nil {
		return nil, fmt.Errorf("rejections by reason: %w", err)
	}
	var out []kindCount
	for _, r := range res.Rows {
		out = append(out, kindCount{Kind: r[0], Count: atoi(r[1])})
	}
	return out, nil
}

// redriveNotice is the notice a re-drive's redirect asks for (?notice=…&seq=…).
func redriveNotice(lang string, q url.Values) (string, bool) {
	seq, err := strconv.ParseUint(q.Get("seq"), 10, 64)
	if err != nil {
		return "", false
	}
	switch n := q.Get("notice"); n {
	case "redriven", "duplicate":
		return tr(lang, "pipeline.notice."+n, seq), false
	case "missing", "refused":
		return tr(lang, "pipeline.notice."+n, seq), true
	}
	return "", false
}

// crossOrigin refuses cross-site requests (Sec-Fetch-Site, or Origin against Host).
var crossOrigin = http.NewCrossOriginProtection()

// redrive re-publishes a dead letter to its original subject (POST, form field
// seq) and redirects back to the page with a notice.
func (s *Server) redrive(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	if !s.cfg.Actions.Redrive {
		http.Error(w, tr(lang, "pipeline.redrive_forbidden"), http.StatusForbidden)
		return
	}
	if err := crossOrigin.Check(r); err != nil {
		s.log.Warn("cross-site re-drive refused", "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.m.redriven.WithLabelValues(bus.Unknown, "cross_site").Inc()
		http.Error(w, tr(lang, "pipeline.redrive_cross_site"), http.StatusForbidden)
		return
	}
	if s.deps.JS == nil {
		http.Error(w, tr(lang, "pipeline.no_nats"), http.StatusServiceUnavailable)
		return
	}
	seq, err := strconv.ParseUint(r.PostFormValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		s.fail(w, r, 0, badRequest{tr(lang, "pipeline.redrive_bad_seq")})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), natsTimeout)
	defer cancel()
	res, err := bus.Redrive(ctx, s.deps.JS, seq)
	stage := res.Dead.Stage
	if stage == "" {
		stage = bus.Unknown
	}
	log := s.log.With("seq", seq, "stage", stage, "subject", res.Dead.Subject, "doc_id", res.Dead.DocID,
		"remote", r.RemoteAddr, "forwarded_for", r.Header.Get("X-Forwarded-For"), "user_agent", r.UserAgent())
	notice := "redriven"
	switch {
	case errors.Is(err, bus.ErrDeadLetterNotFound):
		notice = "missing"
	case errors.Is(err, bus.ErrNoOriginalSubject):
		notice = "refused"
	case err != nil:
		s.m.redriven.WithLabelValues(stage, "error").Inc()
		s.fail(w, r, 0, err)
		return
	case res.Ack.Duplicate:
		notice = "duplicate"
	}
	s.m.redriven.WithLabelValues(stage, notice).Inc()
	if err != nil {
		log.Info("dead letter not re-driven", "result", notice, "err", err)
	} else {
		log.Info("dead letter re-driven", "result", notice, "stream", res.Ack.Stream, "new_seq", res.Ack.Sequence)
	}
	http.Redirect(w, r, "/pipeline?notice="+notice+"&seq="+strconv.FormatUint(seq, 10)+"#dead", http.StatusSeeOther)
}

// sortedCounts orders counts by size, then by kind.
func sortedCounts(m map[string]int64) []kindCount {
	out := make([]kindCount, 0, len(m))
	for k, v := range m {
		out = append(out, kindCount{Kind: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// fmtTime writes a time in UTC to the second; the zero time as "".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}
