package locate

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// instance is a Problem compiled for one model: demand points of zero
// weight dropped, and the index structures the engines walk built once.
// Demand indexes below are compiled ones (0 to D−1 over the points of
// positive weight); dem maps them back.
type instance struct {
	model Model
	p     *Problem
	C, D  int
	dem   []int32   // compiled demand → Problem demand
	w     []float64 // weight per compiled demand, > 0
	total float64   // Σ w
	units int       // P
	fix   []int32   // fixed units per candidate
	fixed int       // Σ fix
	cap   int32     // PerSite

	// Covering models.
	g      []float64 // g[k] = 1 − q^k: covered share of a point k units reach, k = 0..units
	m      []float64 // m[k] = g[k+1] − g[k] = (1−q)q^k: the (k+1)th unit's share
	cStart []int     // N(c) = cDem[cStart[c]:cStart[c+1]]: points within T of c
	cDem   []int32
	dStart []int // M(d) = dCand[dStart[d]:dStart[d+1]]: candidates within T of d, ascending
	dCand  []int32

	// PMedian.
	pen  float64   // cap on a point's time, minutes
	col  []float32 // col[c*D+d]: time from c to compiled demand d
	srt  []uint64  // per demand, candidates with time < pen by (time, index): time bits << 32 | candidate
	sBeg []int     // demand d's list is srt[sBeg[d]:sBeg[d+1]]
}

// compile builds the instance of p (already checked) for model m with
// room for up to units units.
func compile(p *Problem, m Model, units int) *instance {
	in := &instance{model: m, p: p, C: p.Candidates, units: units, cap: int32(p.perSite())}
	for d, w := range p.Weight {
		if w > 0 {
			in.dem = append(in.dem, int32(d))
			in.w = append(in.w, w)
			in.total += w
		}
	}
	in.D = len(in.dem)
	in.fix = make([]int32, in.C)
	for _, f := range p.Fixed {
		in.fix[f]++
	}
	in.fixed = len(p.Fixed)
	if m == PMedian {
		in.compileMedian()
	} else {
		q := 0.0
		if m == ExpectedCover {
			q = p.Busy
		}
		in.g = make([]float64, units+2)
		in.m = make([]float64, units+1)
		qk := 1.0 // q^k
		for k := range in.g {
			in.g[k] = 1 - qk
			if k < len(in.m) {
				in.m[k] = (1 - q) * qk
			}
			qk *= q
		}
		in.compileCover()
	}
	return in
}

func (in *instance) compileCover() {
	C, D, D0 := in.C, in.D, in.p.Demands
	// Covered means within T and reachable: T may be +Inf.
	T := min(in.p.Within, math.MaxFloat64)
	in.cStart = make([]int, C+1)
	perDemand := make([]int, D+1)
	for c := range C {
		row := in.p.Time[c*D0 : (c+1)*D0]
		for d, orig := range in.dem {
			if float64(row[orig]) <= T {
				in.cDem = append(in.cDem, int32(d))
				perDemand[d+1]++
			}
		}
		in.cStart[c+1] = len(in.cDem)
	}
	for d := range D {
		perDemand[d+1] += perDemand[d]
	}
	in.dStart = perDemand
	in.dCand = make([]int32, len(in.cDem))
	next := slices.Clone(perDemand[:D])
	for c := range C {
		for _, d := range in.cDem[in.cStart[c]:in.cStart[c+1]] {
			in.dCand[next[d]] = int32(c)
			next[d]++
		}
	}
}

func (in *instance) compileMedian() {
	C, D, D0 := in.C, in.D, in.p.Demands
	in.pen = in.p.penalty()
	if D == D0 {
		in.col = in.p.Time // every weight positive: share the caller's matrix
	} else {
		in.col = make([]float32, C*D)
		for c := range C {
			row := in.p.Time[c*D0 : (c+1)*D0]
			out := in.col[c*D : (c+1)*D]
			for d, orig := range in.dem {
				out[d] = row[orig]
			}
		}
	}
	in.sBeg = make([]int, D+1)
	for c := range C {
		for d, t := range in.col[c*D : (c+1)*D] {
			if float64(t) < in.pen {
				in.sBeg[d+1]++
			}
		}
	}
	for d := range D {
		in.sBeg[d+1] += in.sBeg[d]
	}
	in.srt = make([]uint64, in.sBeg[D])
	next := slices.Clone(in.sBeg[:D])
	for c := range C {
		for d, t := range in.col[c*D : (c+1)*D] {
			if float64(t) < in.pen {
				in.srt[next[d]] = sortKey(t, c)
				next[d]++
			}
		}
	}
	// Sort each demand's list; the lists are independent, so workers
	// take fixed chunks and the result does not depend on their number.
	workers := min(runtime.GOMAXPROCS(0), max(1, D/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for d := w; d < D; d += workers {
				slices.Sort(in.srt[in.sBeg[d]:in.sBeg[d+1]])
			}
		})
	}
	wg.Wait()
}

// sortKey packs a time (≥ 0, so its bits order as the numbers do) and a
// candidate into one integer that sorts by time, then candidate.
func sortKey(t float32, c int) uint64 {
	if t == 0 {
		t = 0 // −0 has the sign bit set
	}
	return uint64(math.Float32bits(t))<<32 | uint64(uint32(c))
}

// unkey unpacks sortKey.
func unkey(k uint64) (t float64, c int32) {
	return float64(math.Float32frombits(uint32(k >> 32))), int32(uint32(k))
}
