// Package alerter raises alerts on anomalous filings and delivers each once.
//
// It reads the canonical records on PARSED and turns the findings that matter into
// alerts (package alert: R1–R4, text in number cells, values not placed, a table
// not read), and it runs the cross-report rules over the warehouse's history
// (package history: carry-over, stock, jumps, peer outliers, copies, missing and
// late reports) on a schedule, after the loader's notices and on demand
// (Evaluate). Every alert names the body, the year, the cells or documents with
// their values and why, in Chinese and English, with a link to the source.
//
// Delivery goes to the NATS subject alerts.<rule>, the ClickHouse alerts table and
// the webhooks of package webhook. An alert's ID derives from its key (rule and
// subject) and its evidence (the documents' content hashes, the values), and the
// state of every key lives in the alert-state key-value bucket shared by every
// alerter process: a process claims a key while it delivers, so that an alert is
// raised once across redeliveries, restarts and processes; an alert whose rule no
// longer fires when its scope (a document, or a rule and year) is evaluated again
// is resolved.
package alerter
