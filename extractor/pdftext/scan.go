package pdftext

import (
	"bytes"
	"compress/zlib"
	"io"

	"github.com/govreport/govreport/extractor/bounds"
)

// checkStreams inflates every Flate stream of the file, counting the bytes without
// keeping them, and fails when the total passes the limit. It looks at the raw
// bytes ("stream" … "endstream"), so it holds whatever the cross-reference table
// says, compressed object streams included.
func checkStreams(body []byte, lim bounds.Limits) error {
	total := int64(0)
	objects := 0
	rest := body
	off := 0
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			return nil
		}
		start := i + len("stream")
		// "endstream" also contains "stream": skip it.
		if i >= 3 && bytes.Equal(rest[i-3:i], []byte("end")) {
			rest, off = rest[start:], off+start
			continue
		}
		if start < len(rest) && rest[start] == '\r' {
			start++
		}
		if start < len(rest) && rest[start] == '\n' {
			start++
		}
		end := bytes.Index(rest[start:], []byte("endstream"))
		if end < 0 {
			end = len(rest) - start
		}
		data := rest[start : start+end]
		objects++
		if objects > lim.PDFObjects {
			return bounds.Exceed(int64(lim.PDFObjects), "PDF holds more streams than the object limit of")
		}
		if len(data) > 2 && data[0] == 0x78 { // a zlib header
			n, err := inflated(data, lim.PDFStreamBytes-total+1)
			total += n
			if total > lim.PDFStreamBytes {
				return bounds.Exceed(lim.PDFStreamBytes, "PDF streams inflate past the limit of (stream at byte %d)", off+start)
			}
			_ = err // a broken stream is the parser's business
		}
		rest, off = rest[start+end:], off+start+end
	}
}

// inflated returns how many bytes a zlib stream inflates to, reading at most limit.
func inflated(data []byte, limit int64) (int64, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	return io.Copy(io.Discard, io.LimitReader(zr, limit))
}
