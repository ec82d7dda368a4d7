package hypercube

import "math"

// logFactorials returns log k! for k = 0..n.
func logFactorials(n int) []float64 {
	lf := make([]float64, n+1)
	for k := 2; k <= n; k++ {
		lf[k] = lf[k-1] + math.Log(float64(k))
	}
	return lf
}

// logLevels returns the logarithms of the steady-state distribution of
// the number of busy servers in the M/M/N birth–death system with
// offered load a = λ/μ Erlangs: log P[k] for k = 0..N. For a loss system
// P[N] is Erlang's B formula; for a queue P[N] is the probability that
// all N servers are busy, whatever the queue length, Erlang's C formula,
// and a < N. The terms a^k/k! overflow for a few hundred servers, so they
// are summed in logarithms; lf holds log k! for k = 0..N.
func logLevels(n int, a float64, queue bool, lf []float64) []float64 {
	lp := make([]float64, n+1)
	if a == 0 {
		for k := 1; k <= n; k++ {
			lp[k] = math.Inf(-1)
		}
		return lp
	}
	la := math.Log(a)
	hi := math.Inf(-1)
	for k := range lp {
		lp[k] = float64(k)*la - lf[k]
		if queue && k == n {
			lp[k] -= math.Log1p(-a / float64(n)) // the geometric tail Σ_{i≥0} (a/N)^i
		}
		hi = max(hi, lp[k])
	}
	sum := 0.0
	for _, x := range lp {
		sum += math.Exp(x - hi)
	}
	norm := hi + math.Log(sum)
	for k := range lp {
		lp[k] -= norm
	}
	return lp
}

// levels returns the distribution logLevels describes, as probabilities.
func levels(n int, a float64, queue bool, lf []float64) []float64 {
	p := logLevels(n, a, queue, lf)
	for k, x := range p {
		p[k] = math.Exp(x)
	}
	return p
}

// logSumExp returns log Σ exp(x_i) without overflow; −Inf for no terms.
func logSumExp(x []float64) float64 {
	hi := math.Inf(-1)
	for _, v := range x {
		hi = max(hi, v)
	}
	if math.IsInf(hi, 0) {
		return hi
	}
	sum := 0.0
	for _, v := range x {
		sum += math.Exp(v - hi)
	}
	return hi + math.Log(sum)
}
