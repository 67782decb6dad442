package bus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// deployedUsers are the users of deploy/nats/accounts.conf.
var deployedUsers = []string{"admin", "crawler", "extractor", "loader", "alerter", "dashboard"}

// testPassword is the password the tests give a deployed user.
func testPassword(user string) string { return "pw-" + user + "-secret" }

// setDeployPasswords sets the NATS_<USER>_PASSWORD variables accounts.conf reads.
func setDeployPasswords(t *testing.T) {
	for _, u := range deployedUsers {
		t.Setenv("NATS_"+strings.ToUpper(u)+"_PASSWORD", testPassword(u))
	}
}

// deployFile reads a file of deploy/nats.
func deployFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nats", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// startDeployedServer starts a nats-server configured with deploy/nats/accounts.conf
// and a test server block (loopback, random port, JetStream under a temporary
// directory) plus extra configuration, and returns it with its directory.
func startDeployedServer(t *testing.T, extra string) (*server.Server, string) {
	t.Helper()
	setDeployPasswords(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "accounts.conf"), deployFile(t, "accounts.conf"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("server_name: permissions-test\nhost: 127.0.0.1\nport: -1\nmax_payload: 1MB\n"+
		"jetstream { store_dir: %q }\n%s\ninclude ./accounts.conf\n", filepath.Join(dir, "jetstream"), extra)
	path := filepath.Join(dir, "server.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("server configuration: %v", err)
	}
	opts.NoSigs, opts.NoLog = true, true
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s, dir
}

// Each node's configuration parses with accounts.conf and declares the cluster.
func TestDeployNodeConfigs(t *testing.T) {
	setDeployPasswords(t)
	dir := t.TempDir()
	for _, name := range []string{"accounts.conf", "nats-1.conf", "nats-2.conf", "nats-3.conf"} {
		if err := os.WriteFile(filepath.Join(dir, name), deployFile(t, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		opts, err := server.ProcessConfigFile(filepath.Join(dir, fmt.Sprintf("nats-%d.conf", i)))
		if err != nil {
			t.Fatalf("nats-%d.conf: %v", i, err)
		}
		if opts.ServerName != fmt.Sprintf("nats-%d", i) || opts.Cluster.Name != "govreport" || opts.Cluster.Port != 6222 ||
			opts.Port != 4222 || opts.HTTPPort != 8222 || !opts.JetStream || opts.StoreDir == "" || opts.JetStreamMaxStore <= 0 {
			t.Errorf("nats-%d.conf: server %q cluster %q:%d port %d http %d jetstream %v store %q max %d", i, opts.ServerName,
				opts.Cluster.Name, opts.Cluster.Port, opts.Port, opts.HTTPPort, opts.JetStream, opts.StoreDir, opts.JetStreamMaxStore)
		}
		if len(opts.Routes) != 2 {
			t.Errorf("nats-%d.conf: %d routes, want the 2 other nodes", i, len(opts.Routes))
		}
		for _, r := range opts.Routes {
			if r.Hostname() == fmt.Sprintf("nats-%d", i) {
				t.Errorf("nats-%d.conf routes to itself", i)
			}
		}
		if opts.SystemAccount != "SYS" {
			t.Errorf("nats-%d.conf: system account %q", i, opts.SystemAccount)
		}
		users := map[string]bool{}
		for _, u := range opts.Users {
			users[u.Username] = true
			if u.Account.Name == "GOVREPORT" && u.Password != testPassword(u.Username) {
				t.Errorf("user %s: password not taken from NATS_%s_PASSWORD", u.Username, strings.ToUpper(u.Username))
			}
		}
		for _, u := range deployedUsers {
			if !users[u] {
				t.Errorf("nats-%d.conf: no user %s", i, u)
			}
		}
	}
}
