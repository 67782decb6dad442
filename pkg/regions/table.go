package regions

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // the division data
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./internal/importdivisions -out data

//go:embed data/divisions.tsv.gz
var divisionsGz []byte

//go:embed data/t2s.txt
var t2sText []byte

// Edition is the year of the statistics bureau's edition that Default embeds.
const Edition = 2023

// Table is the national division table with its name indexes. It is read-only
// once loaded and safe for concurrent use.
type Table struct {
	divs     []Division
	byCode   map[string]*Division
	byName   map[string][]*Division // official names
	byStem   map[string][]*Division // names without their generic suffix
	byPinyin map[string][]*Division // spellings of stems, above township level
	t2s      map[rune]rune
	t2sBMP   []uint16 // t2s for the Basic Multilingual Plane, 0 for none: Normalize's fast path
	maxName  int      // longest name, in runes
}

var defaultTable = sync.OnceValues(func() (*Table, error) {
	return Load(bytes.NewReader(divisionsGz), bytes.NewReader(t2sText))
})

// Default returns the table embedded in the binary: the statistics bureau's 2023
// division codes (see data/README.md). It is decoded on first use (about 40 ms)
// and shared afterwards.
func Default() (*Table, error) { return defaultTable() }

// Load reads a table from a gzip-compressed divisions file (code<TAB>name[<TAB>
// spellings], sorted by code, each code's parent before it) and a traditional →
// simplified character file (one pair a line, # comments).
func Load(divisionsGzip, t2s io.Reader) (*Table, error) {
	zr, err := gzip.NewReader(divisionsGzip)
	if err != nil {
		return nil, fmt.Errorf("open divisions: %w", err)
	}
	var buf bytes.Buffer
	buf.Grow(2 << 20) // the 2023 table is 1.6 MB
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("read divisions: %w", err)
	}
	raw := buf.Bytes()
	t := &Table{t2s: map[rune]rune{}}
	if err := t.readT2S(t2s); err != nil {
		return nil, err
	}
	if err := t.readDivisions(string(raw)); err != nil {
		return nil, err
	}
	t.index()
	return t, nil
}

func (t *Table) readT2S(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, b, ok := strings.Cut(line, "\t")
		ra, rb := []rune(a), []rune(b)
		if !ok || len(ra) != 1 || len(rb) != 1 {
			return fmt.Errorf("t2s line %d: %q is not a character pair", n, line)
		}
		t.t2s[ra[0]] = rb[0]
		if ra[0] < 0x10000 && rb[0] < 0x10000 {
			if t.t2sBMP == nil {
				t.t2sBMP = make([]uint16, 0x10000)
			}
			t.t2sBMP[ra[0]] = uint16(rb[0])
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read t2s: %w", err)
	}
	return nil
}

func (t *Table) readDivisions(raw string) error {
	t.divs = make([]Division, 0, strings.Count(raw, "\n"))
	t.byCode = make(map[string]*Division, cap(t.divs))
	for n := 1; raw != ""; n++ {
		line, rest, _ := strings.Cut(raw, "\n")
		raw = rest
		code, tail, ok := strings.Cut(line, "\t")
		name, spell, _ := strings.Cut(tail, "\t")
		lv, okLevel := levelOfCode(code)
		if !ok || !okLevel || strings.Trim(code, "0123456789") != "" || name == "" {
			return fmt.Errorf("divisions line %d: %q is not code<TAB>name", n, line)
		}
		d := Division{Code: code, Name: name, level: lv}
		if spell != "" {
			d.pinyin = strings.Fields(spell)
		}
		t.divs = append(t.divs, d)
	}
	for i := range t.divs {
		d := &t.divs[i]
		if _, dup := t.byCode[d.Code]; dup {
			return fmt.Errorf("divisions: code %s appears twice", d.Code)
		}
		t.byCode[d.Code] = d
		if d.level == lvProvince {
			continue
		}
		p := t.byCode[parentCode(d.Code)]
		if p == nil {
			return fmt.Errorf("divisions: %s %s comes before its parent", d.Code, d.Name)
		}
		d.parent = p
	}
	return nil
}

func parentCode(code string) string {
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	case 9:
		return code[:6]
	}
	return ""
}

// index marks groupings, zones and counties that are their city, and builds the
// name indexes.
func (t *Table) index() {
	var names, stems, spellings []posting
	names = make([]posting, 0, len(t.divs)+64)
	stems = make([]posting, 0, len(t.divs))
	var keys []string
	for i := range t.divs {
		d := &t.divs[i]
		switch d.level {
		case lvCity:
			d.pseudo = d.Name == "市辖区" || d.Name == "县" || d.Name == "省直辖县级行政区划"
		case lvCounty:
			n := d.Code[4:]
			d.zone = n >= "71" && n <= "79"
			d.cityLike = d.Name == d.parent.Name
		case lvTownship:
			n := d.Code[6:]
			d.zone = n >= "400" && n <= "599"
		}
		if d.pseudo || d.cityLike {
			continue // 东莞市 is found as the city; its townships lie under it all the same
		}
		keys = t.nameKeys(d, keys[:0])
		for _, key := range keys {
			names = append(names, posting{key, d})
			if stem, _, ok := splitName(key, d.level); ok && !d.zone {
				stems = append(stems, posting{stem, d})
			}
		}
		for _, p := range d.pinyin {
			spellings = append(spellings, posting{p, d})
		}
		if n := runeCount(d.Name); n > t.maxName {
			t.maxName = n
		}
	}
	t.byName, t.byStem, t.byPinyin = buildIndex(names), buildIndex(stems), buildIndex(spellings)
}

// posting is one key of an index and a division it finds.
type posting struct {
	key string
	d   *Division
}

// buildIndex maps each key to its divisions, in the order given. The lists share
// one backing array: loading makes a few large allocations, not one per name.
func buildIndex(ps []posting) map[string][]*Division {
	count := make(map[string]int32, len(ps))
	for _, p := range ps {
		count[p.key]++
	}
	flat := make([]*Division, len(ps))
	m := make(map[string][]*Division, len(count))
	off := 0
	for _, p := range ps {
		list, ok := m[p.key]
		if !ok {
			n := int(count[p.key])
			list = flat[off : off : off+n]
			off += n
		}
		m[p.key] = append(list, p.d)
	}
	return m
}

// nameKeys returns the names d is found by: its name as Normalize writes it and,
// for the few names with a bracketed part, the name without it ((工业园区)城南街道 →
// 城南街道) and a township named inside the brackets (城南经济新区(车逻镇) → 车逻镇).
// Zones whose names only say what they are (高新区) are found by none.
func (t *Table) nameKeys(d *Division, keys []string) []string {
	name := d.Name
	if strings.ContainsAny(name, "（）()") {
		name = t.Normalize(name)
	}
	if !d.zone || placeNamed(name) {
		keys = append(keys, name)
	}
	if !strings.Contains(name, "(") {
		return keys
	}
	out, in := splitBrackets(name)
	if out != "" && (!d.zone || placeNamed(out)) {
		keys = append(keys, out)
	}
	if _, _, ok := splitName(in, lvTownship); ok && d.level == lvTownship {
		keys = append(keys, in)
	}
	return keys
}

// zoneGeneric are words that open zone names without naming a place.
var zoneGeneric = []string{"国家级", "省级", "经济技术", "经济", "技术", "高新技术", "高新", "工业", "产业", "现代", "综合", "农业", "科技"}

// placeNamed reports whether a zone's name says where it is (石家庄高新技术产业
// 开发区) rather than only what it is (高新区, 经济开发区).
func placeNamed(name string) bool {
	w, ok := hasZoneWord(name)
	if !ok {
		return true // 农场, 林场 …: their names are their own
	}
	head := name[:strings.Index(name, w)]
	for changed := true; changed; {
		changed = false
		for _, g := range zoneGeneric {
			if h, ok := strings.CutPrefix(head, g); ok {
				head, changed = h, true
			}
		}
	}
	return runeCount(head) >= 2
}

// Divisions returns every entry of the table in code order, groupings and zones
// included (see Division.Grouping and Division.Zone): for loading the table into
// a warehouse. The divisions belong to the table and must not be changed.
func (t *Table) Divisions() []*Division {
	out := make([]*Division, len(t.divs))
	for i := range t.divs {
		out[i] = &t.divs[i]
	}
	return out
}

// Len returns the number of divisions (and groupings) in the table.
func (t *Table) Len() int { return len(t.divs) }

// Lookup returns the division with the given code, or nil. It accepts the
// statistics bureau's codes (22, 2201, 220183, 220183105) and the 6-digit forms of
// provinces and cities (220000, 220100), and a 12-digit village code's township.
func (t *Table) Lookup(code string) *Division {
	if strings.Trim(code, "0123456789") != "" {
		return nil
	}
	switch len(code) {
	case 12:
		code = code[:9]
	case 6:
		switch {
		case strings.HasSuffix(code, "0000"):
			if d := t.byCode[code]; d != nil {
				return d
			}
			code = code[:2]
		case strings.HasSuffix(code, "00"):
			if d := t.byCode[code]; d != nil {
				return d // 441900 东莞市 (the county that is its city)
			}
			code = code[:4]
		}
	}
	return t.byCode[code]
}

// Named returns the divisions whose official name is name (after Normalize), in
// code order.
func (t *Table) Named(name string) []*Division {
	return t.byName[t.Normalize(name)]
}
