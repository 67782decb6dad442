// Package chardecode turns an HTML page as fetched into UTF-8 text, whatever
// Chinese government portals did to its encoding: GB2312, GBK, GB18030 or Big5
// declared in the Content-Type header, in a <meta> tag, only detectable from the
// bytes, or declared wrongly (a header saying utf-8 over GBK bytes, a template's
// default windows-1252).
//
// Declarations are evidence, not truth: a declared charset is used when the bytes
// decode cleanly in it; otherwise the candidates (the declared ones, UTF-8,
// GB18030, Big5) are scored by undecodable bytes and by how many of the decoded
// characters are common Chinese characters, and the best wins. GB2312 and GBK are
// read as GB18030, their superset.
//
// The crawler decodes to find links and titles; the raw bytes it publishes stay
// as fetched, and the extractor decodes them again with its own decoder. The two
// could share one package under pkg/ (see the crawler's report).
package chardecode
