// Package extractor is the pipeline stage that turns raw documents into canonical
// records: Parse reads one document (HTML or plain text, any charset) into a
// report.Record or rejects it with a reason, and Extractor runs Parse over the RAW
// stream, publishing records to PARSED and rejections beside them.
//
// Parse is built from small packages, one job each: decode (format and charset),
// htmldoc and htmltable (pages and their tables as grids), textreader (flattened
// text as grids), sections (grids → the template's cells, by label or by position),
// prose (counts stated in sentences, when no table gave a value), labels (the
// template's words), cellvalue (one cell's text → value) and normalize (text
// clean-up).
package extractor
