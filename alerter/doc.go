// Package alerter raises alerts on anomalous filings. It reads the canonical records
// on PARSED, turns the findings that matter into alerts — which body, which year,
// which cells with their values, why, in Chinese and English — and delivers each
// alert once: to the NATS subject alerts.<rule> and to the ClickHouse alerts table.
//
// An alert's ID is derived from the rule, the document, the rule's scope and the
// document's content hash, so the same alert for the same report version is raised
// once however often the record is delivered, and across processes.
package alerter
