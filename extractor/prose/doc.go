// Package prose reads the statistics that reports without tables state in sentences
// — older reports write "共受理政府信息公开申请12件，其中予以公开8件，部分公开2件，不予公开
// 1件" instead of filling the application table. It is the extractor's last resort:
// Parse calls it only when no table gave a value, and the record says so with a
// lower confidence.
//
// A sentence gives a cell only when it names one: a row phrase (受理/收到…申请, 予以公开,
// 部分公开, 结转, 办结 …, or a withheld, unable or not-processed reason) and exactly
// one count with its unit (件, 宗, 起 …) in the same clause; "其中自然人10件" takes its
// row from the clause before. Counts that have no cell of their own — a group's
// total (不予公开1件), the organisations together (法人或其他组织2件), litigation not
// split by kind — are reported unplaced, never spread over cells. Sentences that
// merely mention a row label ("依法予以公开", "予以公开的信息") carry no count and give
// nothing. Every cell's Src is the line ("l12") and its Raw the clause it came from.
package prose
