// Package score measures an extraction against the record a document is known to
// hold: cell by cell (state, value and unit, what analysts see), plus the metadata
// and template. It is how the team measures the extractor on any set of documents
// with expected records — golden files written by hand for real reports, or the
// records a generated portal was rendered from.
package score
