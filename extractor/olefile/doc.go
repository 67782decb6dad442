// Package olefile lists and reads the streams of an OLE compound file (the
// container of .doc, .xls, .wps and .et), through github.com/richardlehane/mscfb,
// under a size limit per stream and a limit on the number of entries.
package olefile
