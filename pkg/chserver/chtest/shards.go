package chtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/govreport/govreport/pkg/chserver"
)

// shardAttempts is how many times StartShards picks new ports when one was taken
// between picking it and a server binding it.
const shardAttempts = 3

// StartShards starts n clickhouse-servers for one test, each in a temporary
// directory, that all know cluster: n shards of one replica each, shard i being
// servers[i]. Distributed tables over cluster read and write every server. The
// servers stop when the test ends.
func StartShards(t testing.TB, cluster string, n int) []*chserver.Server {
	t.Helper()
	if n < 1 {
		t.Fatalf("chtest.StartShards: %d shards", n)
	}
	cfg := config(t)
	for attempt := 1; ; attempt++ {
		srvs, err := startShards(t, cfg, cluster, n)
		if err == nil {
			return srvs
		}
		if !errors.Is(err, chserver.ErrPortInUse) || attempt == shardAttempts {
			fail(t, err)
		}
		t.Logf("chtest.StartShards: %v; picking new ports", err)
	}
}

// startShards fixes the native ports of n servers so that each can name all of them
// in its remote_servers, then starts them together. On error it stops the ones that
// started.
func startShards(t testing.TB, cfg chserver.Config, cluster string, n int) ([]*chserver.Server, error) {
	ports, err := chserver.FreePorts(cfg.Listen, n)
	if err != nil {
		return nil, err
	}
	c := chserver.Cluster{Name: cluster}
	for _, p := range ports {
		c.Shards = append(c.Shards, []string{net.JoinHostPort(cfg.Listen, strconv.Itoa(p))})
	}
	cfg.Clusters = []chserver.Cluster{c}
	srvs := make([]*chserver.Server, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		sc := cfg
		sc.Dir, sc.TCPPort = t.TempDir(), ports[i]
		wg.Go(func() {
			srvs[i], errs[i] = chserver.Start(context.Background(), sc, nil)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("shard %d of %s: %w", i+1, cluster, errs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, s := range srvs {
			if s != nil {
				s.Stop(context.Background())
			}
		}
		return nil, err
	}
	for _, s := range srvs {
		t.Cleanup(func() {
			if err := s.Stop(context.Background()); err != nil {
				t.Errorf("stop clickhouse-server: %v", err)
			}
		})
	}
	return srvs, nil
}
