// Package crawler fetches annual reports and their attachments from government
// portals with Colly and publishes each new or changed document once to the RAW
// stream.
//
// A crawl of a site starts at the site's report-column URLs and follows, without
// per-site code: the column's list pages (index_N.html links and createPageHTML
// pagination scripts), other report columns (/col/colNNN/), pages whose link title
// names an annual report (or, on CMS article URLs such as /art/YYYY/M/D/art_… and
// /YYYYMM/tYYYYMMDD_…, a title cut short on the way to one), and the attachments
// (.doc .docx .pdf .wps .xls .xlsx) of report pages. Only official domains are
// followed (*.gov.cn, the site's own hosts and configured exceptions). Pages are
// decoded by chardecode whatever their charset claims; the bytes published stay as
// fetched.
//
// Politeness holds across every crawler process: a host's concurrency, delay and
// backoff (429/503 Retry-After, slow answers) live in a JetStream key-value bucket
// (hostgate), robots.txt is honoured with Crawl-delay (robots), failures are
// retried with jittered backoff and the final error of every URL is recorded.
// Crawls are incremental and resumable: per-URL state (urlstate) holds validators
// for conditional requests, the hash of what was published, when the URL is due
// again, which run completed it and the links it yielded — so a recrawl asks with
// If-None-Match/If-Modified-Since, publishes only what changed, and a crawl killed
// half-way resumes its run without fetching again what it completed.
//
// Colly does the HTTP work; what it gets wrong is done around it, and each of
// these is tested (colly_limits_test.go): its LimitRule shares parallelism across
// the hosts it matches and sleeps its delay inside the slot (replaced by
// hostgate below it, in the transport); it ignores robots.txt unless told and
// never reads Crawl-delay (replaced by robots); MaxBodySize truncates silently (the
// crawler asks for one byte more, and stops on Content-Length); its visited set and
// robots cache grow without bound (a visited set per site crawl, bounded by the
// page budget, and a bounded, expiring robots cache); it misreads undeclared or
// mis-declared GBK and converts declared charsets before callbacks see the bytes
// (the transport hides the charset from it; chardecode decodes).
//
// Modes: CrawlAll crawls every site once (govreport run --once, crawl --once);
// Work takes crawl jobs from the CRAWL_JOBS work queue, which schedule.Scheduler
// fills on a cron schedule, so that any number of processes share the sites.
package crawler
