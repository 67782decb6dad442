package hostile

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// attachmentTypes are the files the wrapper attaches: extension → Content-Type and
// the magic bytes a file of that type starts with.
var attachmentTypes = map[string]struct {
	contentType string
	magic       string
}{
	".pdf":  {"application/pdf", "%PDF-1.4\n"},
	".doc":  {"application/msword", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"},
	".wps":  {"application/kswps", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"},
	".xls":  {"application/vnd.ms-excel", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
}

// AttachmentPath returns the path of the n-th (1-based) attachment of type ext of
// the page at pagePath: /a/art_1_2.html → /a/art_1_2_att1.pdf.
func AttachmentPath(pagePath, ext string, n int) string {
	return fmt.Sprintf("%s_att%d%s", strings.TrimSuffix(pagePath, path.Ext(pagePath)), n, ext)
}

// AttachmentPaths returns the paths of the attachments a rule with exts attaches to
// the page at pagePath.
func AttachmentPaths(pagePath string, exts []string) []string {
	var out []string
	for i, ext := range exts {
		out = append(out, AttachmentPath(pagePath, ext, i+1))
	}
	return out
}

var attachmentRE = regexp.MustCompile(`^(.*)_att(\d+)(\.[a-z]+)$`)

// attachmentBody returns the bytes served for an attachment path: the type's magic
// bytes and text naming the file, so every attachment is distinct.
func attachmentBody(p, ext string) []byte {
	return []byte(attachmentTypes[ext].magic + "govreport sample attachment " + p + "\n")
}

// linkAttachments inserts links to the attachments before </body>.
func linkAttachments(html []byte, pagePath string, exts []string) []byte {
	var b strings.Builder
	b.WriteString(`<div class="attachments">`)
	for i, ext := range exts {
		// Relative links, as CMS editors paste them.
		fmt.Fprintf(&b, `<p>附件%d：<a href="%s">年度报告全文%s</a></p>`, i+1, path.Base(AttachmentPath(pagePath, ext, i+1)), ext)
	}
	b.WriteString("</div>\n")
	return insertBefore(html, "</body>", b.String())
}
