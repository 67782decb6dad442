// Package attach reads report attachments — Word (.docx, OOXML .wps, binary .doc
// and .wps), spreadsheets (.xlsx, .xls), PDF — into a grid.Document, so that the
// extractor applies the same section reading, rules and record assembly as to a
// page. It decides which reader a body needs (magic bytes, then the zip entries or
// the OLE streams it holds), runs the reader under the limits of package bounds
// with a deadline, and turns a panic in a reader into an error naming the document.
//
// Formats no reader handles — OFD, PowerPoint, archives of several files, images —
// are *bounds.Unsupported with a reason that names them.
package attach
