// Package urlstate keeps what the crawler knows about every URL it fetched: the
// validators for a conditional GET (ETag, Last-Modified), the hash of the content
// last published, the last status and error, when it is due again, which run last
// completed it, and the links it yielded (so that a 304, or a resumed run, can
// follow them without fetching the page again).
//
// State lives in a JetStream key-value bucket (bus.CrawlStateBucket) shared by
// every crawler process, or in memory for a single run.
package urlstate
