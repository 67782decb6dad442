// Package dashboard serves govreport's web dashboard: server-rendered pages over the
// analysts' ClickHouse views (the nation's figures, an explorer of bodies with CSV
// download, a report beside its archived source with every cell's state and the rule
// findings on the cells they concern, the open alerts) and over NATS (the pipeline's
// crawl progress, backlogs and dead letters).
//
// Everything it needs is in the binary: templates, styles and the charting library
// (Chartist, MIT) are embedded, nothing is loaded from the internet. The interface is
// Chinese, with English one click away (?lang=en). It is read-only: the one action,
// re-driving dead letters, is refused unless Config.Actions allows it.
package dashboard
