// Package sections reads the statistics sections of a report — 二 (article 20
// items), 三 (applications) and 四 (review and litigation) — from the grids of a
// document, whatever produced them: HTML tables, one per section or one for all, or
// text rebuilt into rows. It places every value it can by its labels — section 三
// rows whose labels were lost by their position when that is unambiguous
// (position.go) — says which labels proved which template, and lists the values it
// could not place.
package sections
