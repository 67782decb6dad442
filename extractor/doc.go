// Package extractor is the pipeline stage that turns raw documents into canonical
// records: Parse reads one document (HTML or plain text in any charset, or an
// attachment: PDF, .docx/.wps, .xlsx/.xls, .doc) into a report.Record or rejects it
// with a reason, and Extractor runs Parse over the RAW stream, publishing records
// to PARSED and rejections beside them.
//
// Parse is built from small packages, one job each: decode (format and charset),
// htmldoc and htmltable (pages and their tables as grids), textreader (flattened
// text as grids), attach (attachments into the same lines and grids, through
// docx, sheet, pdftext and msdoc, under the limits of bounds; safezip and olefile
// open their containers), sections (grids → the template's cells, by label or by position),
// prose (counts stated in sentences, when no table gave a value), labels (the
// template's words), cellvalue (one cell's text → value) and normalize (text
// clean-up).
package extractor
