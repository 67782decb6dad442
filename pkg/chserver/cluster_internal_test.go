package chserver

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClusterConfigGolden renders remote_servers for two clusters: two shards of
// one replica, and one shard of two replicas with internal replication.
func TestClusterConfigGolden(t *testing.T) {
	cs := []Cluster{
		{Name: "pair", Shards: [][]string{{"127.0.0.1:19000"}, {"127.0.0.1:19001"}}},
		{Name: "mirrored", Shards: [][]string{{"[::1]:9000", "ch-2.example.org:9000"}}, InternalReplication: true},
	}
	if err := validateClusters(cs); err != nil {
		t.Fatal(err)
	}
	s := serverSettings{
		Layout: newLayout("/srv/ch"), Listen: "127.0.0.1", TCPPort: 19000, HTTPPort: 18123,
		DisplayName: "govreport-test", LogLevel: "warning", Networks: networks("127.0.0.1"),
		Clusters: clusterConfig(cs),
	}
	var b bytes.Buffer
	if err := configTemplate.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "config-clusters.xml.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("config with clusters differs from %s:\n%s", golden, b.String())
	}
	// Without clusters there is no remote_servers element at all.
	s.Clusters = nil
	b.Reset()
	if err := configTemplate.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "remote_servers") {
		t.Errorf("remote_servers without clusters:\n%s", b.String())
	}
}

func TestValidateClusters(t *testing.T) {
	one := [][]string{{"127.0.0.1:9000"}}
	tests := []struct {
		name string
		cs   []Cluster
		want string // "" means valid
	}{
		{"none", nil, ""},
		{"two shards", []Cluster{{Name: "gr_2", Shards: [][]string{{"127.0.0.1:9000"}, {"localhost:9001"}}}}, ""},
		{"ipv6", []Cluster{{Name: "v6", Shards: [][]string{{"[::1]:9000"}}}}, ""},
		{"empty name", []Cluster{{Shards: one}}, "not a plain identifier"},
		{"name needs quoting", []Cluster{{Name: "a-b", Shards: one}}, "not a plain identifier"},
		{"name starts with a digit", []Cluster{{Name: "2shards", Shards: one}}, "not a plain identifier"},
		{"xml in the name", []Cluster{{Name: "a><b", Shards: one}}, "not a plain identifier"},
		{"twice", []Cluster{{Name: "a", Shards: one}, {Name: "a", Shards: one}}, "appears twice"},
		{"no shard", []Cluster{{Name: "a"}}, "no shard"},
		{"no replica", []Cluster{{Name: "a", Shards: [][]string{{}}}}, "no replica"},
		{"no port", []Cluster{{Name: "a", Shards: [][]string{{"127.0.0.1"}}}}, "not host:port"},
		{"port 0", []Cluster{{Name: "a", Shards: [][]string{{"127.0.0.1:0"}}}}, "not a port"},
		{"port too big", []Cluster{{Name: "a", Shards: [][]string{{"127.0.0.1:65536"}}}}, "not a port"},
		{"no host", []Cluster{{Name: "a", Shards: [][]string{{":9000"}}}}, "no host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Dir, c.Clusters = "/tmp/x", tt.cs
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one with %q", err, tt.want)
			case err != nil && !strings.HasPrefix(err.Error(), "chserver.clusters["):
				t.Errorf("error does not name the field: %v", err)
			}
		})
	}
}
