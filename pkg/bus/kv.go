package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Key-value buckets.
const (
	// CrawlStateBucket holds the crawl state of every URL (validators, content hash,
	// last status and error, next due time), keyed by site and document ID.
	CrawlStateBucket = "crawl-state"
	// CrawlHostsBucket holds the politeness state of every host (requests in flight,
	// earliest next request, backoff) shared by every crawler process.
	CrawlHostsBucket = "crawl-hosts"
	// CrawlSitesBucket holds the progress of every site's latest crawl (a
	// SiteStatus per site), written by the crawler processes and read by the
	// dashboard.
	CrawlSitesBucket = "crawl-sites"
)

// AlertStateBucket holds the alerter's state of every alert key (the alert last
// raised for it, open or resolved, and claims in progress), shared by every alerter
// process so that an alert is raised once across restarts and processes.
const AlertStateBucket = "alert-state"

// crawlHostsTTL is how long an untouched host record lives: long after any lease it
// holds has expired, short enough that the bucket does not collect every host ever
// crawled.
const crawlHostsTTL = 24 * time.Hour

// KeyValueConfigs returns the configuration of the key-value buckets (the
// crawler's and the alerter's) with the given number of replicas.
func KeyValueConfigs(replicas int) []jetstream.KeyValueConfig {
	replicas = max(replicas, 1)
	return []jetstream.KeyValueConfig{
		{
			Bucket:      CrawlStateBucket,
			Description: "crawl state per URL: validators, content hash, last status, next due time",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		},
		{
			Bucket:      CrawlHostsBucket,
			Description: "per-host politeness shared by every crawler: leases, next start, backoff",
			History:     1,
			TTL:         crawlHostsTTL,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		},
		{
			Bucket:      CrawlSitesBucket,
			Description: "progress of each site's latest crawl: run, state, counts, last error",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		},
		{
			Bucket:      AlertStateBucket,
			Description: "alerter state per alert key: the alert last raised, open or resolved, claims",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		},
	}
}

// AlertStateKV opens the alert-state bucket, creating it when missing.
func (b *Bus) AlertStateKV(ctx context.Context) (jetstream.KeyValue, error) {
	return b.keyValue(ctx, AlertStateBucket)
}

// CrawlStateKV opens the crawl-state bucket, creating it when missing.
func (b *Bus) CrawlStateKV(ctx context.Context) (jetstream.KeyValue, error) {
	return b.keyValue(ctx, CrawlStateBucket)
}

// CrawlSitesKV opens the site-progress bucket, creating it when missing.
func (b *Bus) CrawlSitesKV(ctx context.Context) (jetstream.KeyValue, error) {
	return b.keyValue(ctx, CrawlSitesBucket)
}

// CrawlHostsKV opens the host-politeness bucket, creating it when missing.
func (b *Bus) CrawlHostsKV(ctx context.Context) (jetstream.KeyValue, error) {
	return b.keyValue(ctx, CrawlHostsBucket)
}

func (b *Bus) keyValue(ctx context.Context, bucket string) (jetstream.KeyValue, error) {
	for _, cfg := range KeyValueConfigs(b.cfg.Replicas) {
		if cfg.Bucket != bucket {
			continue
		}
		kv, err := b.JS.CreateOrUpdateKeyValue(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("ensure key-value bucket %s: %w", bucket, err)
		}
		return kv, nil
	}
	return nil, fmt.Errorf("unknown key-value bucket %q", bucket)
}
