package bus

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a self-signed CA that issues certificates for the TLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "govreport test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key}
}

// issue writes a certificate and key signed by the CA to dir/name.pem and
// dir/name-key.pem, for loopback (server and client use).
func (ca *testCA) issue(t *testing.T, dir, name string, serial int64) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, filepath.Join(dir, name+".pem"), "CERTIFICATE", der)
	writePEM(t, filepath.Join(dir, name+"-key.pem"), "EC PRIVATE KEY", kder)
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A server with deploy/nats/tls.conf (client TLS, clients verified) accepts Open
// with the CA and a client certificate, and refuses a client without either.
func TestOpenTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nats-server")
	}
	certs := t.TempDir()
	ca := newTestCA(t)
	writePEM(t, filepath.Join(certs, "ca.pem"), "CERTIFICATE", ca.cert.Raw)
	ca.issue(t, certs, "server", 2)
	ca.issue(t, certs, "client", 3)
	other := newTestCA(t)
	writePEM(t, filepath.Join(certs, "other-ca.pem"), "CERTIFICATE", other.cert.Raw)

	snippet := strings.ReplaceAll(string(deployFile(t, "tls.conf")), "/etc/nats/tls/", certs+"/")
	s, _ := startDeployedServer(t, snippet)
	url := strings.Replace(s.ClientURL(), "nats://", "tls://", 1)

	base := DefaultConfig()
	base.URL, base.User, base.Password = url, "admin", testPassword("admin")
	base.ConnectTimeout = 5 * time.Second
	base.TLS = TLSConfig{
		CAFile:   filepath.Join(certs, "ca.pem"),
		CertFile: filepath.Join(certs, "client.pem"),
		KeyFile:  filepath.Join(certs, "client-key.pem"),
	}
	b, err := Open(context.Background(), base, "", nil)
	if err != nil {
		t.Fatalf("open with tls: %v", err)
	}
	if !b.Conn.TLSRequired() {
		t.Error("connection is not TLS")
	}
	if _, err := b.JS.Publish(context.Background(), RawSubject("22", "site-a"), []byte("{}")); err != nil {
		t.Errorf("publish over tls: %v", err)
	}
	b.Close()

	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"no client certificate", func(c *Config) { c.TLS.CertFile, c.TLS.KeyFile = "", "" }},
		{"another CA", func(c *Config) { c.TLS.CAFile = filepath.Join(certs, "other-ca.pem") }},
		{"no tls", func(c *Config) { c.URL = s.ClientURL(); c.TLS = TLSConfig{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.ConnectTimeout = 2 * time.Second
			tc.edit(&cfg)
			if b, err := Open(context.Background(), cfg, "", nil); err == nil {
				b.Close()
				t.Fatal("connected")
			}
		})
	}
}
