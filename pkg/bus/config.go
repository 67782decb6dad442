package bus

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"
)

// Config says which NATS the pipeline uses.
type Config struct {
	// URL of an external NATS server or cluster (comma-separated URLs allowed). Empty
	// starts an embedded server.
	URL string `yaml:"url"`
	// CredsFile is a NATS credentials file for the external server (optional).
	CredsFile string `yaml:"creds_file"`
	// User and Password authenticate to the external server (optional; the password
	// usually comes from the environment, e.g. "${NATS_LOADER_PASSWORD}"). A user
	// needs a password, and neither goes with CredsFile.
	User     string `yaml:"user"`
	Password string `yaml:"password"`
	// TLS configures TLS to the external server.
	TLS TLSConfig `yaml:"tls"`
	// ManageStreams makes Open create or update every stream, the object store and
	// the key-value buckets. When false, Open only checks that they exist, so that a
	// stage can run as a user without stream-admin rights (`govreport migrate` as the
	// admin user sets them up).
	ManageStreams bool `yaml:"manage_streams"`
	// Replicas of every stream: 1 for one server, 3 or 5 in a cluster.
	Replicas int `yaml:"replicas"`
	// MaxInlineBody is the largest raw body carried inside a message; larger bodies go
	// to the object store. Must stay below the server's max payload.
	MaxInlineBody int `yaml:"max_inline_body"`
	// ConnectTimeout bounds connecting and the initial stream set-up.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Embedded configures the embedded server (used when URL is empty).
	Embedded EmbeddedConfig `yaml:"embedded"`
}

// EmbeddedConfig configures the embedded nats-server.
type EmbeddedConfig struct {
	// Listen is a host:port for other processes to connect to; empty accepts only the
	// in-process connection.
	Listen string `yaml:"listen"`
	// StoreDir holds JetStream's files; empty means <data_dir>/nats.
	StoreDir string `yaml:"store_dir"`
	// MaxPayload is the server's largest message in bytes.
	MaxPayload int32 `yaml:"max_payload"`
}

// TLSConfig configures TLS to an external NATS server. Empty fields use the system's
// roots and no client certificate.
type TLSConfig struct {
	// CAFile is a PEM file of the CA certificates that sign the server's certificate.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are the client's PEM certificate and key, for a server
	// that verifies clients.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// Enabled reports whether any TLS setting is made.
func (c TLSConfig) Enabled() bool {
	return c.CAFile != "" || c.CertFile != "" || c.KeyFile != ""
}

// DefaultConfig returns the defaults: an embedded server, one replica, bodies up to
// 700 KiB inline under a 1 MiB max payload.
func DefaultConfig() Config {
	return Config{
		Replicas:       1,
		ManageStreams:  true,
		MaxInlineBody:  700 << 10,
		ConnectTimeout: 10 * time.Second,
		Embedded:       EmbeddedConfig{MaxPayload: 1 << 20},
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.URL != "" {
		if _, err := url.Parse(c.URL); err != nil {
			return fmt.Errorf("nats.url: %w", err)
		}
	}
	if err := c.validateAuth(); err != nil {
		return err
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return fmt.Errorf("nats.replicas: %d, want 1 to 5", c.Replicas)
	}
	if c.ConnectTimeout <= 0 {
		return fmt.Errorf("nats.connect_timeout: must be positive")
	}
	if c.Embedded.MaxPayload < 64<<10 {
		return fmt.Errorf("nats.embedded.max_payload: %d bytes is too small (minimum 64 KiB)", c.Embedded.MaxPayload)
	}
	if c.MaxInlineBody <= 0 {
		return fmt.Errorf("nats.max_inline_body: must be positive")
	}
	// Leave room for the JSON envelope: base64 grows the body by a third. (An external
	// server's limit is checked when publishing.)
	if encoded := int64(c.MaxInlineBody)*4/3 + 16<<10; c.URL == "" && encoded > int64(c.Embedded.MaxPayload) {
		return fmt.Errorf("nats.max_inline_body: %d bytes does not fit a %d byte message once encoded", c.MaxInlineBody, c.Embedded.MaxPayload)
	}
	if c.Embedded.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Embedded.Listen); err != nil {
			return fmt.Errorf("nats.embedded.listen: %w", err)
		}
	}
	return nil
}

// validateAuth checks the credentials and TLS settings, which only an external
// server uses.
func (c *Config) validateAuth() error {
	external := c.URL != ""
	switch {
	case c.User != "" && c.Password == "":
		return errors.New("nats.user: set without nats.password")
	case c.User == "" && c.Password != "":
		return errors.New("nats.password: set without nats.user")
	case c.User != "" && c.CredsFile != "":
		return errors.New("nats.user: set both nats.user and nats.creds_file; choose one")
	case !external && (c.User != "" || c.CredsFile != "" || c.TLS.Enabled()):
		return errors.New("nats: user, creds_file and tls need an external server (nats.url); the embedded server takes only the in-process connection")
	case !external && !c.ManageStreams:
		return errors.New("nats.manage_streams: false needs an external server (nats.url); an embedded server sets up its own streams")
	case (c.TLS.CertFile == "") != (c.TLS.KeyFile == ""):
		return errors.New("nats.tls: cert_file and key_file go together")
	}
	for _, f := range []struct{ key, path string }{
		{"nats.creds_file", c.CredsFile},
		{"nats.tls.ca_file", c.TLS.CAFile},
		{"nats.tls.cert_file", c.TLS.CertFile},
		{"nats.tls.key_file", c.TLS.KeyFile},
	} {
		if f.path == "" {
			continue
		}
		if err := readable(f.path); err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return nil
}

// readable checks that path is a regular file this process can read.
func readable(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	return nil
}
