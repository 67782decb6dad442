// Package safezip opens a zip container (.docx, .xlsx, .wps saved as OOXML, OFD,
// archives) held in memory under hard limits: the entry count is read from the end
// record before any entry is listed, entry names must be plain relative paths, and
// every entry read is counted as it inflates — its size, the container's total and
// its ratio to the compressed size — so a zip bomb stops at the limit, whatever its
// headers claim.
package safezip
