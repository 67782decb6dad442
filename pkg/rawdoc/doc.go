// Package rawdoc defines the raw document the crawler publishes and the extractor
// reads: a fetched body with the metadata of its fetch, and the identities the
// pipeline keys everything by (the canonical URL's doc ID and the body's SHA-256).
package rawdoc
