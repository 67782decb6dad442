package decode

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
)

// Format is the kind of document a body holds.
type Format string

// Formats.
const (
	FormatHTML Format = "html"
	FormatText Format = "text"
	FormatPDF  Format = "pdf"
	// FormatOffice is an OLE compound file: .doc, .xls, .wps, .et.
	FormatOffice Format = "office"
	// FormatZip is a zip container: .docx, .xlsx, .ofd, archives.
	FormatZip Format = "zip"
	// FormatBinary is anything else that is not text (images, unknown binaries).
	FormatBinary Format = "binary"
)

// Readable reports whether the format is text the extractor reads as a page or a
// text file (attachments — PDF, office, zip — are read by package attach).
func (f Format) Readable() bool { return f == FormatHTML || f == FormatText }

// magic numbers of the attachment formats.
var magics = []struct {
	prefix []byte
	format Format
}{
	{[]byte("%PDF-"), FormatPDF},
	{[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, FormatOffice},
	{[]byte("PK\x03\x04"), FormatZip},
	{[]byte("PK\x05\x06"), FormatZip},
	{[]byte("Rar!"), FormatBinary},
	{[]byte("\x89PNG"), FormatBinary},
	{[]byte("\xFF\xD8\xFF"), FormatBinary},
	{[]byte("GIF8"), FormatBinary},
}

// Detect decides a body's format from its magic bytes, then its declared content
// type, then by sniffing the bytes.
func Detect(body []byte, contentType string) Format {
	head := body
	if len(head) > 1024 {
		head = head[:1024]
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.prefix) {
			return m.format
		}
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/pdf":
		return FormatPDF
	case mt == "application/msword" || mt == "application/vnd.ms-excel" || mt == "application/vnd.ms-works" ||
		mt == "application/kswps" || mt == "application/wps-office.wps":
		return FormatOffice
	case strings.HasPrefix(mt, "application/vnd.openxmlformats") || mt == "application/zip" || mt == "application/ofd":
		return FormatZip
	case strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "audio/") || strings.HasPrefix(mt, "video/"):
		return FormatBinary
	}
	if binary(head) {
		return FormatBinary
	}
	if mt == "text/html" || mt == "application/xhtml+xml" || looksHTML(head) {
		return FormatHTML
	}
	return FormatText
}

// binary reports whether a body's start holds control bytes no text has.
func binary(head []byte) bool {
	if strings.HasPrefix(http.DetectContentType(head), "text/") {
		return false
	}
	bad := 0
	for _, c := range head {
		if c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B) {
			bad++
		}
	}
	return bad > len(head)/100+1
}

// looksHTML reports whether a body starts like markup.
func looksHTML(head []byte) bool {
	s := strings.ToLower(string(head))
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<table", "<div", "<p>", "<p ", "<title"} {
		if strings.Contains(s, tag) {
			return true
		}
	}
	return false
}
