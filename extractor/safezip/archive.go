package safezip

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/extractor/bounds"
)

// ratioFloor is the size below which an entry's compression ratio is not checked:
// small parts of repeated markup legitimately compress very well.
const ratioFloor = 1 << 20

// Archive is an open zip container.
type Archive struct {
	zr     *zip.Reader
	byName map[string]*zip.File
	lim    bounds.Limits
	read   int64 // bytes inflated so far, all entries
}

// Open opens a zip held in body. A container that is not a readable zip (truncated,
// encrypted, a wrong format) is an *bounds.Unsupported; one over a limit an
// *bounds.Exceeded; one with an unsafe or duplicate entry name an Unsupported.
func Open(body []byte, lim bounds.Limits) (*Archive, error) {
	if n, ok := declaredEntries(body); ok && n > lim.ZipEntries {
		return nil, bounds.Exceed(int64(lim.ZipEntries), "zip lists %d entries, over the limit of", n)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, bounds.Unsupport(err, "not a readable zip container")
	}
	if len(zr.File) > lim.ZipEntries {
		return nil, bounds.Exceed(int64(lim.ZipEntries), "zip lists %d entries, over the limit of", len(zr.File))
	}
	a := &Archive{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), lim: lim}
	for _, f := range zr.File {
		if why := unsafeName(f.Name); why != "" {
			return nil, bounds.Unsupport(nil, "zip entry %q: %s", printable(f.Name), why)
		}
		key := strings.ToLower(f.Name)
		if _, dup := a.byName[key]; dup {
			return nil, bounds.Unsupport(nil, "zip entry %q appears twice", printable(f.Name))
		}
		a.byName[key] = f
	}
	return a, nil
}

// Names returns the entry names in the order the directory lists them.
func (a *Archive) Names() []string {
	out := make([]string, len(a.zr.File))
	for i, f := range a.zr.File {
		out[i] = f.Name
	}
	return out
}

// Has reports whether the container holds an entry (names compare without case, as
// Office does).
func (a *Archive) Has(name string) bool {
	_, ok := a.byName[strings.ToLower(name)]
	return ok
}

// ErrNotFound is returned by ReadFile for an entry the container does not hold.
var ErrNotFound = errors.New("zip entry not found")

// ReadFile inflates one entry under the limits.
func (a *Archive) ReadFile(name string) ([]byte, error) {
	f, ok := a.byName[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, bounds.Unsupport(err, "zip entry %s cannot be opened", name)
	}
	defer rc.Close()
	room := min(a.lim.ZipEntryBytes, a.lim.ZipTotalBytes-a.read)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, room+1))
	a.read += n
	switch {
	case n > room && room == a.lim.ZipEntryBytes:
		return nil, bounds.Exceed(a.lim.ZipEntryBytes, "zip entry %s inflates past the entry limit of", name)
	case n > room:
		return nil, bounds.Exceed(a.lim.ZipTotalBytes, "zip entries inflate past the container limit of")
	case err != nil:
		return nil, bounds.Unsupport(err, "zip entry %s is broken", name)
	}
	if n > ratioFloor && f.CompressedSize64 > 0 && uint64(n)/f.CompressedSize64 > uint64(a.lim.ZipRatio) {
		return nil, bounds.Exceed(a.lim.ZipRatio, "zip entry %s inflates %d times its compressed size, over the ratio limit of",
			name, uint64(n)/f.CompressedSize64)
	}
	return buf.Bytes(), nil
}

// declaredEntries reads the entry count from the end-of-central-directory record,
// before archive/zip lists (and allocates) the entries. ok is false when there is
// no such record; zip.NewReader then rejects the container.
func declaredEntries(body []byte) (n int, ok bool) {
	const eocdLen = 22
	start := max(0, len(body)-(eocdLen+65535))
	i := bytes.LastIndex(body[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+eocdLen > len(body) {
		return 0, false
	}
	rec := body[start+i:]
	count := int(binary.LittleEndian.Uint16(rec[10:12]))
	if count == 0xFFFF {
		// zip64: the real count is in the zip64 end record; archive/zip bounds it
		// by the body size, and Open checks it after listing.
		return 0, false
	}
	return count, true
}

// unsafeName says what is wrong with an entry name, or "" when it is a plain
// relative path: no absolute paths, drive letters, backslashes, "..", control
// characters or invalid UTF-8.
func unsafeName(name string) string {
	switch {
	case name == "":
		return "empty name"
	case !utf8.ValidString(name):
		return "name is not UTF-8"
	case strings.HasPrefix(name, "/"):
		return "absolute path"
	case strings.Contains(name, "\\"):
		return "backslash in path"
	case len(name) >= 2 && name[1] == ':':
		return "drive letter in path"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "control character in name"
		}
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "path escapes the container (..)"
		}
	}
	return ""
}

// printable shortens and quotes-safe a name for messages.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return s
}
