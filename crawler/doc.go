// Package crawler fetches annual reports and their attachments from government
// portals with Colly and publishes each fetched document to the RAW stream.
//
// A crawl of a site starts at the site's report-column URLs, follows the column's
// list pages (links to index_N.html and createPageHTML(...) pagination scripts),
// fetches every linked page whose title names an annual report, and every
// attachment linked from a report page. Only official domains are followed
// (*.gov.cn, the site's own hosts and configured exceptions). Politeness is enforced
// below Colly, in the HTTP transport: one limit per host shared by every collector
// in the process, a minimum delay between requests to a host, and a dialer that
// refuses private addresses unless the configuration allows them.
package crawler
