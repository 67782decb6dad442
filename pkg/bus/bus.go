package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Bus is a connection to the pipeline's NATS, with JetStream set up.
type Bus struct {
	// Conn is the NATS connection.
	Conn *nats.Conn
	// JS is the JetStream API on Conn.
	JS jetstream.JetStream

	cfg    Config
	server *server.Server // nil when connected to an external server
	log    *slog.Logger
}

// Open connects to the configured NATS, starting an embedded server under dataDir
// when no URL is configured. With cfg.ManageStreams it creates or updates every
// stream, the object store and the key-value buckets (EnsureAll); without, it only
// checks that they exist (CheckAll) and its key-value accessors only look buckets
// up, so that a stage can run as a user without stream-admin rights.
func Open(ctx context.Context, cfg Config, dataDir string, log *slog.Logger) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bus{cfg: cfg, log: log}
	opts := []nats.Option{
		nats.Name("govreport"),
		nats.Timeout(cfg.ConnectTimeout),
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", "url", c.ConnectedUrl()) }),
		// Asynchronous errors, permissions violations among them, are logged rather
		// than printed by nats.go.
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			if sub != nil {
				log.Error("nats error", "subject", sub.Subject, "err", err)
				return
			}
			log.Error("nats error", "err", err)
		}),
	}
	url := cfg.URL
	if url == "" {
		s, err := StartEmbedded(cfg.Embedded, dataDir, log)
		if err != nil {
			return nil, err
		}
		b.server = s
		url = s.ClientURL()
		opts = append(opts, nats.InProcessServer(s))
	} else {
		auth, err := cfg.connectOptions()
		if err != nil {
			return nil, err
		}
		opts = append(opts, auth...)
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("connect to nats %s: %w", url, err)
	}
	b.Conn = nc
	js, err := jetstream.New(nc)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	b.JS = js
	sctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	if cfg.ManageStreams {
		err = EnsureAll(sctx, js, cfg.Replicas)
	} else {
		b.JS = lookupJetStream{js}
		err = CheckAll(sctx, js)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Embedded reports whether the bus runs its own server.
func (b *Bus) Embedded() bool { return b.server != nil }

// ClientURL is the URL other processes can use to reach the embedded server when it
// listens, or the configured external URL.
func (b *Bus) ClientURL() string {
	if b.server != nil {
		if b.cfg.Embedded.Listen == "" {
			return ""
		}
		return b.server.ClientURL()
	}
	return b.cfg.URL
}

// Close drains the connection and shuts the embedded server down. It is safe to call
// more than once.
func (b *Bus) Close() error {
	var err error
	if b.Conn != nil && !b.Conn.IsClosed() {
		done := make(chan struct{})
		b.Conn.SetClosedHandler(func(*nats.Conn) { close(done) })
		if derr := b.Conn.Drain(); derr != nil {
			b.Conn.Close()
		} else {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				b.Conn.Close()
				err = errors.New("nats drain timed out")
			}
		}
	}
	b.shutdownServer()
	return err
}

func (b *Bus) shutdownServer() {
	if b.server != nil {
		b.server.Shutdown()
		b.server.WaitForShutdown()
		b.server = nil
	}
}

// StartEmbedded starts a nats-server with JetStream on disk and waits until it
// accepts connections.
func StartEmbedded(cfg EmbeddedConfig, dataDir string, log *slog.Logger) (*server.Server, error) {
	store := cfg.StoreDir
	if store == "" {
		store = filepath.Join(dataDir, "nats")
	}
	opts := &server.Options{
		ServerName: "govreport",
		JetStream:  true,
		StoreDir:   store,
		MaxPayload: cfg.MaxPayload,
		NoSigs:     true,
		DontListen: cfg.Listen == "",
	}
	if opts.MaxPayload == 0 {
		opts.MaxPayload = 1 << 20
	}
	if cfg.Listen != "" {
		host, port, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("embedded nats listen %q: %w", cfg.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("embedded nats listen %q: bad port", cfg.Listen)
		}
		opts.Host, opts.Port = host, p
		if p == 0 {
			opts.Port = server.RANDOM_PORT
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	if log != nil {
		s.SetLoggerV2(&serverLog{log: log.With("component", "nats-server")}, false, false, false)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 15s (store %s)", store)
	}
	return s, nil
}

// serverLog adapts nats-server's logger to slog.
type serverLog struct{ log *slog.Logger }

func (l *serverLog) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLog) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l *serverLog) Fatalf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l *serverLog) Errorf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l *serverLog) Debugf(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLog) Tracef(format string, v ...any)  {}
