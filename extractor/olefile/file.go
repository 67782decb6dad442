package olefile

import (
	"bytes"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/govreport/govreport/extractor/bounds"
)

// maxEntries bounds the directory entries read.
const maxEntries = 10000

// File is an opened compound file: its top-level streams by name.
type File struct {
	streams map[string][]byte
	names   []string
}

// Open reads the compound file in body; streams over lim.ZipEntryBytes, or over
// lim.ZipTotalBytes in all, are an *bounds.Exceeded. Only the streams wanted
// (compared without case) are kept in memory; every stream's name is listed.
func Open(body []byte, lim bounds.Limits, wanted ...string) (*File, error) {
	r, err := mscfb.New(bytes.NewReader(body))
	if err != nil {
		return nil, bounds.Unsupport(err, "not a readable OLE compound file")
	}
	f := &File{streams: map[string][]byte{}}
	want := map[string]bool{}
	for _, w := range wanted {
		want[strings.ToLower(w)] = true
	}
	var total int64
	for n := 0; ; n++ {
		if n > maxEntries {
			return nil, bounds.Exceed(maxEntries, "OLE file has more entries than the limit of")
		}
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bounds.Unsupport(err, "OLE directory is broken")
		}
		f.names = append(f.names, e.Name)
		if !want[strings.ToLower(e.Name)] || len(e.Path) > 0 {
			continue
		}
		if e.Size > lim.ZipEntryBytes {
			return nil, bounds.Exceed(lim.ZipEntryBytes, "OLE stream %s of %d bytes is over the limit of", e.Name, e.Size)
		}
		total += e.Size
		if total > lim.ZipTotalBytes {
			return nil, bounds.Exceed(lim.ZipTotalBytes, "OLE streams hold more bytes than the limit of")
		}
		data, err := io.ReadAll(io.LimitReader(e, lim.ZipEntryBytes+1))
		if err != nil {
			return nil, bounds.Unsupport(err, "OLE stream %s cannot be read", e.Name)
		}
		f.streams[strings.ToLower(e.Name)] = data
	}
	return f, nil
}

// Has reports whether the file holds a stream (anywhere) of that name.
func (f *File) Has(name string) bool {
	for _, n := range f.names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Stream returns a wanted top-level stream, nil when absent.
func (f *File) Stream(name string) []byte { return f.streams[strings.ToLower(name)] }
