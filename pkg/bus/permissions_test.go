package bus

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// permUser is a bus opened as one user of deploy/nats/accounts.conf, with the
// connection's asynchronous errors (permissions violations) collected.
type permUser struct {
	name       string
	b          *Bus
	violations chan error
}

func openAs(t *testing.T, url, user string, manage bool) *permUser {
	t.Helper()
	cfg := DefaultConfig()
	cfg.URL, cfg.User, cfg.Password = url, user, testPassword(user)
	cfg.ManageStreams = manage
	cfg.MaxInlineBody = 16 << 10
	cfg.ConnectTimeout = 5 * time.Second
	b, err := Open(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatalf("open as %s: %v", user, err)
	}
	t.Cleanup(func() { b.Close() })
	u := &permUser{name: user, b: b, violations: make(chan error, 256)}
	b.Conn.SetErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case u.violations <- err:
		default:
		}
	})
	return u
}

// noViolations fails when the server reported a violation for anything the user
// did so far: every allowed operation must be allowed in full, including what it
// does on the side (deleting an ordered consumer, flow control replies).
func (u *permUser) noViolations(t *testing.T) {
	t.Helper()
	if err := u.b.Conn.FlushTimeout(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the error handler runs on its own goroutine
	for {
		select {
		case err := <-u.violations:
			t.Errorf("%s: unexpected error: %v", u.name, err)
		default:
			return
		}
	}
}

// denied runs op, which must fail, and expects the server to report a permissions
// violation naming subject.
func (u *permUser) denied(t *testing.T, subject string, op func(ctx context.Context) error) {
	t.Helper()
	u.noViolations(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := op(ctx)
	if err == nil {
		t.Errorf("%s: %s allowed, want denied", u.name, subject)
	}
	select {
	case v := <-u.violations:
		if !errors.Is(v, nats.ErrPermissionViolation) || !strings.Contains(v.Error(), `"`+subject+`"`) {
			t.Errorf("%s: %s: got %v, want a permissions violation for it", u.name, subject, v)
		}
	case <-time.After(3 * time.Second):
		t.Errorf("%s: %s: no permissions violation reported (op error %v)", u.name, subject, err)
	}
}

// publishDenied checks a JetStream publish to subj is refused.
func (u *permUser) publishDenied(t *testing.T, subj string) {
	t.Helper()
	u.denied(t, subj, func(ctx context.Context) error {
		_, err := u.b.JS.Publish(ctx, subj, []byte("{}"))
		return err
	})
}

func fetchN(t *testing.T, ctx context.Context, c jetstream.Consumer, n int) []jetstream.Msg {
	t.Helper()
	batch, err := c.Fetch(n, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for m := range batch.Messages() {
		out = append(out, m)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("fetched %d messages, want %d", len(out), n)
	}
	return out
}

// watchBriefly runs a max-deliveries watcher for a moment: its subscription and
// stream lookup must be allowed.
func watchBriefly(t *testing.T, u *permUser, stream, consumer, stage string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := u.b.WatchMaxDeliveries(ctx, stream, consumer, stage, nil); err != nil {
		t.Errorf("%s: watch max deliveries: %v", u.name, err)
	}
}

// Every stage user of deploy/nats/accounts.conf can do its stage's work with a bus
// that does not manage streams, and is refused what its stage must not do.
func TestDeployedPermissions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nats-server")
	}
	s, _ := startDeployedServer(t, "")
	url := s.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// A stage user cannot set the bus up: Open fails with the missing stream.
	cfg := DefaultConfig()
	cfg.URL, cfg.User, cfg.Password, cfg.ManageStreams = url, "loader", testPassword("loader"), false
	cfg.ConnectTimeout = 3 * time.Second
	if _, err := Open(ctx, cfg, "", nil); !errors.Is(err, ErrNotSetUp) || !strings.Contains(err.Error(), "stream RAW missing: run `govreport migrate`") {
		t.Fatalf("open before migrate: %v", err)
	}
	// Nor can it create streams when told to manage them.
	cfg.ManageStreams = true
	if _, err := Open(ctx, cfg, "", nil); err == nil {
		t.Fatal("loader created the streams")
	}
	// A wrong password is refused.
	cfg.Password = "wrong"
	if _, err := Open(ctx, cfg, "", nil); err == nil || !strings.Contains(strings.ToLower(err.Error()), "authorization") {
		t.Fatalf("wrong password: %v", err)
	}

	// The admin sets everything up.
	admin := openAs(t, url, "admin", true)
	if err := CheckAll(ctx, admin.b.JS); err != nil {
		t.Fatal(err)
	}

	crawler := openAs(t, url, "crawler", false)
	extractor := openAs(t, url, "extractor", false)
	loader := openAs(t, url, "loader", false)
	alerter := openAs(t, url, "alerter", false)
	dashboard := openAs(t, url, "dashboard", false)

	// The alerter listens for the loader's notices.
	loaded := make(chan *nats.Msg, 1)
	sub, err := alerter.b.Conn.ChanSubscribe(SubjectLoaded, loaded)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()

	// Crawler: crawl state, host politeness, site progress, jobs and raw documents,
	// one with a body for the object store.
	state, err := crawler.b.CrawlStateKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := state.Put(ctx, "site-a.doc1", []byte(`{"status":200}`)); err != nil {
		t.Fatal(err)
	}
	if e, err := state.Get(ctx, "site-a.doc1"); err != nil || string(e.Value()) != `{"status":200}` {
		t.Fatalf("crawl state get: %v", err)
	}
	hosts, err := crawler.b.CrawlHostsKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := hosts.Create(ctx, "a_gov_cn", []byte("lease"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hosts.Update(ctx, "a_gov_cn", []byte("lease2"), rev); err != nil {
		t.Fatal(err)
	}
	sitesKV, err := crawler.b.CrawlSitesKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := SiteStatus{Site: "site-a", Name: "A", Province: "22", State: SiteRunning}
	data, err := status.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sitesKV.Put(ctx, SiteStatusKey("site-a"), data); err != nil {
		t.Fatal(err)
	}
	if _, err := crawler.b.PublishCrawlJob(ctx, CrawlJob{Site: "site-a", Run: "r1", Scheduled: time.Now()}); err != nil {
		t.Fatal(err)
	}
	jobs, err := crawler.b.CrawlJobConsumer(ctx, 30*time.Second, 3)
	if err != nil {
		t.Fatal(err)
	}
	job := fetchN(t, ctx, jobs, 1)[0]
	if err := job.InProgress(); err != nil {
		t.Fatal(err)
	}
	if err := job.DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}
	small, _ := rawdoc.New("http://a.gov.cn/small.html", []byte("<html>small</html>"), time.Now().UTC())
	small.Site = rawdoc.Site{ID: "site-a", Code: "220183"}
	big, _ := rawdoc.New("http://a.gov.cn/big.pdf", bytes.Repeat([]byte("report "), 10<<10), time.Now().UTC())
	big.Site = small.Site
	var bigSeq uint64
	for _, d := range []*rawdoc.Document{small, big} {
		ack, err := crawler.b.PublishRaw(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		bigSeq = ack.Sequence
	}
	if _, err := crawler.b.JS.Publish(ctx, DeadSubject("crawler"), []byte("job")); err != nil {
		t.Fatal(err)
	}
	watchBriefly(t, crawler, StreamCrawlJobs, ConsumerCrawler, "crawler")
	crawler.noViolations(t)

	// Extractor: RAW through its durable consumer, the body from the object store,
	// a record to PARSED and a dead letter.
	rawCons, err := extractor.b.JS.CreateOrUpdateConsumer(ctx, StreamRaw, jetstream.ConsumerConfig{
		Durable:       ConsumerExtractor,
		FilterSubject: SubjectRaw + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    5,
	})
	if err != nil {
		t.Fatal(err)
	}
	raws := fetchN(t, ctx, rawCons, 2)
	var deadSeq uint64
	for _, m := range raws {
		doc, err := rawdoc.Unmarshal(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		if err := extractor.b.LoadBody(ctx, doc); err != nil {
			t.Fatal(err)
		}
		if doc.URL == big.URL {
			if doc.BodyRef == "" || !bytes.Equal(doc.Body, big.Body) {
				t.Fatalf("big body: ref %q, %d bytes", doc.BodyRef, len(doc.Body))
			}
			if err := DeadLetter(ctx, extractor.b.JS, "extractor", m, errors.New("unreadable")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		out := nats.NewMsg(ParsedSubject("22"))
		out.Data = []byte(`{"doc_id":"` + doc.DocID + `"}`)
		out.Header.Set(jetstream.MsgIDHeader, doc.DocID+":parsed")
		if _, err := extractor.b.JS.PublishMsg(ctx, out); err != nil {
			t.Fatal(err)
		}
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := extractor.b.JS.Publish(ctx, RejectedSubject("22"), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := ArchivedDocument(ctx, extractor.b.JS, bigSeq); err != nil {
		t.Fatal(err)
	}
	watchBriefly(t, extractor, StreamRaw, ConsumerExtractor, "extractor")
	extractor.noViolations(t)

	// Loader: PARSED through its durable consumer, acked; the notice; a dead letter.
	parsedCons, err := loader.b.JS.CreateOrUpdateConsumer(ctx, StreamParsed, jetstream.ConsumerConfig{
		Durable:        ConsumerLoader,
		FilterSubjects: []string{SubjectParsed + ".>", SubjectRejected + ".>"},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        30 * time.Second,
		MaxDeliver:     5,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range fetchN(t, ctx, parsedCons, 2) {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := PublishLoaded(loader.b.Conn, LoadedNotice{Years: []int{2023}, Reports: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.b.JS.Publish(ctx, DeadSubject("loader"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	watchBriefly(t, loader, StreamParsed, ConsumerLoader, "loader")
	loader.noViolations(t)

	// Alerter: the notice, PARSED as its own consumer, its state, an alert.
	select {
	case m := <-loaded:
		if n, err := ParseLoaded(m.Data); err != nil || n.Reports != 1 {
			t.Errorf("loaded notice %+v %v", n, err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the alerter did not receive events.loaded")
	}
	alertCons, err := alerter.b.JS.CreateOrUpdateConsumer(ctx, StreamParsed, jetstream.ConsumerConfig{
		Durable:       ConsumerAlerter,
		FilterSubject: SubjectParsed + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := fetchN(t, ctx, alertCons, 1)[0].DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}
	alertState, err := alerter.b.AlertStateKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	arev, err := alertState.Create(ctx, "d.doc1.R1", []byte("claim"))
	if err != nil {
		t.Fatal(err)
	}
	if arev, err = alertState.Update(ctx, "d.doc1.R1", []byte("open"), arev); err != nil {
		t.Fatal(err)
	}
	if e, err := alertState.Get(ctx, "d.doc1.R1"); err != nil || string(e.Value()) != "open" {
		t.Fatalf("alert state get: %v", err)
	}
	keys, err := alertState.ListKeysFiltered(ctx, "d.*.*")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for k := range keys.Keys() {
		listed = append(listed, k)
	}
	if len(listed) != 1 {
		t.Errorf("alert state keys %v", listed)
	}
	if _, err := alertState.Create(ctx, "d.doc2.R1", []byte("claim")); err != nil {
		t.Fatal(err)
	}
	if err := alertState.Delete(ctx, "d.doc2.R1"); err != nil {
		t.Fatal(err)
	}
	alert := nats.NewMsg(AlertSubject("R1"))
	alert.Data = []byte(`{"rule":"R1"}`)
	alert.Header.Set(jetstream.MsgIDHeader, "a1.open")
	if _, err := alerter.b.JS.PublishMsg(ctx, alert); err != nil {
		t.Fatal(err)
	}
	if _, err := alerter.b.JS.Publish(ctx, DeadSubject("alerter"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	alerter.noViolations(t)

	// Dashboard: stream and consumer state, site progress, an archived document
	// with its body from the object store, the dead letters, and a re-drive.
	for _, name := range BacklogStreams {
		if _, err := dashboard.b.JS.Stream(ctx, name); err != nil {
			t.Errorf("dashboard stream %s: %v", name, err)
		}
	}
	for _, bc := range BacklogConsumers {
		c, err := dashboard.b.JS.Consumer(ctx, bc.Stream, bc.Consumer)
		if err != nil {
			t.Errorf("dashboard consumer %s: %v", bc.Consumer, err)
			continue
		}
		if _, err := c.Info(ctx); err != nil {
			t.Errorf("dashboard consumer %s info: %v", bc.Consumer, err)
		}
	}
	if _, err := dashboard.b.JS.AccountInfo(ctx); err != nil {
		t.Error(err)
	}
	statuses, err := SiteStatuses(ctx, dashboard.b.JS)
	if err != nil || len(statuses) != 1 || statuses[0].Site != "site-a" {
		t.Errorf("site statuses %+v %v", statuses, err)
	}
	doc, err := ArchivedDocument(ctx, dashboard.b.JS, bigSeq)
	if err != nil || !bytes.Equal(doc.Body, big.Body) {
		t.Fatalf("archived document: %v", err)
	}
	dead, err := ListDeadLetters(ctx, dashboard.b.JS, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		if d.Stage == "extractor" && d.Subject != "" {
			deadSeq = d.Seq
		}
	}
	if deadSeq == 0 {
		t.Fatalf("no extractor dead letter in %+v", dead)
	}
	if _, err := DeadLetterCounts(ctx, dashboard.b.JS); err != nil {
		t.Fatal(err)
	}
	res, err := Redrive(ctx, dashboard.b.JS, deadSeq)
	if err != nil || res.Ack == nil || res.Ack.Stream != StreamRaw {
		t.Fatalf("re-drive: %+v %v", res, err)
	}
	deadStream, _ := admin.b.JS.Stream(ctx, StreamDead)
	if _, err := deadStream.GetMsg(ctx, deadSeq); !errors.Is(err, jetstream.ErrMsgNotFound) {
		t.Errorf("re-driven dead letter still in DEAD: %v", err)
	}
	dashboard.noViolations(t)

	// What each must not do.
	rawBefore := streamMsgs(t, admin.b.JS, StreamRaw)
	parsedBefore := streamMsgs(t, admin.b.JS, StreamParsed)

	crawler.publishDenied(t, "reports.parsed.x")
	crawler.publishDenied(t, "reports.rejected.x")
	crawler.publishDenied(t, "alerts.R1")
	crawler.denied(t, "$KV.alert-state.d.x", func(ctx context.Context) error {
		_, err := crawler.b.JS.Publish(ctx, "$KV.alert-state.d.x", []byte("forged"))
		return err
	})
	crawler.denied(t, "$JS.API.CONSUMER.CREATE.PARSED.sneak", func(ctx context.Context) error {
		_, err := crawler.b.JS.CreateOrUpdateConsumer(ctx, StreamParsed, jetstream.ConsumerConfig{Durable: "sneak"})
		return err
	})
	crawler.denied(t, "$JS.API.CONSUMER.MSG.NEXT.PARSED.loader", func(ctx context.Context) error {
		c, err := crawler.b.JS.Consumer(ctx, StreamParsed, ConsumerLoader)
		if err != nil {
			return err
		}
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(500*time.Millisecond))
		if err != nil {
			return err
		}
		for range batch.Messages() {
			return nil // a message: consumed
		}
		return errors.New("no message")
	})
	crawler.denied(t, "reports.parsed.>", func(context.Context) error {
		sub, err := crawler.b.Conn.SubscribeSync("reports.parsed.>")
		if err != nil {
			return err
		}
		defer sub.Unsubscribe()
		if err := crawler.b.Conn.Flush(); err != nil {
			return err
		}
		_, err = sub.NextMsg(500 * time.Millisecond)
		return err
	})

	extractor.publishDenied(t, "reports.raw.x.y")
	extractor.publishDenied(t, "alerts.R1")
	extractor.publishDenied(t, "reports.dead.loader")

	loader.publishDenied(t, "reports.parsed.x")
	loader.publishDenied(t, "reports.raw.x.y")
	loader.denied(t, "$JS.API.STREAM.MSG.GET.RAW", func(ctx context.Context) error {
		_, err := ArchivedDocument(ctx, loader.b.JS, 1)
		return err
	})
	loader.denied(t, "$JS.API.CONSUMER.CREATE.RAW.extractor.reports.raw.>", func(ctx context.Context) error {
		_, err := loader.b.JS.CreateOrUpdateConsumer(ctx, StreamRaw, jetstream.ConsumerConfig{
			Durable: ConsumerExtractor, FilterSubject: SubjectRaw + ".>", AckPolicy: jetstream.AckExplicitPolicy})
		return err
	})

	alerter.publishDenied(t, "reports.parsed.x")
	alerter.publishDenied(t, "events.loaded")

	dashboard.publishDenied(t, "alerts.R1")
	dashboard.publishDenied(t, "reports.dead.x")
	dashboard.publishDenied(t, "events.loaded")
	dashboard.denied(t, "$JS.API.STREAM.MSG.DELETE.RAW", func(ctx context.Context) error {
		str, err := dashboard.b.JS.Stream(ctx, StreamRaw)
		if err != nil {
			return err
		}
		return str.DeleteMsg(ctx, 1)
	})
	dashboard.denied(t, "$JS.API.STREAM.PURGE.DEAD", func(ctx context.Context) error {
		str, err := dashboard.b.JS.Stream(ctx, StreamDead)
		if err != nil {
			return err
		}
		return str.Purge(ctx)
	})
	dashboard.denied(t, "$KV.crawl-sites.site-a", func(ctx context.Context) error {
		_, err := dashboard.b.JS.Publish(ctx, "$KV.crawl-sites.site-a", []byte("forged"))
		return err
	})

	// Nobody but the admin deletes or changes a stream or a bucket.
	for _, u := range []*permUser{crawler, extractor, loader, alerter, dashboard} {
		u.denied(t, "$JS.API.STREAM.DELETE.RAW", func(ctx context.Context) error {
			return u.b.JS.DeleteStream(ctx, StreamRaw)
		})
		u.denied(t, "$JS.API.STREAM.UPDATE.PARSED", func(ctx context.Context) error {
			_, err := u.b.JS.UpdateStream(ctx, StreamConfigs(1)[1])
			return err
		})
		u.denied(t, "$JS.API.STREAM.DELETE.KV_crawl-state", func(ctx context.Context) error {
			return u.b.JS.DeleteKeyValue(ctx, CrawlStateBucket)
		})
	}
	if got := streamMsgs(t, admin.b.JS, StreamRaw); got != rawBefore {
		t.Errorf("RAW holds %d messages after the denied publishes, want %d", got, rawBefore)
	}
	if got := streamMsgs(t, admin.b.JS, StreamParsed); got != parsedBefore {
		t.Errorf("PARSED holds %d messages after the denied publishes, want %d", got, parsedBefore)
	}
	if err := admin.b.JS.DeleteStream(ctx, StreamAlerts); err != nil {
		t.Errorf("admin delete stream: %v", err)
	}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo().State.Msgs
}
