// Package attachfixtures renders reports into the attachment formats the extractor
// reads, for its tests: a format-neutral model of a document (paragraphs and tables
// with their spans) is built from a generated sample-portal page or from a seed's
// text (for the printed copies of the seeds in PrintAsTables, with its tables
// flattened one cell per line made tables again by FromCellLines), then written as
// .docx (OOXML: gridSpan, vMerge, runs split at random places, breaks and tabs,
// characters stacked one per line in narrow headers) and
// .xlsx (excelize: merged ranges, numbers as numbers) by pkg/sampleportal/officedoc
// (whose model Doc, Block, Table and Cell are aliased here), and converted
// by LibreOffice (a fixture-time tool only, never a runtime dependency) to .pdf,
// .doc and .xls.
//
// Generate writes the committed fixtures under extractor/testdata/attach with the
// record each must read back as; `go generate ./...` in extractor (or `make
// attach-fixtures`) runs it through cmd/genattach. The .docx and .xlsx writers
// need no tool, so the tests also render hundreds of generated reports on the fly.
package attachfixtures
