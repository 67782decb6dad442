// Command govreport runs the govreport pipeline — crawler, extractor, loader and
// alerter — in one process or one stage at a time, and the tools around it: parse a
// document, migrate the schema, query ClickHouse, serve the sample portal.
//
// Every subcommand is a small struct with its flags and a Run method, dispatched
// from Main.Run so that tests can call the binary's entry point directly.
package main
