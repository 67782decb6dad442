// Package loader is the pipeline's loader stage: it pulls canonical records and
// rejections from the PARSED stream (durable consumer bus.ConsumerLoader), turns
// them into rows of the warehouse tables, inserts them into ClickHouse in batches
// (by row count or age, whichever comes first) and acknowledges the messages only
// after every table of the batch was accepted.
//
// When ClickHouse fails, the batch's messages are nak'ed with a delay and the loader
// stops pulling until the server answers again, so JetStream holds the backlog and
// nothing is lost. A message that can never load (it does not decode, or a value
// does not fit its column) goes to the dead-letter subject reports.dead.loader at
// once; the rest of its batch loads. So does a record ClickHouse itself rejects:
// when the server refuses a batch for its data, the loader inserts it in halves,
// recursively, until the refused records are alone (see isolate.go). A message
// that still has not loaded on its MaxDeliver-th delivery is dead-lettered with the
// insert error.
//
// Inserts are idempotent: every table is a ReplacingMergeTree on the record's
// version, so a redelivered message replaces its own rows (see package warehouse).
package loader
