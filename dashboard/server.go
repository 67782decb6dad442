package dashboard

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/warehouse"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Deps are the services the dashboard reads.
type Deps struct {
	// Warehouse is the ClickHouse connection; pages read the analysts' views.
	Warehouse driver.Conn
	// Database is the ClickHouse database holding the views.
	Database string
	// JS is JetStream: the pipeline page and the archived copies of reports. When nil
	// those parts say NATS is not available.
	JS jetstream.JetStream
}

// Server is the dashboard: an http.Handler over its pages.
type Server struct {
	cfg   Config
	deps  Deps
	log   *slog.Logger
	m     *metrics
	pages map[string]*template.Template
	mux   *http.ServeMux
	cache *queryCache
}

// cacheEntries is the most query results the cache keeps.
const cacheEntries = 512

// pageNames are the templates rendered inside layout.html.
var pageNames = []string{"nation", "explore", "report", "alerts", "pipeline", "error"}

// New builds the dashboard. reg receives its metrics (nil: not registered).
func New(cfg Config, deps Deps, log *slog.Logger, reg prometheus.Registerer) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Warehouse == nil {
		return nil, errors.New("dashboard: no ClickHouse connection")
	}
	if err := warehouse.CheckIdent(deps.Database); err != nil {
		return nil, fmt.Errorf("dashboard: database: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, deps: deps, log: log, m: newMetrics(reg), pages: map[string]*template.Template{},
		cache: newQueryCache(cfg.CacheTTL, cacheEntries)}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: layout template: %w", err)
	}
	for _, name := range pageNames {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	s.routes()
	return s, nil
}

// routes registers every handler, each wrapped with its page's metrics.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	static := http.StripPrefix("/assets/", http.FileServerFS(assets))
	s.mux.Handle("GET /assets/", s.instrument("assets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		static.ServeHTTP(w, r)
	}))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.Handle("GET /{$}", s.instrument("nation", s.nation))
	s.mux.Handle("GET /explore", s.instrument("explore", s.explore))
	s.mux.Handle("GET /explore.csv", s.instrument("explore_csv", s.exploreCSV))
	s.mux.Handle("GET /report/{id}", s.instrument("report", s.report))
	s.mux.Handle("GET /report/{id}/archive", s.instrument("archive", s.archive))
	s.mux.Handle("GET /alerts", s.instrument("alerts", s.alerts))
	s.mux.Handle("GET /pipeline", s.instrument("pipeline", s.pipeline))
	s.mux.Handle("POST /pipeline/redrive", s.instrument("redrive", s.redrive))
	s.mux.Handle("/", s.instrument("not_found", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, errNotFound)
	}))
}

// Handler returns the dashboard's handler.
func (s *Server) Handler() http.Handler { return securityHeaders(s.mux) }

// Serve serves on ln until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      s.cfg.QueryTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-done
	return err
}

// securityHeaders sets the headers every page carries: nothing is framed by other
// sites or loaded from elsewhere.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		if hd.Get("Content-Security-Policy") == "" {
			hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'; form-action 'self'")
		}
		h.ServeHTTP(w, r)
	})
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// instrument counts and times a page's requests.
func (s *Server) instrument(page string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		s.m.requests.WithLabelValues(page, strconv.Itoa(sw.code)).Inc()
		s.m.seconds.WithLabelValues(page).Observe(time.Since(start).Seconds())
	})
}

// page is what every template receives.
type page struct {
	// Lang is the interface language (zh or en).
	Lang string
	// Nav names the active navigation entry.
	Nav string
	// Title is the page's title (already translated).
	Title string
	// URL is the request's path and query, for the language switch.
	URL string
	// Data is the page's own data.
	Data any
}

// render writes a page inside the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	lang := s.lang(w, r)
	p := page{Lang: lang, Nav: name, Title: tr(lang, title), URL: r.URL.RequestURI(), Data: data}
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errNotFound is a page or report that does not exist.
var errNotFound = errors.New("not found")

// badRequest is an error in the request's parameters.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

// fail renders the error page: 404 for errNotFound, 400 for a bad parameter, 503
// when a backing service failed (the cause is logged, not shown in full).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	var br badRequest
	switch {
	case errors.Is(err, errNotFound):
		status = http.StatusNotFound
	case errors.As(err, &br):
		status = http.StatusBadRequest
	case status == 0:
		status = http.StatusServiceUnavailable
	}
	if status >= 500 {
		s.log.Error("dashboard request failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error", "error.title", errorPage{Status: status, Err: err.Error()})
}

// errorPage is the error template's data.
type errorPage struct {
	Status int
	Err    string
}

// query runs a read query with the configured timeout.
func (s *Server) query(ctx context.Context, sql string, args ...any) (*warehouse.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	res, hit, err := s.cache.get(ctx, cacheKey(sql, args), func() (*warehouse.Result, error) {
		start := time.Now()
		res, err := warehouse.Query(ctx, s.deps.Warehouse, sql, args...)
		s.m.querySeconds.Observe(time.Since(start).Seconds())
		if err != nil {
			s.m.queryErrors.Inc()
		}
		return res, err
	})
	if hit {
		s.m.cacheHits.Inc()
	}
	return res, err
}

// view returns the qualified name of a view or table of the database.
func (s *Server) view(name string) string { return s.deps.Database + "." + name }
