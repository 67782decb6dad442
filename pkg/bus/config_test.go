package bus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigValidateAuth(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"user and password", func(c *Config) { c.URL, c.User, c.Password = "nats://h:4222", "loader", "pw" }, ""},
		{"external without managing streams", func(c *Config) { c.URL, c.ManageStreams = "nats://h:4222", false }, ""},
		{"tls files", func(c *Config) {
			c.URL, c.TLS = "nats://h:4222", TLSConfig{CAFile: file, CertFile: file, KeyFile: file}
		}, ""},
		{"user without password", func(c *Config) { c.URL, c.User = "nats://h:4222", "loader" }, "nats.user: set without nats.password"},
		{"password without user", func(c *Config) { c.URL, c.Password = "nats://h:4222", "pw" }, "nats.password: set without nats.user"},
		{"user and creds", func(c *Config) { c.URL, c.User, c.Password, c.CredsFile = "nats://h:4222", "u", "p", file }, "choose one"},
		{"missing ca", func(c *Config) { c.URL, c.TLS.CAFile = "nats://h:4222", missing }, "nats.tls.ca_file"},
		{"missing creds", func(c *Config) { c.URL, c.CredsFile = "nats://h:4222", missing }, "nats.creds_file"},
		{"directory as cert", func(c *Config) { c.URL, c.TLS.CertFile, c.TLS.KeyFile = "nats://h:4222", dir, file }, "not a regular file"},
		{"cert without key", func(c *Config) { c.URL, c.TLS.CertFile = "nats://h:4222", file }, "cert_file and key_file go together"},
		{"embedded with user", func(c *Config) { c.User, c.Password = "u", "p" }, "need an external server"},
		{"embedded without managing streams", func(c *Config) { c.ManageStreams = false }, "nats.manage_streams"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("valid config: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}
