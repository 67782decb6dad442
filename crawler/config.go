package crawler

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Config holds the crawler's settings.
type Config struct {
	// Sites is the glob of the site definition files.
	Sites string `yaml:"sites"`
	// UserAgent identifies the crawler; ContactURL is appended to it so that portal
	// operators can reach us.
	UserAgent  string `yaml:"user_agent"`
	ContactURL string `yaml:"contact_url"`
	// HostConcurrency is the number of requests in flight to one host.
	HostConcurrency int `yaml:"host_concurrency"`
	// HostDelay is the minimum time between the starts of two requests to one host.
	HostDelay time.Duration `yaml:"host_delay"`
	// SiteConcurrency is the number of sites crawled at the same time.
	SiteConcurrency int `yaml:"site_concurrency"`
	// ConnectTimeout, HeaderTimeout and RequestTimeout bound connecting, waiting for
	// the response headers, and the whole request including the body.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	HeaderTimeout  time.Duration `yaml:"header_timeout"`
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// MaxBodyBytes is the largest body accepted; a larger one is recorded as an error,
	// never published truncated.
	MaxBodyBytes int `yaml:"max_body_bytes"`
	// MaxPagesPerSite and MaxDepth keep a crawl out of traps.
	MaxPagesPerSite int `yaml:"max_pages_per_site"`
	MaxDepth        int `yaml:"max_depth"`
	// RespectRobots honours robots.txt.
	RespectRobots bool `yaml:"respect_robots"`
	// AllowPrivate allows private, loopback and link-local addresses (tests and the
	// offline demo only).
	AllowPrivate bool `yaml:"allow_private"`
	// OfficialDomains are domain suffixes accepted besides .gov.cn (for example a
	// portal on its own .cn domain).
	OfficialDomains []string `yaml:"official_domains"`
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
		ConnectTimeout:  10 * time.Second,
		HeaderTimeout:   30 * time.Second,
		RequestTimeout:  2 * time.Minute,
		MaxBodyBytes:    50 << 20,
		MaxPagesPerSite: 2000,
		MaxDepth:        6,
		RespectRobots:   true,
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
	for _, d := range c.OfficialDomains {
		if d == "" || strings.ContainsAny(d, "/:@ ") {
			return fmt.Errorf("crawler.official_domains: %q is not a domain", d)
		}
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
