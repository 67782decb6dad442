package hostile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Handler is the hostile wrapper. It is safe for concurrent use.
type Handler struct {
	next http.Handler
	cfg  Config

	mu          sync.Mutex
	requests    map[string]int // by path
	failures    map[string]int // drops and error statuses served, by path
	conditional int
	inFlight    map[string]int // by host
	maxInFlight map[string]int
	starts      map[string][]time.Time
}

// Wrap returns next made hostile by cfg.
func Wrap(next http.Handler, cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Handler{next: next, cfg: cfg}
	h.Reset()
	return h, nil
}

// Reset forgets what the handler observed.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests = map[string]int{}
	h.failures = map[string]int{}
	h.conditional = 0
	h.inFlight = map[string]int{}
	h.maxInFlight = map[string]int{}
	h.starts = map[string][]time.Time{}
}

// Requests returns how many requests asked for path.
func (h *Handler) Requests(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests[path]
}

// Paths returns every requested path, sorted.
func (h *Handler) Paths() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for p := range h.requests {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Total returns the number of requests.
func (h *Handler) Total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.requests {
		n += c
	}
	return n
}

// Conditional returns how many requests carried If-None-Match or
// If-Modified-Since.
func (h *Handler) Conditional() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conditional
}

// MaxInFlight returns the most requests a host (host:port) had in flight at once:
// requests count from their arrival until their response begins to be written.
// That interval lies inside the client's request (sent before the arrival, not
// finished before the response arrives), so a client that keeps at most n
// requests in flight is never seen with more, however the goroutines are
// scheduled.
func (h *Handler) MaxInFlight(host string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.maxInFlight[host]
}

// Starts returns when the requests to a host arrived, in order.
func (h *Handler) Starts(host string) []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.starts[host])
}

func (h *Handler) begin(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests[r.URL.Path]++
	if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		h.conditional++
	}
	h.inFlight[r.Host]++
	h.maxInFlight[r.Host] = max(h.maxInFlight[r.Host], h.inFlight[r.Host])
	h.starts[r.Host] = append(h.starts[r.Host], time.Now())
}

func (h *Handler) end(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.inFlight[r.Host]--
}

// fail reports whether a failing rule limited to times applies to this request of
// p, and counts it.
func (h *Handler) fail(p string, times int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if times > 0 && h.failures[p] >= times {
		return false
	}
	h.failures[p]++
	return true
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	h.begin(r)
	w := &endingWriter{ResponseWriter: rw, end: func() { h.end(r) }}
	defer w.finish()
	p := r.URL.Path
	if p == "/robots.txt" {
		if body, ok := h.robots(r.Host); ok {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte(body))
			return
		}
	}
	rule, _ := h.cfg.merge(r.Host, p)
	if rule.Delay > 0 {
		t := time.NewTimer(rule.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if rule.Drop && h.fail(p, rule.Times) {
		if conn, _, err := w.Hijack(); err == nil {
			conn.Close()
			return
		}
		panic(http.ErrAbortHandler) // aborts the response where hijacking is impossible
	}
	if rule.Status != 0 && h.fail(p, rule.Times) {
		if rule.RetryAfter != "" {
			w.Header().Set("Retry-After", rule.RetryAfter)
		}
		http.Error(w, http.StatusText(rule.Status), rule.Status)
		return
	}
	if rule.RedirectLoop {
		to := p + "?hop=1"
		if r.URL.Query().Get("hop") != "" {
			to = p
		}
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	if rule.Calendar {
		if d, ok := calendarDay(p); ok {
			h.writePage(w, r, rule, calendarPage(d), "text/html; charset=utf-8", http.Header{})
			return
		}
	}
	if m := attachmentRE.FindStringSubmatch(p); m != nil && slices.Contains(rule.Attachments, m[3]) {
		h.serveAttachment(w, r, m[3])
		return
	}

	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	h.next.ServeHTTP(rec, r)
	ctype := rec.header.Get("Content-Type")
	lct := strings.ToLower(ctype)
	if rec.status == http.StatusOK && strings.HasPrefix(lct, "text/plain") && rule.Charset != "" && r.Method != http.MethodHead {
		h.writeText(w, rule, rec.body.Bytes(), rec.header)
		return
	}
	if rec.status != http.StatusOK || !strings.Contains(lct, "html") || r.Method == http.MethodHead {
		copyHeader(w.Header(), rec.header)
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		return
	}
	body := rec.body.Bytes()
	if rule.Calendar && isListPage(p) {
		body = linkCalendar(body)
	}
	if len(rule.Attachments) > 0 && isReportPage(body) {
		body = linkAttachments(body, p, rule.Attachments)
	}
	h.writePage(w, r, rule, body, ctype, rec.header)
}

// writePage writes an HTML page, re-encoded as the rule says.
func (h *Handler) writePage(w http.ResponseWriter, r *http.Request, rule Rule, body []byte, ctype string, hdr http.Header) {
	if rule.Charset != "" {
		b, ct, err := reencode(body, rule.Charset, rule.Declare)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, ctype = b, ct
	}
	copyHeader(w.Header(), hdr)
	w.Header().Del("Content-Length")
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// writeText writes a plain-text document re-encoded as the rule says (a <meta>
// declaration is impossible there, so DeclareMeta declares nothing).
func (h *Handler) writeText(w http.ResponseWriter, rule Rule, body []byte, hdr http.Header) {
	b, ct, err := reencodeText(body, rule.Charset, rule.Declare)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	copyHeader(w.Header(), hdr)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (h *Handler) serveAttachment(w http.ResponseWriter, r *http.Request, ext string) {
	body := attachmentBody(r.URL.Path, ext)
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", attachmentTypes[ext].contentType)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", calendarStart, bytes.NewReader(body))
}

func (h *Handler) robots(host string) (string, bool) {
	if b, ok := h.cfg.Robots[host]; ok {
		return b, true
	}
	b, ok := h.cfg.Robots["*"]
	return b, ok
}

// isReportPage reports whether an HTML page's <title> names an annual report
// (and is not a notice about preparing one).
func isReportPage(body []byte) bool {
	lower := bytes.ToLower(body)
	i := bytes.Index(lower, []byte("<title>"))
	j := bytes.Index(lower, []byte("</title>"))
	if i < 0 || j < i {
		return false
	}
	t := string(body[i+len("<title>") : j])
	return (strings.Contains(t, "年度报告") || strings.Contains(t, "年度報告")) && !strings.Contains(t, "通知")
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = slices.Clone(vs)
	}
}

// endingWriter ends a request's in-flight interval when its response begins.
type endingWriter struct {
	http.ResponseWriter
	end  func()
	once sync.Once
}

func (w *endingWriter) finish() { w.once.Do(w.end) }

func (w *endingWriter) WriteHeader(code int) {
	w.finish()
	w.ResponseWriter.WriteHeader(code)
}

func (w *endingWriter) Write(b []byte) (int, error) {
	w.finish()
	return w.ResponseWriter.Write(b)
}

// Hijack lets Drop close the connection.
func (w *endingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.finish()
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijacking not supported")
	}
	return hj.Hijack()
}

// Flush passes flushes through.
func (w *endingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// recorder captures the wrapped handler's response.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
