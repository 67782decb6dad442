// Package msdoc converts binary Word documents (.doc, and the binary .wps files
// WPS Office writes in Word's format) to HTML with wvWare, from Debian's wv
// package, so that the extractor reads their tables with rowspans and colspans
// as it reads a page. (antiword and catdoc were measured on the same documents:
// both drop or garble tables with merged cells.)
//
// The converter runs without a shell (exec.CommandContext), on a copy of the
// document in a private temporary directory that is removed afterwards, with the
// caller's deadline, a cap on the HTML it may write (the process is killed past
// it) and an environment of PATH alone. A missing converter is a
// *bounds.Unsupported that says what to install.
package msdoc
