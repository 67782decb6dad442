package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/govreport/govreport/pkg/report"
	"gopkg.in/yaml.v3"
)

// Format is the message format an endpoint speaks.
type Format string

// Formats.
const (
	FormatJSON     Format = "json"     // the alert as JSON, optionally HMAC-signed
	FormatDingTalk Format = "dingtalk" // DingTalk custom robot, markdown message, 加签
	FormatWeCom    Format = "wecom"    // WeCom group robot, markdown message
	FormatFeishu   Format = "feishu"   // Feishu/Lark custom bot, post message, 签名校验
)

// Vendors' limits on messages a minute (DingTalk: 20, then throttled for 10
// minutes; WeCom: 20; Feishu custom bots: 100 a minute and 5 a second).
const (
	maxRateDingTalk = 20
	maxRateWeCom    = 20
	maxRateFeishu   = 100
)

// Config lists the webhook endpoints alerts are delivered to.
type Config struct {
	// Endpoints are the receivers; none means webhooks are off.
	Endpoints []Endpoint `yaml:"endpoints"`
	// FlushTimeout bounds the last deliveries when Run stops.
	FlushTimeout time.Duration `yaml:"flush_timeout"`
}

// Endpoint is one webhook receiver. Fields left out of a YAML file take the
// defaults of the endpoint's format (DefaultEndpoint).
type Endpoint struct {
	// Name identifies the endpoint in logs and metrics: [a-z0-9_-]+, unique.
	Name string `yaml:"name"`
	// Format is json, dingtalk, wecom or feishu.
	Format Format `yaml:"format"`
	// URL is the webhook address, credentials included; it is never logged.
	URL string `yaml:"url"`
	// Secret is the signing secret: DingTalk 加签 (SEC…), Feishu 签名校验, or for
	// json the HMAC-SHA256 key of X-Govreport-Signature. WeCom robots do not sign.
	Secret string `yaml:"secret"`
	// SecretEnv names an environment variable holding the secret, read by New
	// when Secret is empty (the config value comes first). New fails if the
	// variable is unset or empty.
	SecretEnv string `yaml:"secret_env"`
	// Rules keeps only alerts of these rules; empty means every rule.
	Rules []report.Rule `yaml:"rules"`
	// MinSeverity keeps alerts at least this severe: info, warning or error.
	MinSeverity string `yaml:"min_severity"`
	// SendResolved sends a short 已恢复/resolved notice when an alert resolves.
	SendResolved bool `yaml:"send_resolved"`
	// Timeout bounds one HTTP request.
	Timeout time.Duration `yaml:"timeout"`
	// MaxRetries is how often a message is retried after a transient failure
	// (network error, timeout, HTTP 5xx or 429, a vendor's rate-limit or busy
	// code) before it counts as failed. 0 means one attempt.
	MaxRetries int `yaml:"max_retries"`
	// RetryInitial is the first backoff; each retry doubles it up to RetryMax,
	// and the wait is drawn between half of it and all of it (jitter).
	RetryInitial time.Duration `yaml:"retry_initial"`
	// RetryMax caps the backoff.
	RetryMax time.Duration `yaml:"retry_max"`
	// RateLimitedWait is the wait after the receiver said it is rate limited
	// (HTTP 429 or a vendor code) when it did not say how long (Retry-After).
	RateLimitedWait time.Duration `yaml:"rate_limited_wait"`
	// RatePerMinute caps the requests sent in any minute, retries included;
	// 0 means no limit (json only). Alerts due beyond it go out as a digest.
	RatePerMinute int `yaml:"rate_per_minute"`
	// DigestOver sends a digest whenever more than this many alerts are due at
	// once, even when the rate would allow them one by one; 0 means only when
	// the rate requires it.
	DigestOver int `yaml:"digest_over"`
	// DigestItems is how many alerts a text digest lists (the most severe
	// first); the others are counted. A JSON digest carries every alert.
	DigestItems int `yaml:"digest_items"`
	// QueueSize bounds the alerts waiting for this endpoint; alerts beyond it
	// are counted into the next digest without their details.
	QueueSize int `yaml:"queue_size"`
}

// DefaultConfig returns the defaults: no endpoints, a 5-second flush at shutdown.
func DefaultConfig() Config {
	return Config{FlushTimeout: 5 * time.Second}
}

// DefaultEndpoint returns the defaults of an endpoint of format f: rate limits
// at the vendors' published limits (DingTalk 20/min, WeCom 20/min, Feishu
// 100/min, json unlimited), 3 retries from 1 s to 1 min, 10 s timeout, resolved
// notices on, digests of 10 listed alerts, a queue of 1000.
func DefaultEndpoint(f Format) Endpoint {
	e := Endpoint{
		Format:          f,
		MinSeverity:     "info",
		SendResolved:    true,
		Timeout:         10 * time.Second,
		MaxRetries:      3,
		RetryInitial:    time.Second,
		RetryMax:        time.Minute,
		RateLimitedWait: time.Minute,
		DigestItems:     10,
		QueueSize:       1000,
	}
	switch f {
	case FormatDingTalk:
		e.RatePerMinute = maxRateDingTalk
		// DingTalk throttles a robot for 10 minutes after its 21st message.
		e.RateLimitedWait = 10 * time.Minute
	case FormatWeCom:
		e.RatePerMinute = maxRateWeCom
	case FormatFeishu:
		e.RatePerMinute = maxRateFeishu
	}
	return e
}

// endpointKeys are the YAML keys of an Endpoint, for strict decoding.
var endpointKeys = map[string]bool{
	"name": true, "format": true, "url": true, "secret": true, "secret_env": true,
	"rules": true, "min_severity": true, "send_resolved": true, "timeout": true,
	"max_retries": true, "retry_initial": true, "retry_max": true,
	"rate_limited_wait": true, "rate_per_minute": true, "digest_over": true,
	"digest_items": true, "queue_size": true,
}

// UnmarshalYAML decodes an endpoint over the defaults of its format, strictly:
// an unknown key is an error.
func (e *Endpoint) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: an endpoint is a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !endpointKeys[k.Value] && k.Value != "<<" { // << merges an anchor
			return fmt.Errorf("line %d: field %s not found in webhook endpoint", k.Line, k.Value)
		}
	}
	var probe struct {
		Format Format `yaml:"format"`
	}
	if err := n.Decode(&probe); err != nil {
		return err
	}
	type plain Endpoint // no UnmarshalYAML: decodes field by field
	d := plain(DefaultEndpoint(probe.Format))
	if err := n.Decode(&d); err != nil {
		return err
	}
	*e = Endpoint(d)
	return nil
}

// MarshalYAML writes the endpoint with its secret masked and the credentials of
// its URL redacted, so that a printed configuration leaks nothing.
func (e Endpoint) MarshalYAML() (any, error) {
	type plain Endpoint
	return plain(e.redacted()), nil
}

// MarshalJSON is MarshalYAML's counterpart: a configuration dumped as JSON (a
// status page, a structured log) leaks nothing either.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	type plain Endpoint
	return json.Marshal(plain(e.redacted()))
}

// LogValue shows the endpoint in logs by name, format and redacted URL.
func (e Endpoint) LogValue() slog.Value { return slog.StringValue(e.String()) }

// String names the endpoint without its credentials.
func (e Endpoint) String() string {
	return fmt.Sprintf("%s (%s %s)", e.Name, e.Format, redactURL(e.URL))
}

func (e Endpoint) redacted() Endpoint {
	e.URL = redactURL(e.URL)
	if e.Secret != "" {
		e.Secret = "<secret>"
	}
	return e
}

var (
	nameRe    = regexp.MustCompile(`^[a-z0-9_-]+$`)
	envNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ruleRe    = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
)

var severityRank = map[string]int{"info": 1, "warning": 2, "error": 3}

// Validate checks the configuration. It does not read the environment: whether
// secret_env is set is checked by New, in the process that will send, because a
// configuration is often checked elsewhere (CI, another host) than it runs.
func (c *Config) Validate() error {
	if c.FlushTimeout < 0 {
		return fmt.Errorf("webhook.flush_timeout: %v, want 0 or more", c.FlushTimeout)
	}
	seen := make(map[string]bool, len(c.Endpoints))
	var errs []error
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		if err := e.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("webhook.endpoints[%d]: %w", i, err))
			continue
		}
		if seen[e.Name] {
			errs = append(errs, fmt.Errorf("webhook.endpoints[%d]: duplicate name %q", i, e.Name))
		}
		seen[e.Name] = true
	}
	return errors.Join(errs...)
}

// Validate checks one endpoint. Its messages name the endpoint and the key, and
// show the URL only redacted.
func (e *Endpoint) Validate() error {
	if !nameRe.MatchString(e.Name) {
		return fmt.Errorf("name %q: want lower-case letters, digits, _ and - only", e.Name)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: "+format, append([]any{e.Name}, args...)...)
	}
	switch e.Format {
	case FormatJSON, FormatDingTalk, FormatWeCom, FormatFeishu:
	default:
		return fail("format %q: want json, dingtalk, wecom or feishu", e.Format)
	}
	if err := checkURL(e.URL); err != nil {
		return fail("url %s: %v", redactURL(e.URL), err)
	}
	if e.Format == FormatWeCom && (e.Secret != "" || e.SecretEnv != "") {
		return fail("secret: WeCom group robots do not sign messages; remove secret and secret_env")
	}
	if e.SecretEnv != "" && !envNameRe.MatchString(e.SecretEnv) {
		return fail("secret_env %q: not an environment variable name", e.SecretEnv)
	}
	rules := make(map[report.Rule]bool, len(e.Rules))
	for _, r := range e.Rules {
		if !ruleRe.MatchString(string(r)) {
			return fail("rules: %q is not a rule name", r)
		}
		if rules[r] {
			return fail("rules: %s listed twice", r)
		}
		rules[r] = true
	}
	if severityRank[e.MinSeverity] == 0 {
		return fail("min_severity %q: want info, warning or error", e.MinSeverity)
	}
	if e.Timeout <= 0 {
		return fail("timeout: %v, want more than 0", e.Timeout)
	}
	if e.MaxRetries < 0 || e.MaxRetries > 100 {
		return fail("max_retries: %d, want 0 to 100", e.MaxRetries)
	}
	if e.RetryInitial <= 0 || e.RetryMax < e.RetryInitial {
		return fail("retry_initial %v and retry_max %v: want 0 < retry_initial <= retry_max", e.RetryInitial, e.RetryMax)
	}
	if e.RateLimitedWait <= 0 {
		return fail("rate_limited_wait: %v, want more than 0", e.RateLimitedWait)
	}
	if e.RatePerMinute < 0 {
		return fail("rate_per_minute: %d, want 0 (no limit) or more", e.RatePerMinute)
	}
	if limit := vendorRate(e.Format); limit > 0 && (e.RatePerMinute == 0 || e.RatePerMinute > limit) {
		return fail("rate_per_minute: %d, want 1 to %d (the most %s accepts a minute)", e.RatePerMinute, limit, e.Format)
	}
	if e.DigestOver < 0 {
		return fail("digest_over: %d, want 0 (off) or more", e.DigestOver)
	}
	if e.DigestItems < 1 || e.DigestItems > 100 {
		return fail("digest_items: %d, want 1 to 100", e.DigestItems)
	}
	if e.QueueSize < 1 || e.QueueSize > 1_000_000 {
		return fail("queue_size: %d, want 1 to 1000000", e.QueueSize)
	}
	return nil
}

// vendorRate is the most messages a minute a vendor accepts; 0 for json.
func vendorRate(f Format) int {
	switch f {
	case FormatDingTalk:
		return maxRateDingTalk
	case FormatWeCom:
		return maxRateWeCom
	case FormatFeishu:
		return maxRateFeishu
	}
	return 0
}

// checkURL accepts absolute http and https URLs with a host. Its errors never
// quote the URL.
func checkURL(raw string) error {
	if raw == "" {
		return errors.New("missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("does not parse as a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q, want http or https", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("has no host")
	}
	if strings.ContainsAny(raw, " \t\r\n") {
		return errors.New("contains white space")
	}
	return nil
}
