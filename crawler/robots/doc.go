// Package robots answers whether the crawler may fetch a URL under the host's
// robots.txt, and what Crawl-delay the host asks for.
//
// The cache is bounded (least recently used hosts are evicted) and its entries
// expire, unlike Colly's, which keeps every host's robots.txt for the collector's
// lifetime and never reads Crawl-delay. Concurrent checks of one host share a
// single fetch. A robots.txt that answers 4xx allows everything; one that cannot be
// fetched (network error, 5xx) disallows everything until ErrorTTL passes, as
// Google's crawler does.
package robots
