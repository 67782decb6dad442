package history

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/report"
)

// nationalBody is a body of the generated national warehouse.
type nationalBody struct {
	name, province string
	level          report.Level
	base           float64 // requests in a typical year
	carried        [7]float64
	inForce        [2]float64 // regulations and normative documents in force
}

// nationalBodies lays out a country: 31 provinces, each with its government and
// 30 departments, 4 cities (government, 25 departments) of 7 counties (government,
// 20 departments, 10 townships): 31,093 bodies.
func nationalBodies(r *rand.Rand) []*nationalBody {
	var out []*nationalBody
	add := func(name, province string, level report.Level, base float64) {
		out = append(out, &nationalBody{name: name, province: province, level: level, base: base})
	}
	logn := func(mu, sigma float64) float64 { return math.Round(math.Exp(mu + sigma*r.NormFloat64())) }
	for p := range 31 {
		prov := fmt.Sprintf("省%02d", p)
		add(prov+"人民政府", prov, report.LevelProvince, logn(7, 0.8))
		for d := range 30 {
			add(fmt.Sprintf("%s厅%02d", prov, d), prov, report.LevelDepartment, logn(4, 1.2))
		}
		for c := range 4 {
			city := fmt.Sprintf("%s市%d", prov, c)
			add(city+"人民政府", prov, report.LevelCity, logn(5.5, 0.8))
			for d := range 25 {
				add(fmt.Sprintf("%s局%02d", city, d), prov, report.LevelDepartment, logn(3, 1.2))
			}
			for k := range 7 {
				county := fmt.Sprintf("%s县%d", city, k)
				add(county+"人民政府", prov, report.LevelCounty, logn(3.5, 0.8))
				for d := range 20 {
					base := 0.0
					if r.IntN(2) == 0 {
						base = logn(1.5, 1)
					}
					add(fmt.Sprintf("%s局%02d", county, d), prov, report.LevelDepartment, base)
				}
				for k := range 10 {
					base := 0.0
					if r.IntN(10) < 3 {
						base = float64(1 + r.IntN(5))
					}
					add(fmt.Sprintf("%s镇%02d", county, k), prov, report.LevelTownship, base)
				}
			}
		}
	}
	return out
}

// nationalRecord draws a body's report for a year: requests around its base,
// spread over columns and outcomes so that R1–R4 hold and the carry-over follows
// from last year.
func nationalRecord(r *rand.Rand, b *nationalBody, year int) *report.Record {
	rec := newRecord(b.name, year, b.level, b.province)
	n := math.Round(b.base * (0.8 + 0.45*r.Float64()))
	cols := []float64{n, 0, 0, 0, 0, 0}
	for c := 1; c < 6 && n > 10; c++ {
		cols[c] = math.Round(n * 0.05 * r.Float64())
	}
	outcomes := []report.Row{report.RowGranted, report.RowPartiallyGranted, report.RowWithheldThirdPartyRights,
		report.RowUnableNotHeld, report.RowNotProcessedDuplicate, report.RowOtherOther}
	sums := map[report.Row]*[7]float64{}
	for _, row := range append([]report.Row{report.RowNewReceived, report.RowCarriedOver, report.RowTotal, report.RowCarriedForward}, outcomes...) {
		sums[row] = &[7]float64{}
	}
	for c, v := range cols {
		co := b.carried[c]
		cf := 0.0
		if v+co > 0 && r.IntN(4) == 0 {
			cf = math.Min(v+co, float64(1+r.IntN(3)))
		}
		left := v + co - cf
		sums[report.RowNewReceived][c], sums[report.RowCarriedOver][c] = v, co
		sums[report.RowCarriedForward][c], sums[report.RowTotal][c] = cf, left
		for i, o := range outcomes {
			k := math.Round(left * []float64{0.5, 0.1, 0.05, 0.2, 0.1, 0.05}[i] * (0.5 + r.Float64()))
			if i == len(outcomes)-1 || k > left {
				k = left
			}
			sums[o][c] = k
			left -= k
		}
		b.carried[c] = cf
	}
	for row, v := range sums {
		t := 0.0
		for c := range 6 {
			setApp(rec, row, report.Cols[c], v[c])
			t += v[c]
		}
		setApp(rec, row, report.ColTotal, t)
	}
	if b.level != report.LevelTownship {
		for _, im := range report.DisclosureLayout(rec.Template) {
			if r.IntN(3) > 0 {
				rec.Disclosure.Set(im.Item, im.Metric, report.Number(float64(r.IntN(int(10+b.base*20)))))
			}
		}
		for i, it := range stockItems {
			issued, repealed := float64(r.IntN(5)), math.Min(b.inForce[i], float64(r.IntN(3)))
			b.inForce[i] += issued - repealed
			rec.Disclosure.Set(it, report.MetricIssued, report.Number(issued))
			rec.Disclosure.Set(it, report.MetricRepealed, report.Number(repealed))
			rec.Disclosure.Set(it, report.MetricInForce, report.Number(b.inForce[i]))
		}
		for _, g := range report.ReviewGroups {
			if r.IntN(3) == 0 {
				u, c := float64(r.IntN(4)), float64(r.IntN(2))
				rec.Review.Set(g, report.OutcomeUpheld, report.Number(u))
				rec.Review.Set(g, report.OutcomeCorrected, report.Number(c))
				rec.Review.Set(g, report.OutcomeTotal, report.Number(u+c))
			}
		}
	}
	rec.Meta.PublishedAt = fmt.Sprintf("%d-01-%02d", year+1, 2+r.IntN(28))
	return rec
}

var national struct {
	sync.Once
	db      string
	q       Querier
	reports int
	copied  map[[2]string]bool // (copy, original) bodies of the 2022 copies planted
	err     error
}

// nationalWarehouse loads two years (2021, 2022) of every body of nationalBodies,
// with 1 % of 2022's reports copying another body's tables. It is loaded once per
// test binary.
func nationalWarehouse(b *testing.B) (Querier, string, int) {
	national.Do(func() {
		conn, db := openWarehouse(b)
		r := rand.New(rand.NewPCG(2024, 1))
		bodies := nationalBodies(r)
		start := time.Now()
		var batch rows
		n := 0
		flush := func() {
			if national.err == nil {
				national.err = batch.insert(context.Background(), conn, db)
			}
			batch = rows{}
		}
		var last *report.Record
		national.copied = map[[2]string]bool{}
		for _, y := range []int{2021, 2022} {
			for i, body := range bodies {
				rec := nationalRecord(r, body, y)
				if y == 2022 && i%100 == 50 && last != nil && last.Template == rec.Template {
					rec.Applications, rec.Review, rec.Disclosure = last.Applications, last.Review, last.Disclosure
					national.copied[[2]string{body.name, last.Meta.Body}] = true
				}
				if body.level != report.LevelTownship {
					last = rec
				}
				batch.add(rec)
				if n++; n%2000 == 0 {
					flush()
				}
			}
		}
		flush()
		national.db, national.q, national.reports = db, conn, n
		b.Logf("loaded %d reports in %v", n, time.Since(start).Round(time.Second))
	})
	if national.err != nil {
		b.Fatal(national.err)
	}
	return national.q, national.db, national.reports
}

// BenchmarkEvaluateNational evaluates every rule for 2022 over a national-scale
// warehouse: ~31,000 reports a year, two years. It reports the peak Go heap during
// Evaluate and the alerts raised.
func BenchmarkEvaluateNational(b *testing.B) {
	q, db, n := nationalWarehouse(b)
	runtime.GC() // the load's garbage is not Evaluate's
	b.ReportAllocs()
	b.ResetTimer()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	if f := os.Getenv("HISTORY_CPU_PROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(out)
		defer pprof.StopCPUProfile()
	}
	var res Result
	for b.Loop() {
		var err error
		res, err = Evaluate(context.Background(), q, db, DefaultConfig(), []int{2022}, time.Date(2023, 6, 1, 0, 0, 0, 0, cst))
		if err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	by := map[report.Rule]int{}
	unplanted := 0
	for _, a := range res.Alerts {
		by[a.Rule]++
		// The alert is on the later of the two, which may be the original.
		if a.Rule == RuleCopy && !national.copied[[2]string{a.Body, a.Related[0].Body}] && !national.copied[[2]string{a.Related[0].Body, a.Body}] {
			unplanted++
		}
	}
	b.ReportMetric(float64(unplanted), "unplanted-copies")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(n), "reports")
	b.ReportMetric(float64(by[RuleCopy]), "copies")
	b.Logf("alerts by rule %v; stats %+v", by, res.Stats)
}
