package hypercube_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arv-project/arv/hypercube"
)

// FuzzSolvers builds a small model from the fuzzer's numbers, arbitrary
// floats included (negative, zero, subnormal, huge, NaN, ±Inf), and
// sometimes breaks it (corrupt picks a field). Validate, Exact and Approx
// must not panic; a model they accept must give finite results in range.
func FuzzSolvers(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint8(4), 0.5, 1.0, 0.3, false, uint8(0))
	f.Add(uint64(2), uint8(1), uint8(1), 0.9, 4.0, 1.0, true, uint8(0))
	f.Add(uint64(3), uint8(6), uint8(2), 1e-300, 1e300, 0.0, false, uint8(0))
	f.Add(uint64(4), uint8(5), uint8(7), 1e6, 1e-6, 2.0, false, uint8(0))
	f.Add(uint64(5), uint8(4), uint8(3), 0.999999, 1.0, 0.0, true, uint8(0))
	f.Add(uint64(6), uint8(2), uint8(2), math.Inf(1), 1.0, 0.0, false, uint8(0))
	f.Add(uint64(7), uint8(3), uint8(3), 0.5, math.NaN(), -1.0, false, uint8(0))
	f.Add(uint64(8), uint8(3), uint8(3), 0.5, 1.0, 0.0, false, uint8(1))
	f.Add(uint64(9), uint8(3), uint8(3), 0.5, 1.0, 0.0, true, uint8(5))
	f.Fuzz(func(t *testing.T, seed uint64, n8, j8 uint8, load, service, spreadMu float64, queue bool, corrupt uint8) {
		r := rand.New(rand.NewPCG(seed, 0))
		n := int(n8%8) + 1 // up to 8 servers: 256 states, fast enough to fuzz
		j := int(j8%8) + 1
		m := &hypercube.Model{
			Servers: n, Atoms: j, Rate: make([]float64, j), Service: service,
			Travel: make([]float64, n*j), Queue: queue,
		}
		for a := range m.Rate {
			m.Rate[a] = load * r.Float64() * float64(n) * service / float64(j)
			if r.IntN(4) == 0 {
				m.Rate[a] = 0
			}
		}
		for i := range m.Travel {
			m.Travel[i] = 10 * r.Float64()
		}
		m.Prefer = hypercube.PreferenceByTravel(n, j, m.Travel)
		if spreadMu != 0 {
			m.ServiceRates = make([]float64, n)
			for i := range n {
				m.ServiceRates[i] = service * (1 + spreadMu*r.Float64())
			}
		}
		switch corrupt % 8 {
		case 1:
			m.Prefer[0][0] = m.Prefer[0][n-1] // a duplicate (a no-op for one server)
		case 2:
			m.Prefer[j-1] = m.Prefer[j-1][:n-1]
		case 3:
			m.Travel[0] = -load
		case 4:
			m.Rate = m.Rate[:j-1]
		case 5:
			m.Prefer[0][0] = n
		case 6:
			m.Servers, m.Atoms = 0, 0
		}
		verr := m.Validate()
		for _, s := range solvers {
			res, err := s.solve(t.Context(), m)
			if verr != nil {
				if err == nil {
					t.Fatalf("%s accepted a model Validate refuses (%v)", s.name, verr)
				}
				continue
			}
			if err != nil {
				if errors.Is(err, hypercube.ErrHeterogeneous) || errors.Is(err, hypercube.ErrNotConverged) {
					continue
				}
				t.Fatalf("%s: %v", s.name, err)
			}
			checkRanges(t, s.name, m, res)
		}
	})
}

// checkRanges checks that every output is finite and in its range.
func checkRanges(t *testing.T, name string, m *hypercube.Model, res *hypercube.Result) {
	t.Helper()
	// Sums of fractions may be off by rounding.
	const slack = 1e-9
	frac := func(what string, x float64) {
		if !(x >= -slack && x <= 1+slack) {
			t.Fatalf("%s: %s = %v, outside [0, 1]", name, what, x)
		}
	}
	frac("AllBusy", res.AllBusy)
	longest := 0.0 // responses are averages of travel times
	for _, x := range m.Travel {
		longest = max(longest, x)
	}
	longest *= 1 + slack
	for k := range m.Servers {
		frac("Workload", res.Workload[k])
		frac("Share", res.Share[k])
		for a := range m.Atoms {
			frac("Dispatch", res.Dispatch[k][a])
		}
	}
	for a := range m.Atoms {
		s := 0.0
		for k := range m.Servers {
			s += res.Dispatch[k][a]
		}
		if math.Abs(s-1) > slack {
			t.Fatalf("%s: atom %d's dispatch fractions add up to %v", name, a, s)
		}
		if x := res.Response[a]; math.IsNaN(x) || x < 0 || x > longest {
			t.Fatalf("%s: Response[%d] = %v, outside the travel times' [0, %v]", name, a, x, longest)
		}
	}
	if x := res.MeanWait; math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		t.Fatalf("%s: MeanWait = %v", name, x)
	}
	if x := res.MeanResponse; math.IsNaN(x) || x < 0 || x > longest {
		t.Fatalf("%s: MeanResponse = %v, outside [0, %v]", name, x, longest)
	}
}
