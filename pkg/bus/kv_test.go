package bus

import (
	"context"
	"errors"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

func TestCrawlKeyValueBuckets(t *testing.T) {
	b := openTest(t, nil)
	ctx := context.Background()
	state, err := b.CrawlStateKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := b.CrawlHostsKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Bucket() != CrawlStateBucket || hosts.Bucket() != CrawlHostsBucket {
		t.Fatalf("buckets %s %s", state.Bucket(), hosts.Bucket())
	}
	st, err := hosts.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.TTL() != crawlHostsTTL || st.History() != 1 {
		t.Errorf("hosts bucket ttl %v history %d", st.TTL(), st.History())
	}
	// Opening again finds the same bucket and its data.
	rev, err := state.Create(ctx, "site-a.k1", []byte("v1"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.CrawlStateKV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, err := again.Get(ctx, "site-a.k1")
	if err != nil || string(e.Value()) != "v1" {
		t.Fatalf("get after reopen: %v %v", e, err)
	}
	// Compare-and-set works as the crawler relies on.
	if _, err := again.Update(ctx, "site-a.k1", []byte("v2"), rev+7); !errors.Is(err, jetstream.ErrKeyExists) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		t.Fatalf("update with a stale revision: %v", err)
	}
	if _, err := again.Create(ctx, "site-a.k1", []byte("v3")); !errors.Is(err, jetstream.ErrKeyExists) {
		t.Fatalf("create of an existing key: %v", err)
	}
}

func TestKeyValueConfigs(t *testing.T) {
	for _, c := range KeyValueConfigs(3) {
		if c.Replicas != 3 || c.Storage != jetstream.FileStorage || c.History != 1 {
			t.Errorf("%s: %+v", c.Bucket, c)
		}
	}
	if KeyValueConfigs(0)[0].Replicas != 1 {
		t.Error("replicas not clamped to 1")
	}
	b := openTest(t, nil)
	if _, err := b.keyValue(context.Background(), "nope"); err == nil {
		t.Error("unknown bucket accepted")
	}
}
