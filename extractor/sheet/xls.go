package sheet

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/govreport/govreport/extractor/bounds"
	"github.com/govreport/govreport/extractor/grid"
	"github.com/govreport/govreport/extractor/olefile"
)

// BIFF8 record types read.
const (
	recBOF         = 0x0809
	recEOF         = 0x000A
	recBoundSheet  = 0x0085
	recSST         = 0x00FC
	recContinue    = 0x003C
	recLabelSST    = 0x00FD
	recLabel       = 0x0204
	recNumber      = 0x0203
	recRK          = 0x027E
	recMulRK       = 0x00BD
	recFormula     = 0x0006
	recString      = 0x0207
	recBoolErr     = 0x0205
	recBlank       = 0x0201
	recMulBlank    = 0x00BE
	recMergedCells = 0x00E5
	recFormat      = 0x041E
	recXF          = 0x00E0
	recFilePass    = 0x002F
)

// ReadXLS reads a BIFF8 workbook (.xls) whose compound file holds a Workbook (or
// Book) stream.
func ReadXLS(ctx context.Context, f *olefile.File, lim bounds.Limits) (*grid.Document, error) {
	wb := f.Stream("Workbook")
	if wb == nil {
		wb = f.Stream("Book")
	}
	if wb == nil {
		return nil, bounds.Unsupport(nil, "no Workbook stream: not an Excel workbook")
	}
	cells := bounds.NewCounter(ctx, int64(lim.SheetCells), "workbook holds more cells than the limit of")
	b := &biff{formats: map[int]string{}, cells: cells}
	if err := b.read(wb); err != nil {
		return nil, err
	}
	doc := &grid.Document{}
	for i, t := range b.sheets {
		doc.Grids = append(doc.Grids, t.toGrids(fmt.Sprintf("s%d", i+1))...)
		doc.Lines = append(doc.Lines, t.lines()...)
	}
	if len(b.sheets) == 0 {
		return nil, bounds.Unsupport(nil, "workbook has no worksheet")
	}
	return doc, nil
}

// biff walks a Workbook stream.
type biff struct {
	sst     []string
	formats map[int]string // number format id → format code
	xfFmt   []int          // XF index → number format id
	names   []string
	sheets  []*table
	cur     *table
	cells   *bounds.Counter
	// pendingString is the cell whose formula result comes in the next STRING.
	pendingString *[2]int
}

func (b *biff) read(wb []byte) error {
	depth := 0 // BOF nesting: 1 globals, 2 … inside a sheet substream
	inSheet := false
	for off := 0; off+4 <= len(wb); {
		typ := int(binary.LittleEndian.Uint16(wb[off:]))
		n := int(binary.LittleEndian.Uint16(wb[off+2:]))
		start := off + 4
		if start+n > len(wb) {
			return bounds.Unsupport(nil, "workbook record at byte %d runs past the stream", off)
		}
		data := wb[start : start+n]
		next := start + n
		if err := b.cells.Add(0); err != nil {
			return err
		}
		switch typ {
		case recBOF:
			depth++
			inSheet = false
			if len(data) >= 4 && binary.LittleEndian.Uint16(data[2:]) == 0x0010 && depth > 1 {
				inSheet = true
				b.cur = &table{}
				if len(b.sheets) < len(b.names) {
					b.cur.name = b.names[len(b.sheets)]
				}
				b.sheets = append(b.sheets, b.cur)
			}
			if len(data) >= 2 && binary.LittleEndian.Uint16(data) != 0x0600 {
				return bounds.Unsupport(nil, "workbook is not BIFF8 (Excel 97 or later): version %#x", binary.LittleEndian.Uint16(data))
			}
		case recEOF:
			inSheet = false
			b.cur = nil
		case recFilePass:
			return bounds.Unsupport(nil, "workbook is encrypted")
		case recBoundSheet:
			if len(data) >= 8 {
				name, _ := shortString(data[6:])
				b.names = append(b.names, name)
			}
		case recSST:
			chunks := [][]byte{data}
			for next+4 <= len(wb) && binary.LittleEndian.Uint16(wb[next:]) == recContinue {
				m := int(binary.LittleEndian.Uint16(wb[next+2:]))
				if next+4+m > len(wb) {
					break
				}
				chunks = append(chunks, wb[next+4:next+4+m])
				next += 4 + m
			}
			if err := b.readSST(chunks); err != nil {
				return err
			}
		case recFormat:
			if len(data) >= 5 {
				id := int(binary.LittleEndian.Uint16(data))
				s, _ := unicodeString(data[2:], 2)
				b.formats[id] = s
			}
		case recXF:
			if len(data) >= 4 {
				b.xfFmt = append(b.xfFmt, int(binary.LittleEndian.Uint16(data[2:])))
			}
		}
		if inSheet && b.cur != nil {
			if err := b.cell(typ, data); err != nil {
				return err
			}
		}
		off = next
	}
	return nil
}

// cell reads a record of a worksheet.
func (b *biff) cell(typ int, d []byte) error {
	u16 := func(i int) int { return int(binary.LittleEndian.Uint16(d[i:])) }
	switch typ {
	case recLabelSST:
		if len(d) >= 10 {
			i := int(binary.LittleEndian.Uint32(d[6:]))
			s := ""
			if i < len(b.sst) {
				s = b.sst[i]
			}
			return b.set(u16(0), u16(2), s)
		}
	case recLabel:
		if len(d) >= 9 {
			s, _ := unicodeString(d[6:], 2)
			return b.set(u16(0), u16(2), s)
		}
	case recNumber:
		if len(d) >= 14 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))
			return b.set(u16(0), u16(2), b.format(v, u16(4)))
		}
	case recRK:
		if len(d) >= 10 {
			return b.set(u16(0), u16(2), b.format(rk(binary.LittleEndian.Uint32(d[6:])), u16(4)))
		}
	case recMulRK:
		if len(d) >= 6 {
			row, col := u16(0), u16(2)
			for i := 4; i+6 <= len(d)-2; i += 6 {
				v := rk(binary.LittleEndian.Uint32(d[i+2:]))
				if err := b.set(row, col, b.format(v, u16(i))); err != nil {
					return err
				}
				col++
			}
		}
	case recBlank:
		if len(d) >= 6 {
			return b.set(u16(0), u16(2), "")
		}
	case recMulBlank:
		if len(d) >= 6 {
			row, first := u16(0), u16(2)
			last := u16(len(d) - 2)
			for c := first; c <= last && c-first < 256; c++ {
				if err := b.set(row, c, ""); err != nil {
					return err
				}
			}
		}
	case recBoolErr:
		if len(d) >= 8 {
			s := ""
			if d[7] == 0 {
				s = map[bool]string{true: "TRUE", false: "FALSE"}[d[6] != 0]
			}
			return b.set(u16(0), u16(2), s)
		}
	case recFormula:
		if len(d) >= 14 {
			row, col := u16(0), u16(2)
			res := d[6:14]
			if res[6] == 0xFF && res[7] == 0xFF {
				switch res[0] {
				case 0: // a string, in the STRING record that follows
					b.pendingString = &[2]int{row, col}
					return b.set(row, col, "")
				case 1:
					return b.set(row, col, map[bool]string{true: "TRUE", false: "FALSE"}[res[2] != 0])
				}
				return b.set(row, col, "")
			}
			return b.set(row, col, b.format(math.Float64frombits(binary.LittleEndian.Uint64(res)), u16(4)))
		}
	case recString:
		if b.pendingString != nil && len(d) >= 3 {
			s, _ := unicodeString(d, 2)
			p := *b.pendingString
			b.pendingString = nil
			return b.set(p[0], p[1], s)
		}
	case recMergedCells:
		if len(d) >= 2 {
			n := u16(0)
			for i := 0; i < n && 2+8*i+8 <= len(d); i++ {
				o := 2 + 8*i
				m := span{r0: u16(o), r1: u16(o + 2), c0: u16(o + 4), c1: u16(o + 6)}
				if m.r1 < m.r0 || m.c1 < m.c0 {
					continue
				}
				if err := b.cells.Add(int64(m.r1-m.r0+1) * int64(m.c1-m.c0+1)); err != nil {
					return err
				}
				b.cur.merges = append(b.cur.merges, m)
				for len(b.cur.rows) <= m.r1 {
					b.cur.rows = append(b.cur.rows, nil)
				}
			}
		}
	}
	return nil
}

// set stores a cell's text, growing the sheet.
func (b *biff) set(row, col int, s string) error {
	if col > 255 || row > 65535 {
		return nil
	}
	if err := b.cells.Add(1); err != nil {
		return err
	}
	t := b.cur
	for len(t.rows) <= row {
		t.rows = append(t.rows, nil)
	}
	if err := b.cells.Add(int64(max(0, col+1-len(t.rows[row])))); err != nil {
		return err
	}
	for len(t.rows[row]) <= col {
		t.rows[row] = append(t.rows[row], "")
	}
	t.rows[row][col] = s
	return nil
}

// rk decodes an RK number.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&^3) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// format renders a number as its cell's number format shows it: the decimals and
// thousands separators of the format's first section, a percent; General (and
// anything else: dates do not occur in these tables) as the shortest decimal.
func (b *biff) format(v float64, xf int) string {
	code := "General"
	if xf < len(b.xfFmt) {
		id := b.xfFmt[xf]
		if s, ok := b.formats[id]; ok {
			code = s
		} else if s, ok := builtinFormats[id]; ok {
			code = s
		}
	}
	return formatNumber(v, code)
}

var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
}

// formatNumber applies the simple number formats a report's cells use.
func formatNumber(v float64, code string) string {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	code = strings.TrimSpace(code)
	if code == "" || strings.EqualFold(code, "General") || !strings.ContainsAny(code, "0#") {
		return formatFloat(strconv.FormatFloat(v, 'g', -1, 64))
	}
	percent := strings.HasSuffix(code, "%")
	if percent {
		v *= 100
	}
	decimals := 0
	if i := strings.IndexByte(code, '.'); i >= 0 {
		for _, r := range code[i+1:] {
			if r != '0' && r != '#' {
				break
			}
			decimals++
		}
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(code, ",") {
		s = group(s)
	}
	if percent {
		s += "%"
	}
	return s
}

// group adds thousands separators to a formatted number.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + frac
	if neg {
		out = "-" + out
	}
	return out
}

// shortString reads a ShortXLUnicodeString (1-byte count).
func shortString(d []byte) (string, int) { return unicodeString(d, 1) }

// unicodeString reads an XLUnicodeString without rich text or extensions: a
// count of lenBytes bytes, a flags byte, the characters (compressed or UTF-16).
func unicodeString(d []byte, lenBytes int) (string, int) {
	if len(d) < lenBytes+1 {
		return "", len(d)
	}
	n := int(d[0])
	if lenBytes == 2 {
		n = int(binary.LittleEndian.Uint16(d))
	}
	flags := d[lenBytes]
	p := lenBytes + 1
	if flags&1 == 0 {
		end := min(p+n, len(d))
		return latin1(d[p:end]), end
	}
	end := min(p+2*n, len(d))
	return utf16le(d[p:end]), end
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func utf16le(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// readSST reads the shared strings, which CONTINUE records may split anywhere,
// even inside a string's characters (where the next record repeats the flag that
// says whether characters are one byte or two).
func (b *biff) readSST(chunks [][]byte) error {
	r := &chunkReader{chunks: chunks}
	head, ok := r.bytes(8)
	if !ok {
		return nil
	}
	unique := int(binary.LittleEndian.Uint32(head[4:]))
	if err := b.cells.Add(int64(min(unique, 1<<24))); err != nil {
		return err
	}
	for i := 0; i < unique; i++ {
		h, ok := r.bytes(3)
		if !ok {
			break
		}
		n := int(binary.LittleEndian.Uint16(h))
		flags := h[2]
		runs, ext := 0, 0
		if flags&8 != 0 {
			x, ok := r.bytes(2)
			if !ok {
				break
			}
			runs = int(binary.LittleEndian.Uint16(x))
		}
		if flags&4 != 0 {
			x, ok := r.bytes(4)
			if !ok {
				break
			}
			ext = int(binary.LittleEndian.Uint32(x))
		}
		s, ok := r.chars(n, flags&1 != 0)
		if !ok {
			break
		}
		b.sst = append(b.sst, s)
		if !r.skip(4*runs + ext) {
			break
		}
	}
	return nil
}

// chunkReader reads across the SST record and its CONTINUE records.
type chunkReader struct {
	chunks [][]byte
	i, off int
}

func (r *chunkReader) advance() bool {
	for r.i < len(r.chunks) && r.off >= len(r.chunks[r.i]) {
		r.i++
		r.off = 0
	}
	return r.i < len(r.chunks)
}

func (r *chunkReader) bytes(n int) ([]byte, bool) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if !r.advance() {
			return nil, false
		}
		c := r.chunks[r.i]
		k := min(n-len(out), len(c)-r.off)
		out = append(out, c[r.off:r.off+k]...)
		r.off += k
	}
	return out, true
}

func (r *chunkReader) skip(n int) bool {
	for n > 0 {
		if !r.advance() {
			return false
		}
		k := min(n, len(r.chunks[r.i])-r.off)
		r.off += k
		n -= k
	}
	return true
}

// chars reads n characters; at a record boundary the next record starts with a
// flags byte giving the width of the rest.
func (r *chunkReader) chars(n int, wide bool) (string, bool) {
	var u []uint16
	for len(u) < n {
		if r.i < len(r.chunks) && r.off >= len(r.chunks[r.i]) {
			r.i++
			r.off = 0
			if r.i >= len(r.chunks) {
				return "", false
			}
			wide = r.chunks[r.i][0]&1 != 0
			r.off = 1
		}
		if r.i >= len(r.chunks) {
			return "", false
		}
		c := r.chunks[r.i]
		if wide {
			if r.off+2 > len(c) {
				return "", false
			}
			u = append(u, binary.LittleEndian.Uint16(c[r.off:]))
			r.off += 2
		} else {
			u = append(u, uint16(c[r.off]))
			r.off++
		}
	}
	return string(utf16.Decode(u)), true
}
