package crawler

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/govreport/govreport/crawler/schedule"
)

// Config holds the crawler's settings.
type Config struct {
	// Sites is the glob of the site definition files.
	Sites string `yaml:"sites"`
	// UserAgent identifies the crawler; ContactURL is appended to it so that portal
	// operators can reach us.
	UserAgent  string `yaml:"user_agent"`
	ContactURL string `yaml:"contact_url"`
	// HostConcurrency is the number of requests in flight to one host, across every
	// crawler process sharing the NATS key-value bucket.
	HostConcurrency int `yaml:"host_concurrency"`
	// HostDelay is the minimum time between the starts of two requests to one host.
	HostDelay time.Duration `yaml:"host_delay"`
	// SiteConcurrency is the number of sites one process crawls at the same time.
	SiteConcurrency int `yaml:"site_concurrency"`
	// SiteWorkers is the number of requests one site crawl keeps going (the host
	// limits still apply).
	SiteWorkers int `yaml:"site_workers"`
	// ConnectTimeout, HeaderTimeout and RequestTimeout bound connecting, waiting for
	// the response headers, and the whole request including the body.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	HeaderTimeout  time.Duration `yaml:"header_timeout"`
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// MaxBodyBytes is the largest body accepted; a larger one is recorded as an error,
	// never published truncated.
	MaxBodyBytes int `yaml:"max_body_bytes"`
	// MaxPagesPerSite and MaxDepth keep a crawl out of traps: the list pages, and the
	// documents, one crawl of a site may fetch (together they bound its visited set),
	// and the links followed from a start URL.
	MaxPagesPerSite int `yaml:"max_pages_per_site"`
	MaxDepth        int `yaml:"max_depth"`
	// MaxRedirects is the number of redirects followed for one request.
	MaxRedirects int `yaml:"max_redirects"`
	// RespectRobots honours robots.txt (Disallow, Allow and Crawl-delay).
	RespectRobots bool `yaml:"respect_robots"`
	// Robots configures the robots.txt cache.
	Robots RobotsConfig `yaml:"robots"`
	// AllowPrivate allows private, loopback and link-local addresses (tests and the
	// offline demo only).
	AllowPrivate bool `yaml:"allow_private"`
	// OfficialDomains are domain suffixes accepted besides .gov.cn (for example a
	// portal on its own .cn domain).
	OfficialDomains []string `yaml:"official_domains"`
	// Retry configures retries of transient failures.
	Retry RetryConfig `yaml:"retry"`
	// Backoff configures how hosts that slow down or refuse are spared.
	Backoff BackoffConfig `yaml:"backoff"`
	// Revisit says when fetched URLs are due again.
	Revisit RevisitConfig `yaml:"revisit"`
	// Schedule says when each site is crawled (govreport crawl without --once).
	Schedule schedule.Config `yaml:"schedule"`
	// Jobs configures the work queue of crawl jobs.
	Jobs JobsConfig `yaml:"jobs"`
}

// RobotsConfig configures the robots.txt cache.
type RobotsConfig struct {
	// CacheSize is the number of hosts whose robots.txt is kept.
	CacheSize int `yaml:"cache_size"`
	// TTL is how long a robots.txt is used before it is fetched again.
	TTL time.Duration `yaml:"ttl"`
	// ErrorTTL is how long a host whose robots.txt could not be fetched (network
	// error, 5xx) is left alone.
	ErrorTTL time.Duration `yaml:"error_ttl"`
	// MaxCrawlDelay caps the Crawl-delay a robots.txt asks for.
	MaxCrawlDelay time.Duration `yaml:"max_crawl_delay"`
}

// RetryConfig configures retries of transient failures (network errors, timeouts,
// 5xx, 429).
type RetryConfig struct {
	// Attempts is the number of retries after the first try.
	Attempts int `yaml:"attempts"`
	// Base is the first wait; each retry doubles it, with full jitter, up to Max.
	Base time.Duration `yaml:"base"`
	Max  time.Duration `yaml:"max"`
}

// BackoffConfig configures how a host that slows down or refuses is spared.
type BackoffConfig struct {
	// SlowResponse is the time to the response headers above which a host counts as
	// slow and its requests are spaced further apart.
	SlowResponse time.Duration `yaml:"slow_response"`
	// Step is the first extra spacing for a slow or refusing (429/503) host; it
	// doubles with every further signal up to MaxPenalty and decays when the host
	// answers quickly again.
	Step       time.Duration `yaml:"step"`
	MaxPenalty time.Duration `yaml:"max_penalty"`
	// MaxRetryAfter caps how long a Retry-After holds a host back; a longer one ends
	// the URL's crawl for this run.
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
}

// RevisitConfig says when fetched URLs are fetched again. List pages are fetched
// (with a conditional request) on every run.
type RevisitConfig struct {
	// Documents is how long a fetched report page or attachment rests before it is
	// checked again with a conditional request (0: every run).
	Documents time.Duration `yaml:"documents"`
	// Errors is how long a URL that failed rests; it doubles with every further
	// failure, up to MaxErrors.
	Errors    time.Duration `yaml:"errors"`
	MaxErrors time.Duration `yaml:"max_errors"`
}

// JobsConfig configures the crawl-job work queue.
type JobsConfig struct {
	// AckWait is how long a job may go without a sign of life from its worker before
	// it is given to another (workers signal every third of it).
	AckWait time.Duration `yaml:"ack_wait"`
	// MaxDeliver is how often a job is handed out before it is given up.
	MaxDeliver int `yaml:"max_deliver"`
}

// DefaultConfig returns polite defaults for crawling real portals.
func DefaultConfig() Config {
	return Config{
		Sites:           "configs/sites/*.yaml",
		UserAgent:       "govreport-crawler/1.0",
		ContactURL:      "https://github.com/govreport/govreport",
		HostConcurrency: 1,
		HostDelay:       2 * time.Second,
		SiteConcurrency: 4,
		SiteWorkers:     2,
		ConnectTimeout:  10 * time.Second,
		HeaderTimeout:   30 * time.Second,
		RequestTimeout:  2 * time.Minute,
		MaxBodyBytes:    50 << 20,
		MaxPagesPerSite: 2000,
		MaxDepth:        6,
		MaxRedirects:    10,
		RespectRobots:   true,
		Robots: RobotsConfig{
			CacheSize:     10000,
			TTL:           24 * time.Hour,
			ErrorTTL:      30 * time.Minute,
			MaxCrawlDelay: time.Minute,
		},
		Retry: RetryConfig{Attempts: 3, Base: 2 * time.Second, Max: 2 * time.Minute},
		Backoff: BackoffConfig{
			SlowResponse:  5 * time.Second,
			Step:          2 * time.Second,
			MaxPenalty:    time.Minute,
			MaxRetryAfter: 10 * time.Minute,
		},
		Revisit: RevisitConfig{
			Documents: 30 * 24 * time.Hour,
			Errors:    6 * time.Hour,
			MaxErrors: 7 * 24 * time.Hour,
		},
		Schedule: schedule.DefaultConfig(),
		Jobs:     JobsConfig{AckWait: 5 * time.Minute, MaxDeliver: 5},
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.UserAgent) == "" {
		return fmt.Errorf("crawler.user_agent: must not be empty")
	}
	if c.ContactURL != "" {
		if u, err := url.Parse(c.ContactURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("crawler.contact_url: %q is not an absolute URL", c.ContactURL)
		}
	}
	if c.HostConcurrency < 1 {
		return fmt.Errorf("crawler.host_concurrency: must be at least 1")
	}
	if c.SiteConcurrency < 1 {
		return fmt.Errorf("crawler.site_concurrency: must be at least 1")
	}
	if c.SiteWorkers < 1 {
		return fmt.Errorf("crawler.site_workers: must be at least 1")
	}
	if c.HostDelay < 0 {
		return fmt.Errorf("crawler.host_delay: must not be negative")
	}
	if c.ConnectTimeout <= 0 || c.HeaderTimeout <= 0 || c.RequestTimeout <= 0 {
		return fmt.Errorf("crawler: connect_timeout, header_timeout and request_timeout must be positive")
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("crawler.max_body_bytes: %d is too small", c.MaxBodyBytes)
	}
	if c.MaxPagesPerSite < 1 || c.MaxDepth < 1 {
		return fmt.Errorf("crawler: max_pages_per_site and max_depth must be at least 1")
	}
	if c.MaxRedirects < 0 {
		return fmt.Errorf("crawler.max_redirects: must not be negative")
	}
	if c.Robots.CacheSize < 1 || c.Robots.TTL <= 0 || c.Robots.ErrorTTL <= 0 || c.Robots.MaxCrawlDelay < 0 {
		return fmt.Errorf("crawler.robots: cache_size must be at least 1, ttl and error_ttl positive, max_crawl_delay not negative")
	}
	for _, d := range c.OfficialDomains {
		if d == "" || strings.ContainsAny(d, "/:@ ") {
			return fmt.Errorf("crawler.official_domains: %q is not a domain", d)
		}
	}
	if c.Retry.Attempts < 0 || c.Retry.Base <= 0 || c.Retry.Max < c.Retry.Base {
		return fmt.Errorf("crawler.retry: attempts must not be negative, base positive and max at least base")
	}
	b := c.Backoff
	if b.SlowResponse <= 0 || b.Step <= 0 || b.MaxPenalty < b.Step || b.MaxRetryAfter <= 0 {
		return fmt.Errorf("crawler.backoff: slow_response, step and max_retry_after must be positive and max_penalty at least step")
	}
	if c.Revisit.Documents < 0 || c.Revisit.Errors <= 0 || c.Revisit.MaxErrors < c.Revisit.Errors {
		return fmt.Errorf("crawler.revisit: documents must not be negative, errors positive and max_errors at least errors")
	}
	if err := c.Schedule.Validate(); err != nil {
		return err
	}
	if c.Jobs.AckWait < time.Second || c.Jobs.MaxDeliver < 1 {
		return fmt.Errorf("crawler.jobs: ack_wait must be at least 1s and max_deliver at least 1")
	}
	return nil
}

// userAgent returns the User-Agent header value.
func (c *Config) userAgent() string {
	if c.ContactURL == "" {
		return c.UserAgent
	}
	return fmt.Sprintf("%s (+%s)", c.UserAgent, c.ContactURL)
}
