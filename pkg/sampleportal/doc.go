// Package sampleportal generates an offline sample of government portals that
// publish Open Government Information annual reports (政府信息公开工作年度报告), and
// serves it over HTTP. `govreport samplesite` serves it, the demo crawls it, and the
// tests compare what comes out of the pipeline with what went in.
//
// Everything follows from a Config: the same Config gives byte-identical pages and
// identical expected records (math/rand/v2 PCG streams, one per site; no map order
// and no clock in any output).
//
// The package is in three layers:
//   - the generator (portal.go, values.go, anomaly.go, bodies.go, divisions.go):
//     sites placed in real county-level divisions, their bodies (the government,
//     departments, townships), and per body and year a consistent report (R1–R4
//     hold) unless exactly one anomaly was planted; the expected record of each.
//     With Config.HistoryAnomalies, history.go also plants one of each anomaly
//     across reports (a broken carry-over, a tenfold jump, a copied report, a
//     missing report, a peer outlier) and ExpectedHistory names them;
//   - the renderers (render_*.go): realistic TRS/Hanweb-style pages (list pages with
//     pagination, report pages, notices), varied per site by a style. A report is
//     printed in a layout (layout.go) drawn from the seed on a stream of its own:
//     a form — one table per section, one table for everything, Word's HTML, or the
//     tables flattened to lines, tabs or pipes — and variations: served as a text
//     file, traditional characters, noisy labels, an article container no portal
//     system names. content.go models the article once (blocks and tables with
//     their spans); traditional.go and noise.go rewrite the model; each form prints
//     it. Config.Layouts restricts the layouts;
//   - with Config.AttachmentRate, reports published only as an attachment
//     (attachment.go): an article page saying 详见附件 links a .docx or .xlsx of
//     the report (P0<date><serial>.docx, written by subpackage officedoc), whose
//     expected record is what the file alone states (see Attachment);
//   - the HTTP handler (handler.go) with ETag/Last-Modified and 304s.
//
// Expected, Notices, Sites and WriteExpected give the test oracle for a portal served
// at a given base URL. Pages use root-relative or relative links only, so their bytes
// do not depend on the base URL; only the expected URLs and document IDs do.
//
// Conventions of the expected records: body names carry the county's name
// (德惠市教育局, 德惠市岔路口镇人民政府) so that (body, year) is unique across sites;
// a blank cell has no unit; text cells ("见附件") occur only in section 二, so that
// R1–R4 are assessable on every report; Findings are report.TextCells followed by
// report.Check (what a correct extraction finds), an empty slice, never nil, when
// there are none. The record is what the page says: a traditional page's raw texts
// are traditional (無, 見附件, 2500萬; units keep their codes), a flattened table
// marks its blanks (an empty cell cannot survive flattening), a text file has no
// SiteIDCode (no <meta> tags). Expected.Layout names each report's layout.
package sampleportal
