// Package decode turns a fetched body into UTF-8 text and says what format it is:
// HTML, plain text, or an attachment format the extractor cannot read yet (PDF,
// Word, Excel, WPS, archives, images), by content type and magic bytes.
//
// Charsets are decided here, not by the HTTP client: the Content-Type charset, a
// byte-order mark, a <meta charset> or http-equiv declaration, then sniffing. An
// undeclared page that is not UTF-8 is tried as GB18030 (a superset of GBK and
// GB2312); a declaration of UTF-8 over bytes that are not UTF-8 but are clean
// GB18030 is overruled, because portals get their headers wrong.
package decode
