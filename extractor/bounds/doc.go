// Package bounds holds the hard limits every attachment reader runs under (zip
// sizes and ratios, XML depth and tokens, PDF pages, objects and stream bytes,
// spreadsheet cells, converter output, wall time) and the errors that say a
// document broke one of them or cannot be read at all. The extractor turns an
// *Exceeded into a too_large rejection and an *Unsupported into an unsupported
// one, both with the error's text as the detail.
package bounds
