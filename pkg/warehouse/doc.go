// Package warehouse is the pipeline's ClickHouse: the connection (Open), the schema
// as versioned SQL migrations embedded in the binary (Migrate), and ad-hoc queries
// printed as text tables or TSV (Query), used by `govreport sql`.
//
// The schema keeps every fact table a ReplacingMergeTree on a version column, so
// that a replayed or re-extracted document replaces its rows instead of duplicating
// them, and offers *_current views that return one current row per key. Everything
// here works on Debian's ClickHouse 18.16 and on current releases; see
// migrations/0001_init.sql.
package warehouse
