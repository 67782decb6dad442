// Package history computes the cross-report alert rules over the reports loaded in
// ClickHouse: rules that no single report can break on its own because they
// compare a report with the same body's other years, with comparable bodies, or
// with every other report.
//
//   - R5 carry-over (report.RuleR5): this year's 上年结转 differs from last year's
//     结转下年度继续办理, per applicant column and total;
//   - R6 stock (report.RuleR6): this year's 现行有效 differs from last year's
//     现行有效 + 本年制发 − 本年废止, for 规章 and 规范性文件;
//   - RuleJump: a body's applications, or the share of them granted, far from its
//     own previous years;
//   - RulePeerOutlier: a body's applications far from the bodies of the same
//     province, level and year, on robust statistics of log1p(received);
//   - RuleCopy: a report whose tables are identical or near-identical to another
//     body's report (any year) or to the same body's previous year;
//   - RuleMissing and RuleLate: a body that reported last year has no report by the
//     deadline; a report published after its deadline.
//
// Evaluate is pure evaluation: it reads the primary copy of every report
// (reports_primary), returns the open alerts it finds and the (rule, year) scopes
// it evaluated. Deduplication, resolution (a key of an evaluated scope that is no
// longer raised) and delivery are the caller's.
//
// The SQL only fetches compact per-report figures and every statistic is
// computed in Go, in a deterministic order. Six queries, whatever the number of
// years (and three more for the cells in which near-identical copies differ):
// the primary reports (reports FINAL, filtered on doc_id, its sorting key,
// so that no old version slips through); the cells R5, the jumps and the peers
// read, and the cells R6 reads, for the evaluated years and their history; and,
// for the copy rule, per table the non-empty cells of every report as tokens the
// server computes. The cell tables are grouped by (doc_id, version), without
// FINAL or subquery, and Go keeps the groups of each primary report's current
// version. Every query runs on ClickHouse 18.16 and on current releases (no CTE,
// window function or JOIN; TestQueriesOnCurrentEngine compares both).
//
// Cells of another report of the same body are written "<year>:<address>" in an
// alert's Cells (2021:carried_forward.total). Alert IDs rest on the documents'
// content hashes and the values involved, never on a group's statistics, so a
// peer's late report does not raise an alert again.
//
// The copy rule never compares all pairs. Identical tables share a fingerprint;
// near-identical ones are found by prefix filtering (the blocking scheme of exact
// set-similarity joins): two reports whose cells agree on a share s of their
// non-empty cells have a Jaccard similarity of at least s/(2−s) over their
// (cell, value) tokens, and two token sets that similar must share a token among the
// rarest few of each. Only those prefixes are indexed, so candidates are few, and
// no pair above the threshold is ever missed.
package history
