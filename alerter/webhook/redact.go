package webhook

import (
	"errors"
	"net/url"
	"sort"
	"strings"
)

// redacted replaces a credential wherever one would be shown.
const redacted = "REDACTED"

// hookSegments are path segments after which webhook URLs carry their token
// (Feishu /open-apis/bot/v2/hook/<id>, Slack-like /hooks/<id>/…).
var hookSegments = map[string]bool{"hook": true, "hooks": true, "webhook": true, "webhooks": true}

// redactURL returns a URL safe to log: the scheme and host stay; user info, the
// fragment and every query value are replaced (DingTalk access_token, WeCom key,
// DingTalk timestamp and sign); path segments after hook/hooks/webhook(s), and
// segments that look like tokens (16 bytes or more with a digit, or 32 or more),
// are replaced. An unparseable URL is not shown at all.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "<url not shown>"
	}
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(redacted + "@")
	}
	b.WriteString(u.Host)
	if p := u.EscapedPath(); p != "" {
		segs := strings.Split(p, "/")
		after := false
		for i, s := range segs {
			if after || tokenLike(s) {
				if s != "" {
					segs[i] = redacted
				}
			}
			if hookSegments[strings.ToLower(s)] {
				after = true
			}
		}
		b.WriteString(strings.Join(segs, "/"))
	}
	if u.RawQuery != "" {
		b.WriteByte('?')
		for i, kv := range strings.Split(u.RawQuery, "&") {
			if i > 0 {
				b.WriteByte('&')
			}
			k, _, _ := strings.Cut(kv, "=")
			if tokenLike(k) {
				k = redacted
			}
			b.WriteString(k + "=" + redacted)
		}
	}
	if u.Fragment != "" || u.RawFragment != "" {
		b.WriteString("#" + redacted)
	}
	return b.String()
}

// tokenLike says whether a path segment looks like a credential.
func tokenLike(s string) bool {
	return len(s) >= 32 || (len(s) >= 16 && strings.ContainsAny(s, "0123456789"))
}

// scrubber removes an endpoint's credentials from any text: the URL, its query
// values, its token-like path segments, its user info and the signing secret.
type scrubber struct{ r *strings.Replacer }

// newScrubber collects the credentials of a URL and a secret.
func newScrubber(rawURL, secret string) scrubber {
	set := map[string]bool{}
	add := func(s string) {
		if len(s) >= 4 { // shorter values are not credentials and would mangle text
			set[s] = true
			set[url.QueryEscape(s)] = true
			set[url.PathEscape(s)] = true
		}
	}
	add(rawURL)
	add(secret)
	if u, err := url.Parse(rawURL); err == nil {
		for _, vs := range u.Query() {
			for _, v := range vs {
				add(v)
			}
		}
		if u.User != nil {
			add(u.User.Username())
			if p, ok := u.User.Password(); ok {
				add(p)
			}
		}
		after := false
		for _, s := range strings.Split(u.Path, "/") {
			if after || tokenLike(s) {
				add(s)
			}
			if hookSegments[strings.ToLower(s)] {
				after = true
			}
		}
		add(u.Fragment)
	}
	secrets := make([]string, 0, len(set))
	for s := range set {
		secrets = append(secrets, s)
	}
	// Longest first: a URL is replaced whole before its token alone.
	sort.Slice(secrets, func(i, j int) bool {
		if len(secrets[i]) != len(secrets[j]) {
			return len(secrets[i]) > len(secrets[j])
		}
		return secrets[i] < secrets[j]
	})
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, redacted)
	}
	return scrubber{r: strings.NewReplacer(pairs...)}
}

// clean returns s without the credentials.
func (s scrubber) clean(text string) string {
	if s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// err returns an error whose message has no credentials. A *url.Error (what
// net/http returns, quoting the request URL) gets its URL redacted first.
func (s scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return errors.New(s.clean(err.Error()))
}
