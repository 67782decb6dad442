package history

import (
	"math"
	"slices"
	"sort"

	"github.com/govreport/govreport/pkg/report"
)

// A token is one non-empty cell of a report: its address in the high 16 bits and a
// 48-bit hash of its value (or text) below. A report's tokens, sorted, are its
// vector: sorting by token sorts by address, and two reports hold the same value
// in a cell when they hold the same token.
type token = uint64

const valueBits = 48

// addrs numbers every cell address: its table's prefix and codes, "a" +
// "new_received.total" (see cellTable.addr).
var addrs = func() map[string]uint16 {
	m := map[string]uint16{}
	for _, t := range cellTables {
		for i, c1 := range t.codes1 {
			for j, c2 := range t.codes2 {
				m[string(t.prefix)+c1+"."+c2] = t.addr(i+1, j+1)
			}
		}
	}
	return m
}()

// totals are the addresses of cells that are sums of others: the application
// table's 总计 column and (七)总计 row, and section 四's 总计. They repeat what the
// other cells say, so they do not count towards copy.min_nonzero.
var totals = func() map[uint16]bool {
	m := map[uint16]bool{}
	for _, r := range report.AllRows {
		for _, c := range report.Cols {
			if r == report.RowTotal || c == report.ColTotal {
				m[addrs["a"+string(r)+"."+string(c)]] = true
			}
		}
	}
	for _, g := range report.ReviewGroups {
		m[addrs["r"+string(g)+"."+string(report.OutcomeTotal)]] = true
	}
	return m
}()

// independent counts the tokens of a vector that are not totals.
func independent(v []token) int {
	n := 0
	for _, t := range v {
		if !totals[addrOfToken(t)] {
			n++
		}
	}
	return n
}

// mix64 is splitmix64's finalizer: a bijection of uint64 that spreads bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func addrOfToken(t token) uint16 { return uint16(t >> valueBits) }

// normalize sorts a vector and drops repeated addresses (a cell read twice).
func normalize(v []token) []token {
	slices.Sort(v)
	return slices.CompactFunc(v, func(a, b token) bool { return addrOfToken(a) == addrOfToken(b) })
}

// similarity compares two vectors: same is the number of addresses where both
// hold the same value, union the number of addresses where either holds anything,
// and sim = same/union (1 for two empty vectors).
func similarity(a, b []token) (same, union int, sim float64) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		aa, ab := addrOfToken(a[i]), addrOfToken(b[j])
		switch {
		case aa < ab:
			i++
		case aa > ab:
			j++
		default:
			if a[i] == b[j] {
				same++
			}
			i++
			j++
		}
		union++
	}
	union += len(a) - i + len(b) - j
	if union == 0 {
		return 0, 0, 1
	}
	return same, union, float64(same) / float64(union)
}

// jaccardBound is the least Jaccard similarity of two token sets whose vectors have
// similarity s: with m same cells, d cells both hold with other values and u
// union addresses, J = m/(u+d) ≥ m/(2u−m) = s/(2−s).
func jaccardBound(s float64) float64 { return s / (2 - s) }

// prefixLen is how many of a set's n tokens (rarest first) must be indexed so that
// any set with Jaccard similarity at least t shares one of them: n − ⌈t·n⌉ + 1.
func prefixLen(n int, t float64) int {
	k := n - int(math.Ceil(t*float64(n)-1e-9)) + 1
	return max(1, min(k, n))
}

// countMin estimates how often each token occurs; it orders tokens rarest first.
// Any fixed order keeps prefix filtering exact; the estimate only keeps common
// tokens (a count of 1 in the total column) out of the prefixes.
type countMin struct {
	rows [4][]uint32
	mask uint64
}

func newCountMin(width int) *countMin {
	w := 1
	for w < width {
		w <<= 1
	}
	c := &countMin{mask: uint64(w - 1)}
	for i := range c.rows {
		c.rows[i] = make([]uint32, w)
	}
	return c
}

var cmSeeds = [4]uint64{0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9, 0xd6e8feb86659fd93}

func (c *countMin) add(t token) {
	for i := range c.rows {
		p := &c.rows[i][mix64(t^cmSeeds[i])&c.mask]
		if *p < math.MaxUint32 {
			*p++
		}
	}
}

func (c *countMin) estimate(t token) uint32 {
	e := uint32(math.MaxUint32)
	for i := range c.rows {
		e = min(e, c.rows[i][mix64(t^cmSeeds[i])&c.mask])
	}
	return e
}

// prefix returns the first prefixLen tokens of v in the global order (estimated
// count, then token).
func (c *countMin) prefix(v []token, t float64) []token {
	type ranked struct {
		n   uint32
		tok token
	}
	r := make([]ranked, len(v))
	for i, x := range v {
		r[i] = ranked{c.estimate(x), x}
	}
	sort.Slice(r, func(i, j int) bool {
		if r[i].n != r[j].n {
			return r[i].n < r[j].n
		}
		return r[i].tok < r[j].tok
	})
	out := make([]token, prefixLen(len(v), t))
	for i := range out {
		out[i] = r[i].tok
	}
	return out
}

// fingerprint hashes a whole vector: equal vectors, equal fingerprints.
func fingerprint(v []token) uint64 {
	h := uint64(len(v))
	for _, t := range v {
		h = mix64(h ^ t)
	}
	return h
}
