// Package officedoc writes documents as the office files portals attach to their
// pages: a format-neutral model of a document (paragraphs, which may hold tabs and
// line breaks, and tables whose cells carry their column and row spans) rendered as
// .docx (OOXML written here: w:gridSpan, w:vMerge, runs split at random places,
// breaks and tabs, short header labels stacked one character per line) or as .xlsx
// (excelize: merged ranges, numbers stored as numbers).
//
// The output depends only on the document and the options: the same input gives
// the same bytes. The sample portal serves reports published as attachments with
// it, and the extractor's attachment fixtures are written with it.
package officedoc
