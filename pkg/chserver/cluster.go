package chserver

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
)

// Cluster is a cluster of servers in the server's remote_servers, which Distributed
// tables and ON CLUSTER statements name. The servers of a cluster may include the
// server itself: ClickHouse recognises its own address and port and reads its shard
// locally.
type Cluster struct {
	// Name is the cluster's name: letters, digits and _, not starting with a digit.
	Name string `yaml:"name"`
	// Shards lists the shards; each lists the host:port (native protocol) of its
	// replicas, at least one.
	Shards [][]string `yaml:"shards"`
	// InternalReplication tells a Distributed table to write a row to one replica
	// of its shard and let the table's replication copy it (Replicated*MergeTree);
	// false writes it to every replica.
	InternalReplication bool `yaml:"internal_replication"`
}

// clusterName is what ClickHouse accepts as an element name and a cluster
// identifier without quoting.
var clusterName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateClusters checks the clusters of a Config.
func validateClusters(cs []Cluster) error {
	seen := map[string]bool{}
	for i, c := range cs {
		field := fmt.Sprintf("chserver.clusters[%d]", i)
		if !clusterName.MatchString(c.Name) {
			return fmt.Errorf("%s.name: %q is not a plain identifier (letters, digits, _)", field, c.Name)
		}
		if seen[c.Name] {
			return fmt.Errorf("%s.name: %q appears twice", field, c.Name)
		}
		seen[c.Name] = true
		if len(c.Shards) == 0 {
			return fmt.Errorf("%s.shards: cluster %s has no shard", field, c.Name)
		}
		for j, replicas := range c.Shards {
			if len(replicas) == 0 {
				return fmt.Errorf("%s.shards[%d]: no replica", field, j)
			}
			for _, r := range replicas {
				if _, _, err := splitReplica(r); err != nil {
					return fmt.Errorf("%s.shards[%d]: %w", field, j, err)
				}
			}
		}
	}
	return nil
}

// replica is a replica's address as remote_servers writes it.
type replica struct {
	Host string
	Port int
}

// shard is a shard as the config template writes it.
type shard struct {
	InternalReplication bool
	Replicas            []replica
}

// clusterSettings are the clusters as the config template writes them.
type clusterSettings struct {
	Name   string
	Shards []shard
}

// splitReplica parses a replica's host:port.
func splitReplica(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("replica %q is not host:port: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("replica %q: %q is not a port", addr, p)
	}
	if host == "" {
		return "", 0, fmt.Errorf("replica %q has no host", addr)
	}
	return host, port, nil
}

// clusterConfig turns validated clusters into what the config template writes.
func clusterConfig(cs []Cluster) []clusterSettings {
	out := make([]clusterSettings, 0, len(cs))
	for _, c := range cs {
		s := clusterSettings{Name: c.Name}
		for _, replicas := range c.Shards {
			sh := shard{InternalReplication: c.InternalReplication}
			for _, r := range replicas {
				host, port, _ := splitReplica(r) // validated
				sh.Replicas = append(sh.Replicas, replica{host, port})
			}
			s.Shards = append(s.Shards, sh)
		}
		out = append(out, s)
	}
	return out
}
