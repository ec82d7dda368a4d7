package hypercube_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/arv-project/arv/hypercube"
)

// erlangB returns Erlang's B formula, the probability that all n servers
// of an M/M/n/n system with offered load a Erlangs are busy, by the
// standard recursion B(k) = a·B(k−1)/(k + a·B(k−1)), B(0) = 1.
func erlangB(n int, a float64) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// erlangC returns Erlang's C formula, the probability that a call waits
// in an M/M/n queue with offered load a < n Erlangs: n·B / (n − a·(1−B)).
func erlangC(n int, a float64) float64 {
	b := erlangB(n, a)
	return float64(n) * b / (float64(n) - a*(1-b))
}

// spread returns a random model on the unit square in the shape of a
// county: atoms at the centres of the cells of a near-square grid (the
// last row may be short), each with a rate drawn from [0.5, 1.5) and
// scaled so that the offered load per server is load; n servers, one in
// each cell of another near-square grid at a uniform position within it,
// as a force sites its bases to cover the area; travel is the right-angle
// distance. Service rate 1.
func spread(r *rand.Rand, n, atoms int, load float64, queue bool) *hypercube.Model {
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	rows := (n + cols - 1) / cols
	sx, sy := make([]float64, n), make([]float64, n)
	for i := range n {
		sx[i] = (float64(i%cols) + r.Float64()) / float64(cols)
		sy[i] = (float64(i/cols) + r.Float64()) / float64(rows)
	}
	acols := int(math.Ceil(math.Sqrt(float64(atoms))))
	arows := (atoms + acols - 1) / acols
	travel := make([]float64, n*atoms)
	rate := make([]float64, atoms)
	total := 0.0
	for a := range atoms {
		x := (float64(a%acols) + 0.5) / float64(acols)
		y := (float64(a/acols) + 0.5) / float64(arows)
		for i := range n {
			travel[i*atoms+a] = math.Abs(x-sx[i]) + math.Abs(y-sy[i])
		}
		rate[a] = 0.5 + r.Float64()
		total += rate[a]
	}
	for a := range rate {
		rate[a] *= load * float64(n) / total
	}
	return &hypercube.Model{
		Servers: n, Atoms: atoms, Rate: rate, Service: 1,
		Prefer: hypercube.PreferenceByTravel(n, atoms, travel), Travel: travel, Queue: queue,
	}
}

// scatter returns a random model with servers and atoms at uniform
// positions in the unit square (so two servers may stand side by side),
// Euclidean travel, rates from [0, 1) scaled to offered load load per
// server, and a service rate drawn from [0.5, 2.5) so that the time unit
// is not always the service time. If hetero, each server gets its own
// rate from [0.2, 2.2) instead.
func scatter(r *rand.Rand, n, j int, load float64, queue, hetero bool) *hypercube.Model {
	sx, sy := make([]float64, n), make([]float64, n)
	for i := range n {
		sx[i], sy[i] = r.Float64(), r.Float64()
	}
	travel := make([]float64, n*j)
	rate := make([]float64, j)
	total := 0.0
	for a := range j {
		x, y := r.Float64(), r.Float64()
		for i := range n {
			travel[i*j+a] = math.Hypot(x-sx[i], y-sy[i])
		}
		rate[a] = r.Float64()
		total += rate[a]
	}
	m := &hypercube.Model{
		Servers: n, Atoms: j, Rate: rate, Service: 0.5 + 2*r.Float64(),
		Prefer: hypercube.PreferenceByTravel(n, j, travel), Travel: travel, Queue: queue,
	}
	mu := m.Service * float64(n)
	if hetero {
		m.Service = 0
		m.ServiceRates = make([]float64, n)
		mu = 0
		for i := range n {
			m.ServiceRates[i] = 0.2 + 2*r.Float64()
			mu += m.ServiceRates[i]
		}
	}
	for a := range rate {
		rate[a] *= load * mu / total
	}
	return m
}

// near reports whether got is within tol of want, absolutely or
// relatively, whichever is looser.
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*max(1, math.Abs(want))
}

// validModel is a small valid model that the cases of TestValidate
// break one field at a time.
func validModel() *hypercube.Model {
	return &hypercube.Model{
		Servers: 2,
		Atoms:   3,
		Rate:    []float64{1, 0.5, 0},
		Service: 2,
		Prefer:  [][]int{{0, 1}, {1, 0}, {0, 1}},
		Travel:  []float64{1, 2, 3, 4, 5, 6},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(m *hypercube.Model)
		want   error // nil: valid
	}{
		{"OK", func(m *hypercube.Model) {}, nil},
		{"OKQueue", func(m *hypercube.Model) { m.Queue = true }, nil},
		{"OKNoTravel", func(m *hypercube.Model) { m.Travel = nil }, nil},
		{"OKZeroRates", func(m *hypercube.Model) { m.Rate = []float64{0, 0, 0} }, nil},
		{"OKServiceRates", func(m *hypercube.Model) { m.Service = 0; m.ServiceRates = []float64{1, 3} }, nil},
		{"ErrNoServers", func(m *hypercube.Model) { m.Servers = 0 }, hypercube.ErrInvalidModel},
		{"ErrNegativeServers", func(m *hypercube.Model) { m.Servers = -1 }, hypercube.ErrInvalidModel},
		{"ErrNoAtoms", func(m *hypercube.Model) { m.Atoms = 0 }, hypercube.ErrInvalidModel},
		{"ErrRateLength", func(m *hypercube.Model) { m.Rate = m.Rate[:2] }, hypercube.ErrInvalidModel},
		{"ErrNegativeRate", func(m *hypercube.Model) { m.Rate[1] = -1 }, hypercube.ErrInvalidModel},
		{"ErrNaNRate", func(m *hypercube.Model) { m.Rate[1] = math.NaN() }, hypercube.ErrInvalidModel},
		{"ErrInfRate", func(m *hypercube.Model) { m.Rate[1] = math.Inf(1) }, hypercube.ErrInvalidModel},
		{"ErrRateOverflow", func(m *hypercube.Model) { m.Rate = []float64{math.MaxFloat64, math.MaxFloat64, 0} }, hypercube.ErrInvalidModel},
		{"ErrFlowOverflow", func(m *hypercube.Model) { m.Rate[0] = 1.5e308; m.Service = 0.8e308 }, hypercube.ErrInvalidModel},
		{"ErrLoadOverflow", func(m *hypercube.Model) { m.Rate[0] = 1e300; m.Service = 1e-300 }, hypercube.ErrInvalidModel},
		{"ErrZeroService", func(m *hypercube.Model) { m.Service = 0 }, hypercube.ErrInvalidModel},
		{"ErrNegativeService", func(m *hypercube.Model) { m.Service = -2 }, hypercube.ErrInvalidModel},
		{"ErrNaNService", func(m *hypercube.Model) { m.Service = math.NaN() }, hypercube.ErrInvalidModel},
		{"ErrInfService", func(m *hypercube.Model) { m.Service = math.Inf(1) }, hypercube.ErrInvalidModel},
		{"ErrServiceRatesLength", func(m *hypercube.Model) { m.ServiceRates = []float64{1} }, hypercube.ErrInvalidModel},
		{"ErrServiceRatesZero", func(m *hypercube.Model) { m.ServiceRates = []float64{1, 0} }, hypercube.ErrInvalidModel},
		{"ErrPreferLength", func(m *hypercube.Model) { m.Prefer = m.Prefer[:2] }, hypercube.ErrInvalidModel},
		{"ErrPreferRowShort", func(m *hypercube.Model) { m.Prefer[1] = []int{1} }, hypercube.ErrInvalidModel},
		{"ErrPreferRowLong", func(m *hypercube.Model) { m.Prefer[1] = []int{1, 0, 1} }, hypercube.ErrInvalidModel},
		{"ErrPreferDuplicate", func(m *hypercube.Model) { m.Prefer[2] = []int{1, 1} }, hypercube.ErrInvalidModel},
		{"ErrPreferOutOfRange", func(m *hypercube.Model) { m.Prefer[0] = []int{0, 2} }, hypercube.ErrInvalidModel},
		{"ErrPreferNegative", func(m *hypercube.Model) { m.Prefer[0] = []int{-1, 0} }, hypercube.ErrInvalidModel},
		{"ErrTravelLength", func(m *hypercube.Model) { m.Travel = m.Travel[:5] }, hypercube.ErrInvalidModel},
		{"ErrTravelEmpty", func(m *hypercube.Model) { m.Travel = []float64{} }, hypercube.ErrInvalidModel},
		{"ErrTravelNegative", func(m *hypercube.Model) { m.Travel[4] = -1 }, hypercube.ErrInvalidModel},
		{"ErrTravelNaN", func(m *hypercube.Model) { m.Travel[4] = math.NaN() }, hypercube.ErrInvalidModel},
		{"ErrTravelInf", func(m *hypercube.Model) { m.Travel[4] = math.Inf(1) }, hypercube.ErrInvalidModel},
		// Total arrival rate 1.5 against 2 servers × 0.5: saturated.
		{"ErrUnstable", func(m *hypercube.Model) { m.Queue = true; m.Service = 0.5 }, hypercube.ErrUnstable},
		// The same load without a queue is a valid loss system.
		{"OKLossAtSaturation", func(m *hypercube.Model) { m.Service = 0.5 }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := validModel()
			tc.modify(m)
			err := m.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			// Both solvers refuse the model with the same error.
			if _, err := hypercube.Exact(t.Context(), m); !errors.Is(err, tc.want) {
				t.Errorf("Exact: %v, want %v", err, tc.want)
			}
			if _, err := hypercube.Approx(t.Context(), m); !errors.Is(err, tc.want) {
				t.Errorf("Approx: %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("ErrNil", func(t *testing.T) {
		var m *hypercube.Model
		if err := m.Validate(); !errors.Is(err, hypercube.ErrInvalidModel) {
			t.Fatalf("Validate() = %v, want ErrInvalidModel", err)
		}
		if _, err := hypercube.Exact(t.Context(), nil); !errors.Is(err, hypercube.ErrInvalidModel) {
			t.Fatalf("Exact(nil) = %v, want ErrInvalidModel", err)
		}
		if _, err := hypercube.Approx(t.Context(), nil); !errors.Is(err, hypercube.ErrInvalidModel) {
			t.Fatalf("Approx(nil) = %v, want ErrInvalidModel", err)
		}
	})
}

func TestPreferenceByTravel(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name           string
		servers, atoms int
		travel         []float64 // travel[n*atoms+j]
		want           [][]int
	}{
		{"OneServer", 1, 2, []float64{5, 7}, [][]int{{0}, {0}}},
		{"Order", 3, 1, []float64{9, 1, 5}, [][]int{{1, 2, 0}}},
		{"TiesByIndex", 3, 1, []float64{2, 1, 2}, [][]int{{1, 0, 2}}},
		{"AllTied", 3, 1, []float64{4, 4, 4}, [][]int{{0, 1, 2}}},
		{"PerAtom", 2, 2, []float64{
			1, 8, // server 0 to atoms 0, 1
			3, 2, // server 1 to atoms 0, 1
		}, [][]int{{0, 1}, {1, 0}}},
		{"NaNLast", 3, 1, []float64{nan, 3, math.Inf(1)}, [][]int{{1, 2, 0}}},
		{"ErrLength", 2, 2, []float64{1, 2, 3}, nil},
		{"ErrNoServers", 0, 2, nil, nil},
		{"ErrNoAtoms", 2, 0, nil, nil},
		{"ErrNegative", -1, -2, []float64{1, 2}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := hypercube.PreferenceByTravel(tc.servers, tc.atoms, tc.travel)
			if !slices.EqualFunc(got, tc.want, slices.Equal[[]int]) || (got == nil) != (tc.want == nil) {
				t.Fatalf("PreferenceByTravel = %v, want %v", got, tc.want)
			}
		})
	}
}

// solvers are the two solution methods, for tests that hold for both.
var solvers = []struct {
	name  string
	solve func(context.Context, *hypercube.Model) (*hypercube.Result, error)
}{
	{"Exact", hypercube.Exact},
	{"Approx", hypercube.Approx},
}

// TestSingleServer checks both solvers against the closed forms for one
// server, where the hypercube is the M/M/1/1 loss system or the M/M/1
// queue whatever the atoms. With offered load a = λ/μ:
// loss, busy = a/(1+a) (Erlang B with one server), which is also the
// fraction of calls lost; queue, busy = ρ = a, the probability a call
// waits is ρ, and the mean wait is ρ/(μ−λ).
func TestSingleServer(t *testing.T) {
	for _, s := range solvers {
		for _, queue := range []bool{false, true} {
			for _, a := range []float64{0.01, 0.3, 0.9, 5} {
				if queue && a >= 1 {
					continue // unstable
				}
				mu := 4.0 // completions per hour: a 15-minute job
				m := &hypercube.Model{
					Servers: 1, Atoms: 3,
					Rate:    []float64{a * mu * 0.5, a * mu * 0.5, 0}, // the third atom has no calls
					Service: mu,
					Prefer:  [][]int{{0}, {0}, {0}},
					Travel:  []float64{2, 4, 6},
					Queue:   queue,
				}
				res, err := s.solve(t.Context(), m)
				if err != nil {
					t.Fatalf("%s queue=%v a=%v: %v", s.name, queue, a, err)
				}
				busy, wait := a/(1+a), 0.0
				if queue {
					busy, wait = a, a/(mu-a*mu)
				}
				const tol = 1e-12
				if !near(res.Workload[0], busy, tol) {
					t.Errorf("%s queue=%v a=%v: Workload = %v, want %v", s.name, queue, a, res.Workload[0], busy)
				}
				if !near(res.AllBusy, busy, tol) {
					t.Errorf("%s queue=%v a=%v: AllBusy = %v, want %v", s.name, queue, a, res.AllBusy, busy)
				}
				if !near(res.MeanWait, wait, tol) {
					t.Errorf("%s queue=%v a=%v: MeanWait = %v, want %v", s.name, queue, a, res.MeanWait, wait)
				}
				// Every call is the one server's, so the response is the
				// travel time itself and the mean weights atoms 0 and 1
				// equally: (2 + 4)/2.
				if res.Share[0] != 1 || res.Dispatch[0][2] != 1 || res.Response[2] != 6 || !near(res.MeanResponse, 3, tol) {
					t.Errorf("%s queue=%v a=%v: Share %v, Dispatch %v, Response %v, MeanResponse %v", s.name, queue, a, res.Share, res.Dispatch, res.Response, res.MeanResponse)
				}
			}
		}
	}
}

// TestZeroRates checks that a model with no calls is solved, not refused:
// every server idle, nothing lost, and each atom's would-be calls with
// its first preference.
func TestZeroRates(t *testing.T) {
	for _, s := range solvers {
		for _, queue := range []bool{false, true} {
			m := validModel()
			m.Rate = []float64{0, 0, 0}
			m.Queue = queue
			res, err := s.solve(t.Context(), m)
			if err != nil {
				t.Fatalf("%s queue=%v: %v", s.name, queue, err)
			}
			if res.Workload[0] != 0 || res.Workload[1] != 0 || res.AllBusy != 0 || res.MeanWait != 0 || res.MeanResponse != 0 {
				t.Errorf("%s queue=%v: %+v, want all zero", s.name, queue, res)
			}
			// Atoms 0 and 2 prefer server 0 (travel 1 and 3), atom 1
			// server 1 (travel 5).
			if got, want := res.Response, []float64{1, 5, 3}; !slices.Equal(got, want) {
				t.Errorf("%s queue=%v: Response = %v, want %v", s.name, queue, got, want)
			}
		}
	}
}

// countdown is a context that reports itself cancelled after its Err
// method has been called a given number of times, to stop a solver in
// the middle of its iterations deterministically.
type countdown struct {
	context.Context
	left int
}

func (c *countdown) Err() error {
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

func TestCancel(t *testing.T) {
	m := spread(rand.New(rand.NewPCG(1, 1)), 10, 36, 0.5, true)
	for _, s := range solvers {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.solve(ctx, m); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", s.name, err)
		}
		// Cancelled after the first iterations: both solvers need more
		// than 3 on this model (checked below), so they must stop with
		// the context's error.
		res, err := s.solve(t.Context(), m)
		if err != nil || res.Iterations <= 3 {
			t.Fatalf("%s: %v iterations, error %v; the test needs more than 3", s.name, res.Iterations, err)
		}
		if _, err := s.solve(&countdown{Context: t.Context(), left: 3}, m); !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled during iteration: %v, want context.Canceled", s.name, err)
		}
	}
}

func TestExactTooManyServers(t *testing.T) {
	n := hypercube.MaxExactServers + 1
	m := &hypercube.Model{Servers: n, Atoms: 1, Rate: []float64{1}, Service: 1, Prefer: [][]int{make([]int, n)}}
	for i := range n {
		m.Prefer[0][i] = i
	}
	if _, err := hypercube.Exact(t.Context(), m); !errors.Is(err, hypercube.ErrTooManyServers) {
		t.Fatalf("Exact with %d servers: %v, want ErrTooManyServers", n, err)
	}
	if _, err := hypercube.Approx(t.Context(), m); err != nil {
		t.Fatalf("Approx with %d servers: %v", n, err)
	}
}

func TestApproxHeterogeneous(t *testing.T) {
	m := validModel()
	m.ServiceRates = []float64{1, 3}
	if _, err := hypercube.Approx(t.Context(), m); !errors.Is(err, hypercube.ErrHeterogeneous) {
		t.Fatalf("Approx: %v, want ErrHeterogeneous", err)
	}
	// Equal per-server rates are one rate: accepted, and the same as
	// Service.
	m.ServiceRates = []float64{2, 2}
	got, err := hypercube.Approx(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	m.ServiceRates = nil
	want, err := hypercube.Approx(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Workload, want.Workload) {
		t.Fatalf("Workload = %v with ServiceRates, %v with Service", got.Workload, want.Workload)
	}
}

// TestConcurrent runs both solvers on one model from several goroutines:
// they must only read it (run under -race), and agree with a lone run.
func TestConcurrent(t *testing.T) {
	m := spread(rand.New(rand.NewPCG(10, 1)), 8, 30, 0.6, true)
	want := make([]*hypercube.Result, len(solvers))
	for i, s := range solvers {
		var err error
		if want[i], err = s.solve(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	const workers = 4
	errs := make(chan error, workers*len(solvers))
	for range workers {
		for i, s := range solvers {
			go func() {
				res, err := s.solve(t.Context(), m)
				if err == nil && !slices.Equal(res.Workload, want[i].Workload) {
					err = errors.New(s.name + ": a concurrent run differs")
				}
				errs <- err
			}()
		}
	}
	for range workers * len(solvers) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
