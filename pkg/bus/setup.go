package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrNotSetUp is returned (wrapped) when a stream, the object store or a key-value
// bucket does not exist and the bus may not create it (Config.ManageStreams false).
var ErrNotSetUp = errors.New("not set up")

// EnsureAll creates or updates every stream, the raw-bodies object store and every
// key-value bucket: what `govreport migrate` does as the admin user, and what Open
// does when Config.ManageStreams is true. It is idempotent.
func EnsureAll(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if err := EnsureStreams(ctx, js, replicas); err != nil {
		return err
	}
	for _, cfg := range KeyValueConfigs(replicas) {
		if _, err := js.CreateOrUpdateKeyValue(ctx, cfg); err != nil {
			return fmt.Errorf("ensure key-value bucket %s: %w", cfg.Bucket, err)
		}
	}
	return nil
}

// CheckAll checks that every stream, the raw-bodies object store and every
// key-value bucket exists, without changing anything; it needs only the right to
// read stream information. A missing one is an ErrNotSetUp error that says to run
// `govreport migrate`.
func CheckAll(ctx context.Context, js jetstream.JetStream) error {
	for _, cfg := range StreamConfigs(1) {
		if _, err := js.Stream(ctx, cfg.Name); err != nil {
			return missing("stream", cfg.Name, err)
		}
	}
	if _, err := js.ObjectStore(ctx, RawBodiesBucket); err != nil {
		return missing("object store", RawBodiesBucket, err)
	}
	for _, cfg := range KeyValueConfigs(1) {
		if _, err := js.KeyValue(ctx, cfg.Bucket); err != nil {
			return missing("key-value bucket", cfg.Bucket, err)
		}
	}
	return nil
}

// SetUpNames lists what EnsureAll sets up, for messages: streams, the object
// store and the key-value buckets.
func SetUpNames() (streams []string, objectStore string, buckets []string) {
	for _, cfg := range StreamConfigs(1) {
		streams = append(streams, cfg.Name)
	}
	for _, cfg := range KeyValueConfigs(1) {
		buckets = append(buckets, cfg.Bucket)
	}
	return streams, RawBodiesBucket, buckets
}

func missing(kind, name string, err error) error {
	if errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrBucketNotFound) {
		return fmt.Errorf("%s %s missing: run `govreport migrate` with the admin user: %w", kind, name, ErrNotSetUp)
	}
	return fmt.Errorf("check %s %s: %w", kind, name, err)
}

// lookupJetStream is the JetStream of a bus that does not manage streams: its
// create-or-update calls for streams, key-value buckets and the object store only
// look them up, so that code written for an admin (the bus's key-value accessors)
// runs as a user that may not change streams. Consumers are still created and
// updated: each stage owns its durable consumer.
type lookupJetStream struct{ jetstream.JetStream }

// CreateOrUpdateStream returns the existing stream named by cfg.
func (j lookupJetStream) CreateOrUpdateStream(ctx context.Context, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := j.Stream(ctx, cfg.Name)
	if err != nil {
		return nil, missing("stream", cfg.Name, err)
	}
	return s, nil
}

// CreateOrUpdateKeyValue returns the existing bucket named by cfg.
func (j lookupJetStream) CreateOrUpdateKeyValue(ctx context.Context, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := j.KeyValue(ctx, cfg.Bucket)
	if err != nil {
		return nil, missing("key-value bucket", cfg.Bucket, err)
	}
	return kv, nil
}

// CreateOrUpdateObjectStore returns the existing object store named by cfg.
func (j lookupJetStream) CreateOrUpdateObjectStore(ctx context.Context, cfg jetstream.ObjectStoreConfig) (jetstream.ObjectStore, error) {
	obs, err := j.ObjectStore(ctx, cfg.Bucket)
	if err != nil {
		return nil, missing("object store", cfg.Bucket, err)
	}
	return obs, nil
}
