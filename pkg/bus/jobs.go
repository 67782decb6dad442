package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// CrawlJob asks a crawler to crawl one site. The scheduler publishes one per site
// and run into CRAWL_JOBS; crawler workers pull them from the work queue.
type CrawlJob struct {
	// Site is the site's configured ID.
	Site string `json:"site"`
	// Run names the run: the same site and run is one job, however often it is
	// published or delivered. A crawler resuming a redelivered job skips what this
	// run already did.
	Run string `json:"run"`
	// Scheduled is when the job was due.
	Scheduled time.Time `json:"scheduled"`
}

// Validate checks a job.
func (j *CrawlJob) Validate() error {
	if strings.TrimSpace(j.Site) == "" {
		return fmt.Errorf("crawl job without a site")
	}
	if strings.TrimSpace(j.Run) == "" {
		return fmt.Errorf("crawl job for %s without a run", j.Site)
	}
	return nil
}

// MsgID is the job's JetStream message ID: a job published twice within the
// stream's duplicate window is stored once.
func (j *CrawlJob) MsgID() string { return j.Site + ":" + j.Run }

// DecodeCrawlJob decodes and validates a job message.
func DecodeCrawlJob(data []byte) (CrawlJob, error) {
	var j CrawlJob
	if err := json.Unmarshal(data, &j); err != nil {
		return CrawlJob{}, fmt.Errorf("decode crawl job: %w", err)
	}
	if err := j.Validate(); err != nil {
		return CrawlJob{}, err
	}
	return j, nil
}

// PublishCrawlJob publishes a job to CRAWL_JOBS. A job with the same site and run
// published again within the duplicate window is acknowledged as a duplicate.
func (b *Bus) PublishCrawlJob(ctx context.Context, job CrawlJob) (*jetstream.PubAck, error) {
	if err := job.Validate(); err != nil {
		return nil, err
	}
	data, err := json.Marshal(job)
	if err != nil {
		return nil, fmt.Errorf("encode crawl job: %w", err)
	}
	msg := nats.NewMsg(CrawlJobSubject(job.Site))
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, job.MsgID())
	ack, err := b.JS.PublishMsg(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("publish crawl job %s: %w", job.MsgID(), err)
	}
	return ack, nil
}

// CrawlJobConsumer returns the durable consumer every crawler worker pulls jobs
// from (ConsumerCrawler on CRAWL_JOBS), creating or updating it. A job not
// acknowledged within ackWait (workers signal progress to extend it) is delivered
// again, at most maxDeliver times.
func (b *Bus) CrawlJobConsumer(ctx context.Context, ackWait time.Duration, maxDeliver int) (jetstream.Consumer, error) {
	if ackWait <= 0 {
		return nil, fmt.Errorf("crawl job consumer: ack wait must be positive")
	}
	if maxDeliver == 0 {
		maxDeliver = -1
	}
	c, err := b.JS.CreateOrUpdateConsumer(ctx, StreamCrawlJobs, jetstream.ConsumerConfig{
		Durable:       ConsumerCrawler,
		Description:   "crawler workers: one site crawl per job",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		MaxDeliver:    maxDeliver,
		FilterSubject: SubjectCrawlJobs + ".>",
	})
	if err != nil {
		return nil, fmt.Errorf("crawl job consumer: %w", err)
	}
	return c, nil
}
