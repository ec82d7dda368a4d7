package hypercube

import (
	"context"
	"fmt"
	"math"
)

// underflow is the logarithm below which a term of the workload sums is
// dropped: exp(−746) is below the smallest float64.
const underflow = -746

// tiny is exp(underflow) in the linear domain, the smallest subnormal.
const tiny = 5e-324

// Approx solves m's hypercube model by Larson's (1975) approximation: N
// nonlinear equations in the workloads ρ_n, one per server, solved by
// fixed-point iteration until no workload changes by more than
// ApproxTolerance, with the total workload held at its exact M/M/N value.
// Its results are typically within 1–2% of Exact's (see the package
// documentation). The workloads are the fixed point and the dispatch
// fractions follow from them, so a server's workload and the load its
// share of calls implies agree only approximately, to a few hundredths.
//
// Approx returns m.Validate's error for an invalid model,
// ErrHeterogeneous if the servers' service rates differ, ErrNotConverged
// if the iteration fails to converge, and ctx's error if ctx is done
// first (checked once an iteration). An iteration costs O(N·J) time;
// memory is O(N·J) for the result.
func Approx(ctx context.Context, m *Model) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	mu := m.Service
	if m.ServiceRates != nil {
		mu = m.ServiceRates[0]
		for _, x := range m.ServiceRates {
			if x != mu {
				return nil, ErrHeterogeneous
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lambda := m.totalRate()
	n := m.Servers
	a := lambda / mu // offered load, Erlangs
	if a == 0 {
		return idle(m), nil
	}
	q := newCorrection(n, a, m.Queue)

	// Rates in units of μ, so that a server's workload is the rate at
	// which calls are assigned to it.
	w := make([]float64, m.Atoms)
	for j, r := range m.Rate {
		w[j] = r / mu
	}
	// Queued calls go to whichever server finishes first, 1/N of them to
	// each: D = λ·P(all busy)/(N·μ).
	d := 0.0
	if m.Queue {
		d = a * q.allBusy / float64(n)
	}
	total := q.rho * float64(n) // Σ_n ρ_n, exact for the hypercube

	rho := make([]float64, n)
	next := make([]float64, n)
	v := make([]float64, n)
	logRho := make([]float64, n)
	for i := range rho {
		rho[i] = q.rho
	}
	// The iteration is Jacobi's: every ρ_n is recomputed from the last
	// estimate, each atom's preference list walked once. Near saturation
	// the plain iteration can overshoot and oscillate, so a step that
	// fails to shrink the change halves the step length (to no less than
	// minStep); the stopping test is on the undamped change, the distance
	// from a fixed point, whatever the step.
	const minStep = 1.0 / 64
	step, prev := 1.0, math.Inf(1)
	it := 0
	for {
		it++
		if it > maxApproxIter {
			return nil, fmt.Errorf("%w: approximation, %d iterations, last change %g", ErrNotConverged, maxApproxIter, prev)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clear(v)
		if q.logs {
			for i, x := range rho {
				logRho[i] = math.Log(x)
			}
		}
		for j, p := range m.Prefer {
			if w[j] != 0 {
				q.accumulate(v, w[j], p, rho, logRho)
			}
		}
		// ρ_n = V_n·(1 − ρ_n) + D, solved for ρ_n.
		sum := 0.0
		for i, x := range v {
			if math.IsInf(x, 1) {
				next[i] = 1
			} else {
				next[i] = (x + d) / (1 + x)
			}
			sum += next[i]
		}
		change := 0.0
		for i := range next {
			if sum > 0 {
				next[i] = min(1, next[i]*total/sum)
			}
			change = max(change, math.Abs(next[i]-rho[i]))
		}
		if math.IsNaN(change) {
			return nil, fmt.Errorf("%w: approximation produced NaN", ErrNotConverged)
		}
		if change <= ApproxTolerance {
			copy(rho, next)
			break
		}
		if change >= prev {
			step = max(step/2, minStep)
		}
		prev = change
		for i := range rho {
			rho[i] += step * (next[i] - rho[i])
		}
	}

	r := newResult(m)
	r.Iterations = it
	copy(r.Workload, rho)
	r.AllBusy = q.allBusy
	if m.Queue {
		r.MeanWait = q.allBusy / (float64(n)*mu - lambda)
	}
	// Dispatch fractions from the same product form (Larson & Odoni,
	// problem 5.11), normalised per atom over the servers; queued calls
	// are spread evenly.
	if q.logs {
		for i, x := range rho {
			logRho[i] = math.Log(x)
		}
	}
	pk := make([]float64, n)
	for j, p := range m.Prefer {
		q.terms(pk, p, rho, logRho)
		s := 0.0
		for k, srv := range p {
			pk[k] *= 1 - rho[srv]
			s += pk[k]
		}
		immediate := 1.0
		if m.Queue {
			immediate = 1 - q.allBusy
		}
		for k, srv := range p {
			f := 0.0
			switch {
			case s > 0 && !math.IsInf(s, 1):
				f = pk[k] / s
			case k == 0:
				f = 1
			}
			r.Dispatch[srv][j] = immediate * f
			if m.Queue {
				r.Dispatch[srv][j] += q.allBusy / float64(n)
			}
		}
	}
	r.finish(m)
	return r, nil
}

// correction holds Larson's correction factors for N servers at offered
// load a and the aggregate M/M/N quantities they come from.
type correction struct {
	// logQ[j] is log Q(N, ρ, j), j = 0..N−1: the ratio of the probability
	// that j given servers are busy and a given other server is free, in
	// the M/M/N system whose servers are chosen at random, to ρ^j·(1−ρ),
	// the probability were servers busy independently.
	logQ []float64
	// sufMax[k] = max_{i≥k} logQ[i], for dropping terms that underflow.
	sufMax []float64
	// q[j] = Q(N, ρ, j) and sufMaxQ its suffix maxima, for the usual
	// case that no factor overflows a float64 (logs is false); the sums
	// then need no exponentials.
	q, sufMaxQ []float64
	logs       bool
	// rho is ρ, the mean workload per server: a/N with a queue,
	// a·(1−B)/N in a loss system.
	rho float64
	// allBusy is the probability that all servers are busy (Erlang's C
	// or B formula).
	allBusy float64
}

// newCorrection computes the correction factors (Larson & Odoni 1981,
// eq. 5.48; problem 5.10 for the loss system). In the M/M/N system with
// servers chosen at random, the P_k of k busy servers is spread evenly over
// the C(N, k) sets of k servers, so
//
//	Q(N, ρ, j)·ρ^j·(1−ρ) = Σ_{k=j}^{N−1} P_k·C(N−j−1, k−j)/C(N, k),
//
// the number of k-sets that hold the j given servers and not the other
// one over the number of k-sets. Everything is computed in logarithms: the
// factors reach e^N for light loads.
func newCorrection(n int, a float64, queue bool) *correction {
	lf := logFactorials(n)
	lp := logLevels(n, a, queue, lf)
	terms := make([]float64, 0, n+1)
	// log ρ = log(E[busy]/N), log(1−ρ) = log(E[idle]/N), each a sum over
	// the levels, so that neither loses precision when ρ is near 0 or 1.
	for k := 1; k <= n; k++ {
		terms = append(terms, lp[k]+math.Log(float64(k)))
	}
	logN := math.Log(float64(n))
	logRho := logSumExp(terms) - logN
	terms = terms[:0]
	for k := range n {
		terms = append(terms, lp[k]+math.Log(float64(n-k)))
	}
	log1mRho := logSumExp(terms) - logN

	c := &correction{
		logQ:    make([]float64, n),
		sufMax:  make([]float64, n),
		rho:     math.Exp(logRho),
		allBusy: math.Exp(lp[n]),
	}
	for j := range n {
		terms = terms[:0]
		for k := j; k < n; k++ {
			// log C(N−j−1, k−j) − log C(N, k)
			lc := lf[n-j-1] - lf[k-j] - lf[n-k-1] - lf[n] + lf[k] + lf[n-k]
			terms = append(terms, lp[k]+lc)
		}
		c.logQ[j] = logSumExp(terms) - float64(j)*logRho - log1mRho
	}
	c.sufMax[n-1] = c.logQ[n-1]
	for j := n - 2; j >= 0; j-- {
		c.sufMax[j] = max(c.logQ[j], c.sufMax[j+1])
	}
	// Q(N, ρ, j) grows like e^N at light loads: beyond about 700 servers
	// it may overflow, and the sums are taken in logarithms.
	c.logs = c.sufMax[0] > linearLimit
	if !c.logs {
		c.q = make([]float64, n)
		c.sufMaxQ = make([]float64, n)
		for j, x := range c.logQ {
			c.q[j] = math.Exp(x)
			c.sufMaxQ[j] = math.Exp(c.sufMax[j])
		}
	}
	return c
}

// linearLimit is the largest log Q for which the workload sums are taken
// as plain products: e^600 leaves a margin of e^100 below the largest
// float64 for the sums.
const linearLimit = 600

// terms sets pk[k] proportional to Q(N, ρ, k)·ρ_{m1}···ρ_mk for the
// servers m on preference list p, zero where it underflows.
func (c *correction) terms(pk []float64, p []int, rho, logRho []float64) {
	clear(pk)
	if !c.logs {
		prod := 1.0
		for k, s := range p {
			if prod*c.sufMaxQ[k] < tiny {
				break
			}
			pk[k] = prod * c.q[k]
			prod *= rho[s]
		}
		return
	}
	// In logarithms, then scaled by the largest term, which may exceed
	// the largest float64: the caller wants only the terms' proportions.
	l := 0.0
	hi := math.Inf(-1)
	for k, s := range p {
		pk[k] = c.logQ[k] + l
		hi = max(hi, pk[k])
		l += logRho[s]
	}
	for k, x := range pk {
		pk[k] = 0
		if x-hi >= underflow {
			pk[k] = math.Exp(x - hi)
		}
	}
}

// accumulate adds one atom's contributions to v: rate·Q(N, ρ, k)·ρ_{m1}
// ···ρ_mk to the server m(k+1) on its preference list p, for each k,
// stopping once the remaining terms are below the smallest float64.
// logRho holds log ρ_n when the sums are taken in logarithms.
func (c *correction) accumulate(v []float64, rate float64, p []int, rho, logRho []float64) {
	if !c.logs {
		prod := rate // rate·Π ρ over the servers before the k-th
		for k, s := range p {
			if prod*c.sufMaxQ[k] < tiny {
				break
			}
			v[s] += prod * c.q[k]
			prod *= rho[s]
		}
		return
	}
	l := math.Log(rate)
	for k, s := range p {
		if l+c.sufMax[k] < underflow {
			break
		}
		v[s] += math.Exp(c.logQ[k] + l)
		l += logRho[s]
	}
}
