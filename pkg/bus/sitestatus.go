package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Site crawl states (SiteStatus.State).
const (
	// SiteRunning is a crawl in progress (or one whose process died: its Updated
	// time stops moving).
	SiteRunning = "running"
	// SiteDone is a crawl that finished.
	SiteDone = "done"
	// SiteFailed is a crawl that could not start, or fetched no page at all.
	SiteFailed = "failed"
	// SiteInterrupted is a crawl stopped by shutdown; its job is handed back.
	SiteInterrupted = "interrupted"
)

// SiteStatus is the progress of a site's latest crawl, one per site in
// CrawlSitesBucket. The crawler writes it when the crawl starts, every few seconds
// while it runs and when it ends; the dashboard reads it.
type SiteStatus struct {
	Site     string `json:"site"`
	Name     string `json:"name"`
	Province string `json:"province"`
	Run      string `json:"run"`
	// State is SiteRunning, SiteDone, SiteFailed or SiteInterrupted.
	State    string    `json:"state"`
	Started  time.Time `json:"started"`
	Updated  time.Time `json:"updated"`
	Finished time.Time `json:"finished,omitzero"`
	// Counts of the run so far (see crawler.Stats).
	ListPages   int   `json:"list_pages"`
	Reports     int   `json:"reports"`
	Attachments int   `json:"attachments"`
	Published   int   `json:"published"`
	Duplicates  int   `json:"duplicates"`
	NotModified int   `json:"not_modified"`
	Unchanged   int   `json:"unchanged"`
	Skipped     int   `json:"skipped"`
	Retries     int   `json:"retries"`
	Bytes       int64 `json:"bytes"`
	// Errors are the final errors by kind (network, timeout, http_404, robots, …).
	Errors map[string]int `json:"errors,omitempty"`
	// LastError describes the latest final error (its kind and URL, or the cause of
	// a failed crawl).
	LastError string `json:"last_error,omitempty"`
}

// Pages is the number of pages and files fetched with a body.
func (s SiteStatus) Pages() int { return s.ListPages + s.Reports + s.Attachments }

// ErrorCount is the number of final errors.
func (s SiteStatus) ErrorCount() int {
	n := 0
	for _, v := range s.Errors {
		n += v
	}
	return n
}

// SiteStatusKey is the key of a site's status in CrawlSitesBucket.
func SiteStatusKey(site string) string { return Token(site) }

// Marshal encodes the status for the bucket.
func (s *SiteStatus) Marshal() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode site status %s: %w", s.Site, err)
	}
	return b, nil
}

// UnmarshalSiteStatus decodes a status written by Marshal.
func UnmarshalSiteStatus(data []byte) (SiteStatus, error) {
	var s SiteStatus
	if err := json.Unmarshal(data, &s); err != nil {
		return SiteStatus{}, fmt.Errorf("decode site status: %w", err)
	}
	return s, nil
}

// SiteStatuses reads every site's status from CrawlSitesBucket, running crawls
// first, then by site. A missing bucket (no crawler has written yet) is no status
// and no error. It reads through an ephemeral watcher: nothing durable is created.
func SiteStatuses(ctx context.Context, js jetstream.JetStream) ([]SiteStatus, error) {
	kv, err := js.KeyValue(ctx, CrawlSitesBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", CrawlSitesBucket, err)
	}
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("watch bucket %s: %w", CrawlSitesBucket, err)
	}
	defer w.Stop()
	var out []SiteStatus
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("read bucket %s: %w", CrawlSitesBucket, ctx.Err())
		case e, ok := <-w.Updates():
			if !ok {
				return nil, fmt.Errorf("read bucket %s: watcher closed", CrawlSitesBucket)
			}
			if e == nil { // every current value has been delivered
				SortSiteStatuses(out)
				return out, nil
			}
			s, err := UnmarshalSiteStatus(e.Value())
			if err != nil {
				return nil, fmt.Errorf("key %s: %w", e.Key(), err)
			}
			out = append(out, s)
		}
	}
}

// SortSiteStatuses orders statuses running first, then by province and site.
func SortSiteStatuses(all []SiteStatus) {
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if (a.State == SiteRunning) != (b.State == SiteRunning) {
			return a.State == SiteRunning
		}
		if a.Province != b.Province {
			return a.Province < b.Province
		}
		return a.Site < b.Site
	})
}
