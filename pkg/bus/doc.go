// Package bus defines the pipeline's NATS JetStream streams and subjects in one place
// and opens the connection every stage uses: to an embedded nats-server (JetStream
// on disk under the data directory, connected in-process) or to an external NATS
// URL. Stage code receives a *Bus and does not know which of the two it has.
//
// Streams:
//
//	RAW         reports.raw.<province>.<site>   raw documents from the crawler
//	PARSED      reports.parsed.<province>       canonical records from the extractor
//	            reports.rejected.<province>     documents that are not readable reports
//	DEAD        reports.dead.<stage>            messages that kept failing, with the error
//	ALERTS      alerts.<rule>                   alerts on anomalous filings
//	CRAWL_JOBS  crawl.jobs.<site>               work queue: one crawl job per site and run
//
// Raw bodies too large for a message are stored in the object store bucket
// RawBodiesBucket and the message carries the reference.
//
// Key-value buckets hold the shared state: AlertStateBucket (the alerter's, per
// alert key: the alert raised, open or resolved, claims), CrawlStateBucket (per URL:
// validators, content hash, last status, next due time) and CrawlHostsBucket (per
// host: requests in flight, next start, backoff), so that any number of crawler
// processes stay polite together and resume each other's work.
package bus
