package hypercube_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/arv-project/arv/hypercube"
)

// TestTwoServersCrossed solves the four-state chain by hand. Two servers,
// two atoms with crossed preferences: atom 0 prefers server 0 then 1,
// atom 1 prefers 1 then 0; λ0 = 1, λ1 = 0.5, μ = 1, so λ = 1.5 and the
// offered load a = 1.5 Erlangs. States: 0 (both free), A (only server 0
// busy), B (only server 1 busy), 2 (both busy).
//
//	0 → A at λ0, 0 → B at λ1    (each atom's call to its own server)
//	A → 2 and B → 2 at λ        (any call to the one free server)
//	A → 0, B → 0 at μ; 2 → A, 2 → B at μ (completions)
//
// Loss system. Balance: λ·p0 = μ(pA + pB); (λ+μ)pA = λ0·p0 + μ·p2;
// (λ+μ)pB = λ1·p0 + μ·p2; 2μ·p2 = λ(pA + pB). The levels are Erlang's:
// p0 : pA+pB : p2 = 1 : a : a²/2 = 1 : 1.5 : 1.125, so p0 = 8/29,
// pA+pB = 12/29, p2 = 9/29. Subtracting the middle two equations,
// (λ+μ)(pA − pB) = (λ0 − λ1)p0, so pA − pB = (0.5/2.5)·8/29 = 1.6/29:
// pA = 6.8/29, pB = 5.2/29.
//
//	ρ0 = pA + p2 = 15.8/29, ρ1 = pB + p2 = 14.2/29, lost = p2 = 9/29.
//
// Atom 0's calls are served by server 0 in states 0 and B, by 1 in A,
// out of the 20/29 of calls served: f00 = 13.2/20 = 0.66, f10 = 0.34;
// atom 1's by 1 in 0 and A: f11 = 14.8/20 = 0.74, f01 = 0.26.
//
// Queue. Censoring the queue leaves the same chain with the full state's
// weight stretched by 1/(1−r), r = λ/(2μ) = 0.75: weights 8, 6.8, 5.2
// and 9/0.25 = 36, total 56. So the probability of waiting is 36/56 =
// 9/14 (Erlang C for 2 servers at 1.5 Erlangs: 4.5/7), ρ0 = (6.8+36)/56,
// ρ1 = (5.2+36)/56, the mean wait (9/14)/(2μ − λ) = 9/7. Half the queued
// calls go to each server: f00 = (8 + 5.2 + 18)/56 = 31.2/56, f10 =
// (6.8 + 18)/56, f11 = (8 + 6.8 + 18)/56, f01 = (5.2 + 18)/56.
//
// Travel times 1 (own atom) and 3 (the other) give the responses.
func TestTwoServersCrossed(t *testing.T) {
	m := &hypercube.Model{
		Servers: 2, Atoms: 2,
		Rate:    []float64{1, 0.5},
		Service: 1,
		Prefer:  [][]int{{0, 1}, {1, 0}},
		Travel:  []float64{1, 3, 3, 1},
	}
	type want struct {
		workload [2]float64
		allBusy  float64
		wait     float64
		f        [2][2]float64 // f[n][j]
	}
	loss := want{
		workload: [2]float64{15.8 / 29, 14.2 / 29},
		allBusy:  9.0 / 29,
		f:        [2][2]float64{{0.66, 0.26}, {0.34, 0.74}},
	}
	queue := want{
		workload: [2]float64{42.8 / 56, 41.2 / 56},
		allBusy:  9.0 / 14,
		wait:     9.0 / 7,
		f:        [2][2]float64{{31.2 / 56, 23.2 / 56}, {24.8 / 56, 32.8 / 56}},
	}
	for _, q := range []bool{false, true} {
		m.Queue = q
		w := loss
		if q {
			w = queue
		}
		res, err := hypercube.Exact(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		// The sweeps stop at a relative residual of 1e-12; allow a
		// hundred times that for the chain's conditioning and rounding.
		const tol = 1e-10
		for n := range 2 {
			if !near(res.Workload[n], w.workload[n], tol) {
				t.Errorf("queue=%v: Workload[%d] = %.15g, want %.15g", q, n, res.Workload[n], w.workload[n])
			}
			for j := range 2 {
				if !near(res.Dispatch[n][j], w.f[n][j], tol) {
					t.Errorf("queue=%v: Dispatch[%d][%d] = %.15g, want %.15g", q, n, j, res.Dispatch[n][j], w.f[n][j])
				}
			}
		}
		if !near(res.AllBusy, w.allBusy, tol) || !near(res.MeanWait, w.wait, tol) {
			t.Errorf("queue=%v: AllBusy %.15g, MeanWait %.15g, want %.15g, %.15g", q, res.AllBusy, res.MeanWait, w.allBusy, w.wait)
		}
		// Response: own server at 1, the other at 3.
		r0 := w.f[0][0]*1 + w.f[1][0]*3
		r1 := w.f[1][1]*1 + w.f[0][1]*3
		if !near(res.Response[0], r0, tol) || !near(res.Response[1], r1, tol) || !near(res.MeanResponse, (1*r0+0.5*r1)/1.5, tol) {
			t.Errorf("queue=%v: Response %v, MeanResponse %v, want [%v %v], %v", q, res.Response, res.MeanResponse, r0, r1, (r0+0.5*r1)/1.5)
		}
	}
}

// dense solves the hypercube chain of m by building its whole generator
// and solving πG = 0, Σπ = 1 by LU factorisation (gonum), an oracle
// independent of the sweeps. A queue is modelled explicitly, truncated
// at tail waiting calls: with r = λ/Σμ ≤ 0.8, the mass beyond 400 is
// r^400 < 1e-38, nothing. It returns the state probabilities (the 2^N
// hypercube states, then queue lengths 1..tail) and the solver's
// measures computed from them by definition.
func dense(t *testing.T, m *hypercube.Model) (workload []float64, allBusy, wait float64, f [][]float64) {
	t.Helper()
	n := m.Servers
	size := 1 << n
	full := size - 1
	tail := 0
	if m.Queue {
		tail = 400
	}
	states := size + tail
	mu := m.ServiceRates
	if mu == nil {
		mu = make([]float64, n)
		for i := range mu {
			mu[i] = m.Service
		}
	}
	lambda, muAll := 0.0, 0.0
	for _, r := range m.Rate {
		lambda += r
	}
	for _, x := range mu {
		muAll += x
	}
	first := func(j, s int) int { // atom j's first free server in s, -1 if none
		for _, k := range m.Prefer[j] {
			if s&(1<<k) == 0 {
				return k
			}
		}
		return -1
	}
	g := mat.NewDense(states, states, nil)
	add := func(from, to int, rate float64) {
		g.Set(from, to, g.At(from, to)+rate)
		g.Set(from, from, g.At(from, from)-rate)
	}
	for s := range size {
		for j, r := range m.Rate {
			if k := first(j, s); k >= 0 {
				add(s, s|1<<k, r)
			}
		}
		for k := range n {
			if s&(1<<k) != 0 {
				add(s, s&^(1<<k), mu[k])
			}
		}
	}
	for q := 0; q < tail; q++ { // queue length q → q+1 and back
		from := full
		if q > 0 {
			from = size + q - 1
		}
		add(from, size+q, lambda)
		add(size+q, from, muAll)
	}
	// πG = 0 is Gᵀπᵀ = 0; replace the last equation by Σπ = 1.
	a := mat.DenseCopyOf(g.T())
	b := mat.NewVecDense(states, nil)
	for s := range states {
		a.Set(states-1, s, 1)
	}
	b.SetVec(states-1, 1)
	var pi mat.VecDense
	if err := pi.SolveVec(a, b); err != nil {
		t.Fatalf("dense solve: %v", err)
	}
	workload = make([]float64, n)
	f = make([][]float64, n)
	for k := range f {
		f[k] = make([]float64, m.Atoms)
	}
	for s := range states {
		p := pi.AtVec(s)
		busy := s
		if s >= size {
			busy = full
			wait += float64(s-size+1) * p / lambda // Little's law
		}
		for k := range n {
			if busy&(1<<k) != 0 {
				workload[k] += p
			}
		}
		if busy == full {
			allBusy += p
		}
		for j := range m.Atoms {
			if k := first(j, busy); k >= 0 {
				f[k][j] += p
			} else if m.Queue {
				for k := range n {
					f[k][j] += p * mu[k] / muAll
				}
			}
		}
	}
	for j := range m.Atoms {
		s := 0.0
		for k := range n {
			s += f[k][j]
		}
		for k := range n {
			f[k][j] /= s
		}
	}
	return workload, allBusy, wait, f
}

// TestExactMatchesDenseSolve compares Exact with the dense oracle on
// random models of 1 to 6 servers, with equal and with per-server service
// rates, loss and queue, loads from 0.05 to 0.8 per server (1.5 for loss
// systems too).
func TestExactMatchesDenseSolve(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2, 7))
	for i := range 60 {
		n := 1 + i%6
		queue := i%2 == 1
		hetero := i%4 >= 2
		loads := []float64{0.05, 0.3, 0.8, 1.5}
		load := loads[r.IntN(len(loads))]
		if queue {
			load = min(load, 0.8)
		}
		m := scatter(r, n, 1+r.IntN(8), load, queue, hetero)
		res, err := hypercube.Exact(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		workload, allBusy, wait, f := dense(t, m)
		// The sweeps' relative residual of 1e-12 bounds the error to a
		// few 1e-12 here; LU adds rounding of order 1e-14.
		const tol = 1e-9
		for k := range n {
			if !near(res.Workload[k], workload[k], tol) {
				t.Errorf("model %d (n=%d queue=%v hetero=%v): Workload[%d] = %.12g, dense %.12g", i, n, queue, hetero, k, res.Workload[k], workload[k])
			}
			for j := range m.Atoms {
				if !near(res.Dispatch[k][j], f[k][j], tol) {
					t.Errorf("model %d: Dispatch[%d][%d] = %.12g, dense %.12g", i, k, j, res.Dispatch[k][j], f[k][j])
				}
			}
		}
		if !near(res.AllBusy, allBusy, tol) || !near(res.MeanWait, wait, tol) {
			t.Errorf("model %d: AllBusy %.12g, MeanWait %.12g; dense %.12g, %.12g", i, res.AllBusy, res.MeanWait, allBusy, wait)
		}
	}
}

// checkAggregates checks what must hold of any hypercube solution with
// equal service rates: the number of busy servers is the birth–death
// M/M/N process whatever the preferences, so the total workload is a·(1−B)
// (loss) or a (queue), AllBusy is Erlang's B or C formula and the mean
// wait C/(Nμ−λ); shares and each atom's dispatch fractions add up to 1.
// tol applies to the exact identities, flowTol to server n's flow balance
// μ·ρ_n = λ·(1−B)·Share_n (served calls), which the approximation
// satisfies only approximately.
func checkAggregates(t *testing.T, name string, m *hypercube.Model, res *hypercube.Result, tol, flowTol float64) {
	t.Helper()
	lambda := 0.0
	for _, r := range m.Rate {
		lambda += r
	}
	n := m.Servers
	a := lambda / m.Service
	busy, allBusy, wait := a*(1-erlangB(n, a)), erlangB(n, a), 0.0
	if m.Queue {
		allBusy = erlangC(n, a)
		busy, wait = a, allBusy/(float64(n)*m.Service-lambda)
	}
	total, shares := 0.0, 0.0
	for k, w := range res.Workload {
		if !(w >= 0 && w <= 1) {
			t.Errorf("%s: Workload[%d] = %v, outside [0, 1]", name, k, w)
		}
		total += w
		shares += res.Share[k]
		served := lambda * res.Share[k] / m.Service
		if !m.Queue {
			served *= 1 - allBusy
		}
		if !near(w, served, flowTol) {
			t.Errorf("%s: Workload[%d] = %.12g, but its share of calls keeps it busy %.12g", name, k, w, served)
		}
	}
	if !near(total, busy, tol) {
		t.Errorf("%s: total workload %.12g, want M/M/N %.12g", name, total, busy)
	}
	if !near(res.AllBusy, allBusy, tol) || !near(res.MeanWait, wait, tol) {
		t.Errorf("%s: AllBusy %.12g, MeanWait %.12g, want %.12g, %.12g", name, res.AllBusy, res.MeanWait, allBusy, wait)
	}
	if !near(shares, 1, tol) {
		t.Errorf("%s: shares add up to %.12g", name, shares)
	}
	for j := range m.Atoms {
		s := 0.0
		for k := range n {
			s += res.Dispatch[k][j]
		}
		if !near(s, 1, tol) {
			t.Errorf("%s: atom %d's dispatch fractions add up to %.12g", name, j, s)
		}
	}
}

// TestExactAggregates checks the M/M/N identities on random models of 1
// to 12 servers. The level probabilities are projected onto the
// birth–death chain's after every sweep (package doc), so the totals are
// close by construction; the per-server flow balance is not.
func TestExactAggregates(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 48 {
		n := 1 + i%12
		queue := i%2 == 1
		load := 0.05 + 0.9*r.Float64()
		m := scatter(r, n, 1+r.IntN(30), load, queue, false)
		res, err := hypercube.Exact(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		checkAggregates(t, "Exact", m, res, 1e-9, 1e-9)
	}
}

// TestExactHeterogeneousFlow checks server flow balance with per-server
// service rates, μ_n·ρ_n = λ·(1−B)·Share_n, against the dense oracle's
// fraction lost.
func TestExactHeterogeneousFlow(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for i := range 20 {
		n := 2 + i%9
		m := scatter(r, n, 5+r.IntN(20), 0.1+0.8*r.Float64(), i%2 == 0, true)
		res, err := hypercube.Exact(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		lambda := 0.0
		for _, x := range m.Rate {
			lambda += x
		}
		served := lambda
		if !m.Queue {
			served *= 1 - res.AllBusy
		}
		for k := range n {
			if got, want := m.ServiceRates[k]*res.Workload[k], served*res.Share[k]; !near(got, want, 1e-9) {
				t.Errorf("model %d server %d: μρ = %.12g, served rate %.12g", i, k, got, want)
			}
		}
	}
}

// TestExactFifteen solves the largest model Exact takes and checks its
// aggregates.
func TestExactFifteen(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("solves 32,768 states")
	}
	r := rand.New(rand.NewPCG(5, 5))
	m := spread(r, hypercube.MaxExactServers, 50, 0.6, true)
	res, err := hypercube.Exact(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "Exact15", m, res, 1e-9, 1e-9)
	if math.IsNaN(res.MeanResponse) || res.MeanResponse <= 0 {
		t.Fatalf("MeanResponse = %v", res.MeanResponse)
	}
}
