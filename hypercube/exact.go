package hypercube

import (
	"context"
	"fmt"
	"math"
	"math/bits"
)

// Exact solves m's hypercube model exactly: the balance equations of the
// continuous-time Markov chain on the 2^N sets of busy servers, by sweeps
// of successive over-relaxation (Gauss–Seidel with a relaxation factor
// chosen from its first sweeps), each followed by an aggregation step
// over the number of busy servers, until their relative residual is at
// most ExactTolerance. The queue beyond the all-busy state is geometric
// and added in closed form. Servers may have different service rates
// (Model.ServiceRates).
//
// Exact returns m.Validate's error for an invalid model, ErrTooManyServers
// for more than MaxExactServers servers, ErrNotConverged if the sweeps
// fail to converge, and ctx's error if ctx is done first (checked once a
// sweep). Time and memory are O(2^N·(N+J)) for the set-up and O(2^N·N)
// for each sweep; 15 servers and 49 atoms take about 50 sweeps, 0.1 s
// and 5 MB.
func Exact(ctx context.Context, m *Model) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.Servers > MaxExactServers {
		return nil, fmt.Errorf("%w: %d servers, at most %d", ErrTooManyServers, m.Servers, MaxExactServers)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lambda := m.totalRate()
	if lambda == 0 {
		return idle(m), nil
	}
	c := newChain(m, lambda)
	sweeps, err := c.solve(ctx)
	if err != nil {
		return nil, err
	}
	return c.result(m, sweeps), nil
}

// chain is the hypercube's Markov chain for the loss system. The queue
// variant shares it: while every server is busy the queue rises and falls
// as a birth–death process that always returns to the full state with no
// queue, so censoring the chain on the 2^N hypercube states leaves exactly
// the loss system's chain; the queue only stretches the time spent in the
// full state by the factor 1/(1−r), r = λ/Σμ, applied after solving.
type chain struct {
	n      int       // servers
	full   int       // the state with every server busy, 2^n − 1
	lambda float64   // total arrival rate
	mu     []float64 // μ_n
	// in[s*n+k] is the rate of the transition into state s from its
	// neighbour s⊕{k}. For server k busy in s it is an arrival into
	// s−{k}: the sum of λ_j over the atoms whose first free server in
	// s−{k} is k. For k free in s it is k's completion in s+{k}, μ_k.
	// Indexing by the destination keeps the rates a sweep reads for one
	// state together in memory, and lets it run without branches.
	in  []float64
	out []float64 // total rate out of each state
	dep []float64 // total service rate of each state's busy servers
	pi  []float64 // the current estimate of the state probabilities
	// level[s] is the number of busy servers in s.
	level []uint8
}

func newChain(m *Model, lambda float64) *chain {
	n := m.Servers
	size := 1 << n
	c := &chain{
		n:      n,
		full:   size - 1,
		lambda: lambda,
		mu:     m.serviceRates(),
		in:     make([]float64, size*n),
		out:    make([]float64, size),
		dep:    make([]float64, size),
		pi:     make([]float64, size),
		level:  make([]uint8, size),
	}
	for j, p := range m.Prefer {
		rate := m.Rate[j]
		if rate == 0 {
			continue
		}
		firstFree(p, func(s, k int) {
			c.in[(s|1<<k)*n+k] += rate
		})
	}
	for s := range size {
		c.level[s] = uint8(bits.OnesCount(uint(s)))
		for k, mu := range c.mu {
			if s&(1<<k) == 0 {
				c.in[s*n+k] = mu
			}
		}
		d := 0.0
		for b := s; b != 0; b &= b - 1 {
			d += c.mu[bits.TrailingZeros(uint(b))]
		}
		c.dep[s] = d
		c.out[s] = d
		if s != c.full {
			c.out[s] += lambda
		}
	}
	// Start from the symmetric solution: the M/M/N/N distribution of the
	// number busy (at the mean service rate), spread evenly over the
	// states of each level.
	mean := 0.0
	for _, x := range c.mu {
		mean += x
	}
	mean /= float64(n)
	lv := levels(n, lambda/mean, false, logFactorials(n))
	for s := range c.pi {
		k := int(c.level[s])
		c.pi[s] = lv[k] / binomial(n, k)
	}
	return c
}

// firstFree calls fn(s, k) for every state s that is not full, with k
// the first free server in s on preference list p: for each depth d, the
// states with p[0..d−1] busy and p[d] free, enumerated as the subsets of
// the servers after p[d] (Knuth, TAOCP 4A, §7.1.3: the successor of a
// subset x of mask is (x − mask) & mask). Each state is visited once and
// no list is scanned, O(2^N) per atom.
func firstFree(p []int, fn func(s, k int)) {
	busy := 0 // p[0..d−1]
	rest := 0 // p[d+1..]
	for _, k := range p {
		rest |= 1 << k
	}
	for _, k := range p {
		rest &^= 1 << k
		for sub := 0; ; sub = (sub - rest) & rest {
			fn(busy|sub, k)
			if sub == rest {
				break
			}
		}
		busy |= 1 << k
	}
}

// binomial returns C(n, k) for small n.
func binomial(n, k int) float64 {
	b := 1.0
	for i := range k {
		b = b * float64(n-i) / float64(i+1)
	}
	return math.Round(b)
}

// inflow returns the total rate of probability flow into state s under
// the current estimate: arrivals from s without one of its busy servers,
// completions from s with one more busy server.
func (c *chain) inflow(s int) float64 {
	n := c.n
	in := c.in[s*n : (s+1)*n : (s+1)*n]
	var a, b float64 // two sums, to shorten the chain of dependent adds
	k := 0
	for ; k+1 < len(in); k += 2 {
		a += c.pi[s^(1<<k)] * in[k]
		b += c.pi[s^(2<<k)] * in[k+1]
	}
	if k < len(in) {
		a += c.pi[s^(1<<k)] * in[k]
	}
	return a + b
}

// sweep performs one sweep of successive over-relaxation in increasing
// state order, so that the arrivals into a state use this sweep's values
// and the completions the last sweep's: each π(s) moves by omega times
// the Gauss–Seidel step to inflow(s)/q(s). It returns the sweep's change
// in flow, Σ_s |Δπ(s)|·q(s), relative to the total flow Σ_s π(s)·q(s).
func (c *chain) sweep(omega float64) float64 {
	change, flow := 0.0, 0.0
	for s, old := range c.pi {
		p := old + omega*(c.inflow(s)/c.out[s]-old)
		change += math.Abs(p-old) * c.out[s]
		flow += p * c.out[s]
		c.pi[s] = p
	}
	if flow == 0 {
		return math.Inf(1)
	}
	return change / flow
}

// aggregate rescales the estimate so that the probabilities of the
// levels (the number of busy servers) are those of the birth–death chain
// the levels form: up at rate λ from every level below N, down from
// level k at the mean service rate of the level's busy servers under the
// current estimate. This is one step of iterative aggregation–
// disaggregation (Takahashi 1975; Stewart 1994). With equal service
// rates the down rate is exactly kμ, so the levels take their exact
// Erlang distribution at once and the sweeps only have to settle the
// distribution within each level. It also renormalises the estimate.
func (c *chain) aggregate(w *levelWork) {
	mass, dep, target := w.mass, w.dep, w.target
	clear(mass)
	clear(dep)
	for s, p := range c.pi {
		k := c.level[s]
		mass[k] += p
		dep[k] += p * c.dep[s]
	}
	// Level probabilities in logarithms: λ over a down rate may be huge
	// or tiny. A level whose mass underflowed takes the down rate k·μ̄.
	meanMu := c.dep[c.full] / float64(c.n)
	target[0] = 0
	hi := 0.0
	for k := 1; k <= c.n; k++ {
		down := float64(k) * meanMu
		if mass[k] > 0 && dep[k] > 0 {
			down = dep[k] / mass[k]
		}
		target[k] = target[k-1] + math.Log(c.lambda) - math.Log(down)
		hi = max(hi, target[k])
	}
	sum := 0.0
	for k := range target {
		target[k] = math.Exp(target[k] - hi)
		sum += target[k]
	}
	scale := dep // dep is no longer needed
	for k := range target {
		scale[k] = 0
		if mass[k] > 0 {
			scale[k] = target[k] / sum / mass[k]
		}
	}
	for s := range c.pi {
		c.pi[s] *= scale[c.level[s]]
	}
}

// levelWork is aggregate's scratch space, one entry per level.
type levelWork struct {
	mass, dep, target []float64
}

// residual returns ‖πG‖₁ / Σ_s π(s)·q(s), the balance equations' relative
// residual.
func (c *chain) residual() float64 {
	res, flow := 0.0, 0.0
	for s, p := range c.pi {
		f := p * c.out[s]
		res += math.Abs(c.inflow(s) - f)
		flow += f
	}
	if flow == 0 {
		return math.Inf(1)
	}
	return res / flow
}

// solve iterates to ExactTolerance and returns the number of sweeps.
//
// The first sweeps are Gauss–Seidel's (omega = 1). From the rate r at
// which they shrink the change, the relaxation factor is then set by
// Young's formula ω = 2/(1+√(1−r)), optimal for consistently ordered
// systems (Young 1971) and a good guess here: for
// 15 servers it cut the sweeps from 100–200 to 40–80 when measured. Should the
// change grow a thousandfold over its smallest value, the sweeps fall back
// to Gauss–Seidel. The residual, which costs as much as a sweep, is
// computed only once a sweep changes the flows by no more than the
// tolerance.
func (c *chain) solve(ctx context.Context) (int, error) {
	const (
		probe   = 8    // Gauss–Seidel sweeps before choosing ω
		maxOmeg = 1.9  // a cap on ω, short of the divergence at 2
		diverge = 1000 // growth of the change that abandons ω > 1
	)
	w := &levelWork{
		mass:   make([]float64, c.n+1),
		dep:    make([]float64, c.n+1),
		target: make([]float64, c.n+1),
	}
	omega := 1.0
	least := math.Inf(1)
	var early [probe + 1]float64
	for it := 1; it <= maxSweeps; it++ {
		if err := ctx.Err(); err != nil {
			return it, err
		}
		change := c.sweep(omega)
		c.aggregate(w)
		if math.IsNaN(change) {
			break
		}
		if change <= ExactTolerance && c.residual() <= ExactTolerance {
			return it, nil
		}
		least = min(least, change)
		switch {
		case it <= probe:
			early[it] = change
			if it == probe {
				if r := math.Pow(early[probe]/early[probe/2], 2.0/probe); r < 1 {
					omega = min(maxOmeg, 2/(1+math.Sqrt(1-r)))
				}
			}
		case omega > 1 && change > diverge*least:
			omega = 1
		}
	}
	return maxSweeps, fmt.Errorf("%w: exact model, %d sweeps, residual %g", ErrNotConverged, maxSweeps, c.residual())
}

// result turns the solved chain into the model's performance measures.
func (c *chain) result(m *Model, sweeps int) *Result {
	r := newResult(m)
	r.Iterations = sweeps
	pi := c.pi
	sum := 0.0
	for _, p := range pi {
		sum += p
	}
	if m.Queue {
		// The full state and its queue: Σ_{q≥0} π(F)·r^q = π(F)/(1−r).
		rho := c.lambda / c.dep[c.full]
		pi[c.full] /= 1 - rho
		sum += pi[c.full] * rho
	}
	for s := range pi {
		pi[s] /= sum
	}
	r.AllBusy = pi[c.full]
	if m.Queue {
		// Mean queue length π(F,0)·r/(1−r)² with π(F,0) = AllBusy·(1−r),
		// and Little's law.
		rho := c.lambda / c.dep[c.full]
		r.MeanWait = r.AllBusy * rho / ((1 - rho) * c.lambda)
	}
	for s, p := range pi {
		for b := s; b != 0; b &= b - 1 {
			r.Workload[bits.TrailingZeros(uint(b))] += p
		}
	}
	for j, p := range m.Prefer {
		firstFree(p, func(s, k int) {
			r.Dispatch[k][j] += pi[s]
		})
	}
	if m.Queue {
		// A queued call goes to the first server to finish.
		for k, f := range r.Dispatch {
			share := r.AllBusy * c.mu[k] / c.dep[c.full]
			for j := range f {
				f[j] += share
			}
		}
	}
	normalise(m, r.Dispatch)
	r.finish(m)
	return r
}

// normalise scales each atom's dispatch fractions to add up to 1: in a
// loss system they are found as probabilities of the states that are not
// full, which add up to 1 − AllBusy. An atom whose fractions all
// underflowed (AllBusy rounds to 1) is given to its first preference.
func normalise(m *Model, f [][]float64) {
	for j, p := range m.Prefer {
		s := 0.0
		for _, row := range f {
			s += row[j]
		}
		if s > 0 && !math.IsInf(s, 1) {
			for _, row := range f {
				row[j] /= s
			}
			continue
		}
		for _, row := range f {
			row[j] = 0
		}
		f[p[0]][j] = 1
	}
}
