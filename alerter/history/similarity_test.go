package history

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// tokenOf returns the token of a cell, as vectorQuery computes one (with another
// hash): a number (value), or a text when text (a
// hash of it) is not 0.
func tokenOf(addr uint16, value float64, text uint64) token {
	var h uint64
	if text != 0 {
		h = mix64(text ^ 0x7465787400000000) // "text"
	} else {
		if value == 0 {
			value = 0 // -0 and 0 are one value
		}
		h = mix64(math.Float64bits(value))
	}
	return uint64(addr)<<valueBits | h&(1<<valueBits-1)
}

func TestSimilarity(t *testing.T) {
	v := func(cells ...[2]int) []token {
		var out []token
		for _, c := range cells {
			out = append(out, tokenOf(uint16(c[0]), float64(c[1]), 0))
		}
		return normalize(out)
	}
	for _, tc := range []struct {
		name        string
		a, b        []token
		same, union int
	}{
		{"identical", v([2]int{1, 5}, [2]int{2, 7}), v([2]int{1, 5}, [2]int{2, 7}), 2, 2},
		{"one value differs", v([2]int{1, 5}, [2]int{2, 7}, [2]int{3, 1}), v([2]int{1, 5}, [2]int{2, 8}, [2]int{3, 1}), 2, 3},
		{"one cell only in one", v([2]int{1, 5}, [2]int{2, 7}), v([2]int{1, 5}, [2]int{2, 7}, [2]int{9, 1}), 2, 3},
		{"disjoint", v([2]int{1, 5}), v([2]int{2, 5}), 0, 2},
		{"empty", nil, nil, 0, 0},
	} {
		same, union, sim := similarity(tc.a, tc.b)
		if same != tc.same || union != tc.union {
			t.Errorf("%s: same %d union %d (sim %v), want %d %d", tc.name, same, union, sim, tc.same, tc.union)
		}
	}
	if tokenOf(3, 0, 12345) == tokenOf(3, 0, 0) || tokenOf(3, 5, 0) == tokenOf(4, 5, 0) || tokenOf(3, 0, 0) != tokenOf(3, math.Copysign(0, -1), 0) {
		t.Error("tokens collide or differ")
	}
}

// TestAddresses checks that every cell of the three tables has its own address
// number, that the numbers are those the queries' codes decode to, and that
// the totals are the cells that are sums.
func TestAddresses(t *testing.T) {
	seen := map[uint16]string{}
	for _, tb := range cellTables {
		for i, c1 := range tb.codes1 {
			for j, c2 := range tb.codes2 {
				a := tb.addr(i+1, j+1)
				key := string(tb.prefix) + c1 + "." + c2
				if other, dup := seen[a]; dup || a == 0 || addrs[key] != a {
					t.Fatalf("%s: address %d (also %s)", key, a, other)
				}
				seen[a] = key
				i1, i2, ok := tb.decode(uint64((i+1)*256 + j + 1))
				if !ok || i1 != i+1 || i2 != j+1 {
					t.Fatalf("%s: decoded %d %d %v", key, i1, i2, ok)
				}
			}
		}
		if _, _, ok := tb.decode(uint64(len(tb.codes1)+1) * 256); ok {
			t.Errorf("%s: an unknown code decodes", tb.name)
		}
	}
	if len(seen) != len(report.AllRows)*len(report.Cols)+len(report.ReviewGroups)*len(report.Outcomes)+len(report.Items)*len(report.Metrics) {
		t.Errorf("%d addresses", len(seen))
	}
	// 26 rows × 7 columns: 7 in the total row, 25 more in the total column; 3 in section 四.
	if len(totals) != 7+25+3 || !totals[addrs["anew_received.total"]] || totals[addrs["anew_received.natural_person"]] {
		t.Errorf("%d totals", len(totals))
	}
}

func TestPrefixLen(t *testing.T) {
	for _, tc := range []struct {
		n    int
		t    float64
		want int
	}{
		{10, 0.9, 2}, {10, 1, 1}, {8, 0.905, 1}, {20, 0.905, 2}, {50, 0.905, 5}, {1, 0.5, 1},
	} {
		if got := prefixLen(tc.n, tc.t); got != tc.want {
			t.Errorf("prefixLen(%d, %v) = %d, want %d", tc.n, tc.t, got, tc.want)
		}
	}
}

// randomDocs draws reports whose vectors are copies, near-copies and unrelated
// tables, with small values so that common tokens abound.
func randomDocs(r *rand.Rand, n int) []*copyDoc {
	var docs []*copyDoc
	bodies := []string{"甲局", "乙局", "丙镇", "丁镇", "戊县", ""}
	var pool [][]token
	for i := range n {
		b := bodies[r.IntN(len(bodies))]
		d := &doc{id: fmt.Sprintf("d%03d", i), body: b, bodyKey: b, year: 2020 + r.IntN(3)}
		if r.IntN(3) > 0 {
			d.published = time.Date(d.year+1, 1, 1+r.IntN(5), 0, 0, 0, 0, time.UTC)
		}
		if r.IntN(8) == 0 {
			d.sha = fmt.Sprintf("sha%d", r.IntN(3))
		}
		var v []token
		switch {
		case len(pool) > 0 && r.IntN(2) == 0:
			v = slices.Clone(pool[r.IntN(len(pool))])
			for range r.IntN(3) { // change a few cells
				k := r.IntN(len(v))
				v[k] = tokenOf(addrOfToken(v[k]), float64(r.IntN(3)), 0)
			}
			if r.IntN(4) == 0 {
				v = append(v, tokenOf(uint16(100+r.IntN(20)), 1, 0))
			}
		default:
			for a := 1; a <= 40; a++ {
				if r.IntN(3) == 0 {
					v = append(v, tokenOf(uint16(a), float64(1+r.IntN(3)), 0))
				}
			}
		}
		v = normalize(v)
		pool = append(pool, v)
		c := &copyDoc{d: d}
		if len(v) >= 4 {
			c.vec = v
		}
		docs = append(docs, c)
	}
	return docs
}

// bruteCopies is matchCopies by comparing every pair.
func bruteCopies(docs []*copyDoc, target map[int]bool, s float64) []string {
	order := slices.Clone(docs)
	slices.SortStableFunc(order, func(a, b *copyDoc) int {
		if copyEarlier(a.d, b.d) {
			return -1
		}
		if copyEarlier(b.d, a.d) {
			return 1
		}
		return 0
	})
	var out []string
	for i, x := range order {
		if !target[x.d.year] {
			continue
		}
		var best *copyMatch
		bestOrder := 0
		for j, y := range order[:i] {
			if !copyAllowed(x.d, y.d) {
				continue
			}
			var m *copyMatch
			if x.d.sha != "" && x.d.sha == y.d.sha && x.d.bodyKey != y.d.bodyKey {
				m = &copyMatch{x: x, y: y, sim: 1, identical: true}
			} else if x.vec != nil && y.vec != nil {
				if same, union, sim := similarity(x.vec, y.vec); sim >= s-1e-12 {
					m = &copyMatch{x: x, y: y, same: same, cells: union, sim: sim}
				}
			}
			if m == nil {
				continue
			}
			if best == nil || m.sim > best.sim || m.sim == best.sim && m.identical && !best.identical ||
				m.sim == best.sim && m.identical == best.identical && j < bestOrder {
				best, bestOrder = m, j
			}
		}
		if best != nil {
			out = append(out, matchString(best))
		}
	}
	slices.Sort(out)
	return out
}

func matchString(m *copyMatch) string {
	return fmt.Sprintf("%s→%s %.4f %v", m.x.d.id, m.y.d.id, m.sim, m.identical)
}

func matchStrings(ms []*copyMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, matchString(m))
	}
	slices.Sort(out)
	return out
}

// TestMatchCopiesExact checks that prefix filtering finds exactly what comparing
// every pair finds.
func TestMatchCopiesExact(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		docs := randomDocs(r, 60+r.IntN(120))
		target := map[int]bool{2021: true, 2022: true}
		for _, s := range []float64{0.95, 0.8, 1} {
			got := matchStrings(must(matchCopies(docs, target, s)))
			want := bruteCopies(docs, target, s)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("seed %d, similarity %v:\nprefix filtering\n%s\nall pairs\n%s", seed, s, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}

func must(ms []*copyMatch, _ int) []*copyMatch { return ms }

func FuzzMatchCopies(f *testing.F) {
	f.Add(uint64(1), uint8(80), uint8(95))
	f.Add(uint64(9), uint8(30), uint8(60))
	f.Fuzz(func(t *testing.T, seed uint64, n, pct uint8) {
		s := 0.5 + float64(pct%51)/100
		docs := randomDocs(rand.New(rand.NewPCG(seed, 3)), int(n%150))
		target := map[int]bool{2020: true, 2022: true}
		got := matchStrings(must(matchCopies(docs, target, s)))
		want := bruteCopies(docs, target, s)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("similarity %v:\nprefix filtering\n%s\nall pairs\n%s", s, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// BenchmarkMatchCopies matches a national year's worth of vectors (30,000
// reports, a third of them copies or near-copies of others) in memory.
func BenchmarkMatchCopies(b *testing.B) {
	docs := randomDocs(rand.New(rand.NewPCG(5, 5)), 30000)
	target := map[int]bool{2022: true}
	b.ResetTimer()
	for b.Loop() {
		matchCopies(docs, target, 0.95)
	}
}
