// Package hostile makes a portal behave like the real, hostile ones: it wraps any
// http.Handler (usually sampleportal.Portal.Handler) and, per host or path, serves
// pages in GBK, GB2312, GB18030 or Big5 with the charset declared in the header, in
// a <meta> tag, nowhere, or wrongly (a header saying utf-8 over GBK bytes); serves
// robots.txt rules (Disallow, Crawl-delay); answers slowly; drops connections;
// answers 500, 503 or 429 with Retry-After; redirects in loops; attaches files
// (.pdf, .doc, …) to report pages; and hides an endless calendar of list pages (a
// crawl trap) behind list pages.
//
// It also watches: requests per path, conditional requests, requests in flight and
// request starts per host, so tests can check what a crawler did to it.
package hostile
