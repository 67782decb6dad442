package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamConfigs returns the configuration of every pipeline stream with the given
// number of replicas (1 for a single server, 3 or 5 in a cluster).
func StreamConfigs(replicas int) []jetstream.StreamConfig {
	if replicas < 1 {
		replicas = 1
	}
	return []jetstream.StreamConfig{
		{
			Name:        StreamRaw,
			Description: "raw documents fetched by the crawler; the archive reparse replays",
			Subjects:    []string{SubjectRaw + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Replicas:    replicas,
			Duplicates:  10 * time.Minute,
		},
		{
			Name:        StreamParsed,
			Description: "canonical records and rejected documents from the extractor",
			Subjects:    []string{SubjectParsed + ".>", SubjectRejected + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Replicas:    replicas,
			Duplicates:  10 * time.Minute,
		},
		{
			Name:        StreamDead,
			Description: "messages that kept failing, with the stage and the error",
			Subjects:    []string{SubjectDead + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Replicas:    replicas,
		},
		{
			Name:        StreamAlerts,
			Description: "alerts on anomalous filings",
			Subjects:    []string{SubjectAlerts + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      365 * 24 * time.Hour,
			Replicas:    replicas,
			Duplicates:  time.Hour,
		},
		{
			Name:        StreamCrawlJobs,
			Description: "work queue: one crawl job per site and run",
			Subjects:    []string{SubjectCrawlJobs + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.WorkQueuePolicy,
			Replicas:    replicas,
			Duplicates:  time.Hour,
		},
	}
}

// EnsureStreams creates every pipeline stream and the raw-bodies object store, or
// updates them to the current configuration. It is idempotent.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, replicas int) error {
	for _, cfg := range StreamConfigs(replicas) {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("ensure stream %s: %w", cfg.Name, err)
		}
	}
	_, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      RawBodiesBucket,
		Description: "raw bodies too large for a message, named by their sha256",
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
	})
	if err != nil {
		return fmt.Errorf("ensure object store %s: %w", RawBodiesBucket, err)
	}
	return nil
}
