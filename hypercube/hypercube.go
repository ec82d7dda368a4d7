package hypercube

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// MaxExactServers is the largest number of servers Exact accepts: 2^15 =
// 32,768 states, a few megabytes and well under a second. Each further
// server doubles both.
const MaxExactServers = 15

// Convergence criteria, fixed so that results do not depend on a caller's
// choice. Both are far tighter than the data a planner feeds the model.
const (
	// ExactTolerance bounds the relative residual of the balance
	// equations at which Exact stops: ‖πG‖₁ / Σ_s π(s)·q(s) ≤
	// ExactTolerance, where G is the generator of the hypercube chain and
	// q(s) the total rate out of state s. The result's probabilities are
	// then correct to about this relative accuracy times the chain's
	// condition (in practice to 10 or more significant digits).
	ExactTolerance = 1e-12

	// ApproxTolerance is the largest change of any workload between two
	// successive iterations of Approx at which it stops (a fraction of
	// time; Larson used 0.001).
	ApproxTolerance = 1e-10
)

// Iteration limits: a model that has not converged by then is reported
// with ErrNotConverged rather than solved forever.
const (
	maxSweeps     = 200_000
	maxApproxIter = 100_000
)

var (
	// ErrInvalidModel is wrapped by every error Validate returns.
	ErrInvalidModel = errors.New("hypercube: invalid model")

	// ErrUnstable is returned (wrapped) for a queue model whose total
	// arrival rate is not below its total service rate: the queue would
	// grow without bound and has no steady state.
	ErrUnstable = errors.New("hypercube: unstable queue: arrival rate not below total service rate")

	// ErrTooManyServers is returned by Exact for more than
	// MaxExactServers servers; use Approx.
	ErrTooManyServers = errors.New("hypercube: too many servers for the exact model")

	// ErrHeterogeneous is returned by Approx for a model with per-server
	// service rates, which Larson's approximation does not cover.
	ErrHeterogeneous = errors.New("hypercube: the approximation needs one service rate for all servers")

	// ErrNotConverged is returned when an iterative solution has not met
	// its tolerance within its iteration limit.
	ErrNotConverged = errors.New("hypercube: iteration did not converge")
)

// Model is a hypercube queueing model: N distinguishable servers, J atoms
// each a Poisson source of calls, exponential service, and a fixed
// preference list per atom. Rates are per unit of time and travel times
// in any unit, both of the caller's choosing (for example calls per hour
// and minutes); results carry the same units. A Model is read-only to the
// solvers, which may run on one Model concurrently.
type Model struct {
	// Servers is N, the number of servers (response units), at least 1.
	Servers int
	// Atoms is J, the number of atoms (demand points), at least 1.
	Atoms int

	// Rate holds λ_j, the mean arrival rate of calls from atom j, in calls
	// per unit time: finite and ≥ 0, len Atoms. Atoms with rate 0 are
	// allowed; their dispatch fractions and response times are those a
	// call would meet if one arose.
	Rate []float64

	// Service is μ, the service rate of every server, in completions per
	// unit time (the mean service time, from dispatch to being free again,
	// is 1/μ): finite and > 0. Ignored when ServiceRates is set.
	Service float64

	// ServiceRates, if not nil, holds μ_n per server (len Servers, each
	// finite and > 0) in place of Service. Only Exact solves such a
	// model; a call waiting in the queue goes to server n with
	// probability μ_n / Σμ, the chance that n is the first to finish.
	ServiceRates []float64

	// Prefer[j] lists the servers in atom j's order of preference, most
	// preferred first: a permutation of 0..Servers-1 (len Atoms). A call
	// goes to the first free server on its atom's list.
	// PreferenceByTravel builds nearest-first lists.
	Prefer [][]int

	// Travel[n*Atoms+j] is the mean travel time from server n's home to
	// atom j, finite and ≥ 0, in any time unit; nil if no response times
	// are wanted. Servers are assumed to start every journey from home,
	// queued calls included.
	Travel []float64

	// Queue selects infinite line capacity: calls that find every server
	// busy wait in one first-come first-served queue for the next server
	// to finish. Otherwise the model is a loss system: such calls are lost
	// (passed to mutual aid) and never return.
	Queue bool
}

// Result holds the steady-state performance of a Model. Fractions are in
// [0, 1]; times are in the units of Model.Travel (travel) or 1/rate (wait).
type Result struct {
	// Workload[n] is ρ_n, the fraction of time server n is busy.
	Workload []float64 `json:"workload"`

	// Share[n] is the fraction of the served calls that server n serves
	// (lost calls excluded); the shares add up to 1. All zero when no
	// calls arrive.
	Share []float64 `json:"share"`

	// Dispatch[n][j] is the fraction of atom j's served calls that server
	// n serves; for each atom the fractions add up to 1. Queued calls are
	// included, shared among the servers in proportion to their service
	// rates. Because Poisson arrivals see time averages, every atom loses
	// (or queues) the same fraction of its calls, AllBusy.
	Dispatch [][]float64 `json:"dispatch"`

	// AllBusy is the probability that all servers are busy: in a loss
	// system the fraction of calls lost (Erlang's B formula for equal
	// service rates); with a queue the probability that a call waits
	// (Erlang's C formula).
	AllBusy float64 `json:"all_busy"`

	// Response[j] is the mean travel time to a served call from atom j,
	// Σ_n Dispatch[n][j]·Travel[n*Atoms+j]; nil if the model has no
	// Travel. Time waiting in the queue is not included (see MeanWait).
	Response []float64 `json:"response"`

	// MeanResponse is the mean travel time over all served calls, the
	// Response of each atom weighted by its rate (0 when no calls arrive
	// or the model has no Travel).
	MeanResponse float64 `json:"mean_response"`

	// MeanWait is the mean time a call waits in the queue before a server
	// is assigned, in units of 1/rate, averaged over all calls (those that
	// do not wait count as 0); 0 for a loss system.
	MeanWait float64 `json:"mean_wait"`

	// Iterations is the number of iterations the solver used: sweeps of
	// the balance equations for Exact, fixed-point steps for Approx.
	Iterations int `json:"iterations"`
}

// Validate reports whether m is a well-formed model: sizes that agree,
// finite non-negative rates and travel times, positive service rates,
// permutations for preference lists, and, for a queue, total arrival
// rate below total service rate. Errors wrap ErrInvalidModel, or
// ErrUnstable for an unstable queue.
func (m *Model) Validate() error {
	if m == nil {
		return fmt.Errorf("%w: nil model", ErrInvalidModel)
	}
	if m.Servers < 1 {
		return fmt.Errorf("%w: Servers = %d, want at least 1", ErrInvalidModel, m.Servers)
	}
	if m.Atoms < 1 {
		return fmt.Errorf("%w: Atoms = %d, want at least 1", ErrInvalidModel, m.Atoms)
	}
	if len(m.Rate) != m.Atoms {
		return fmt.Errorf("%w: len(Rate) = %d, want Atoms = %d", ErrInvalidModel, len(m.Rate), m.Atoms)
	}
	total := 0.0
	for j, r := range m.Rate {
		if !(r >= 0) || math.IsInf(r, 1) {
			return fmt.Errorf("%w: Rate[%d] = %v, want finite and ≥ 0", ErrInvalidModel, j, r)
		}
		total += r
	}
	if math.IsInf(total, 1) {
		return fmt.Errorf("%w: total arrival rate overflows", ErrInvalidModel)
	}
	var mu float64 // total service rate
	if m.ServiceRates != nil {
		if len(m.ServiceRates) != m.Servers {
			return fmt.Errorf("%w: len(ServiceRates) = %d, want Servers = %d", ErrInvalidModel, len(m.ServiceRates), m.Servers)
		}
		for n, s := range m.ServiceRates {
			if !(s > 0) || math.IsInf(s, 1) {
				return fmt.Errorf("%w: ServiceRates[%d] = %v, want finite and > 0", ErrInvalidModel, n, s)
			}
			mu += s
		}
	} else {
		if !(m.Service > 0) || math.IsInf(m.Service, 1) {
			return fmt.Errorf("%w: Service = %v, want finite and > 0", ErrInvalidModel, m.Service)
		}
		mu = m.Service * float64(m.Servers)
	}
	if math.IsInf(mu, 1) || math.IsInf(total+mu, 1) {
		return fmt.Errorf("%w: total service rate overflows, or with the arrival rate", ErrInvalidModel)
	}
	if a := total / mu; math.IsInf(a, 1) || math.IsNaN(a) {
		return fmt.Errorf("%w: offered load (arrival rate / service rate) overflows", ErrInvalidModel)
	}
	if len(m.Prefer) != m.Atoms {
		return fmt.Errorf("%w: len(Prefer) = %d, want Atoms = %d", ErrInvalidModel, len(m.Prefer), m.Atoms)
	}
	for j, p := range m.Prefer {
		if len(p) != m.Servers {
			return fmt.Errorf("%w: len(Prefer[%d]) = %d, want Servers = %d", ErrInvalidModel, j, len(p), m.Servers)
		}
	}
	// seen[n] == j+1 marks server n as listed for atom j: one slice for
	// all atoms, never cleared.
	seen := make([]int, m.Servers)
	for j, p := range m.Prefer {
		for k, n := range p {
			if n < 0 || n >= m.Servers {
				return fmt.Errorf("%w: Prefer[%d][%d] = %d, want a server in [0, %d)", ErrInvalidModel, j, k, n, m.Servers)
			}
			if seen[n] == j+1 {
				return fmt.Errorf("%w: Prefer[%d] lists server %d twice", ErrInvalidModel, j, n)
			}
			seen[n] = j + 1
		}
	}
	if m.Travel != nil {
		if m.Atoms > math.MaxInt/m.Servers || len(m.Travel) != m.Servers*m.Atoms {
			return fmt.Errorf("%w: len(Travel) = %d, want Servers×Atoms = %d×%d", ErrInvalidModel, len(m.Travel), m.Servers, m.Atoms)
		}
		for i, t := range m.Travel {
			if !(t >= 0) || math.IsInf(t, 1) {
				return fmt.Errorf("%w: Travel[%d] (server %d, atom %d) = %v, want finite and ≥ 0", ErrInvalidModel, i, i/m.Atoms, i%m.Atoms, t)
			}
		}
	}
	if m.Queue && total >= mu {
		return fmt.Errorf("%w (arrival rate %v, service rate %v)", ErrUnstable, total, mu)
	}
	return nil
}

// PreferenceByTravel returns, for each of atoms atoms, the servers in
// order of travel time to it, nearest first, ties broken by the lower
// server index. travel[n*atoms+j] is the time from server n to atom j; a
// NaN time sorts after every number. It returns nil if servers or atoms is
// below 1 or len(travel) is not servers×atoms.
func PreferenceByTravel(servers, atoms int, travel []float64) [][]int {
	if servers < 1 || atoms < 1 || atoms > math.MaxInt/servers || len(travel) != servers*atoms {
		return nil
	}
	prefer := make([][]int, atoms)
	flat := make([]int, servers*atoms) // one allocation for all lists
	for j := range prefer {
		p := flat[j*servers : (j+1)*servers : (j+1)*servers]
		for n := range p {
			p[n] = n
		}
		slices.SortFunc(p, func(a, b int) int {
			ta, tb := travel[a*atoms+j], travel[b*atoms+j]
			if na, nb := math.IsNaN(ta), math.IsNaN(tb); na != nb {
				if na {
					return 1
				}
				return -1
			} else if !na {
				if c := cmp.Compare(ta, tb); c != 0 {
					return c
				}
			}
			return cmp.Compare(a, b)
		})
		prefer[j] = p
	}
	return prefer
}

// serviceRates returns μ_n for every server.
func (m *Model) serviceRates() []float64 {
	if m.ServiceRates != nil {
		return m.ServiceRates
	}
	mu := make([]float64, m.Servers)
	for n := range mu {
		mu[n] = m.Service
	}
	return mu
}

// totalRate returns λ = Σ_j λ_j.
func (m *Model) totalRate() float64 {
	total := 0.0
	for _, r := range m.Rate {
		total += r
	}
	return total
}

// newResult allocates a Result for m with its Dispatch rows in one block.
func newResult(m *Model) *Result {
	r := &Result{
		Workload: make([]float64, m.Servers),
		Share:    make([]float64, m.Servers),
		Dispatch: make([][]float64, m.Servers),
	}
	flat := make([]float64, m.Servers*m.Atoms)
	for n := range r.Dispatch {
		r.Dispatch[n] = flat[n*m.Atoms : (n+1)*m.Atoms : (n+1)*m.Atoms]
	}
	return r
}

// finish fills Share, Response and MeanResponse from Dispatch.
func (r *Result) finish(m *Model) {
	total := m.totalRate()
	if total > 0 {
		for n, f := range r.Dispatch {
			s := 0.0
			for j, x := range f {
				s += m.Rate[j] * x
			}
			r.Share[n] = s / total
		}
	}
	if m.Travel == nil {
		return
	}
	r.Response = make([]float64, m.Atoms)
	for n, f := range r.Dispatch {
		row := m.Travel[n*m.Atoms : (n+1)*m.Atoms]
		for j, x := range f {
			r.Response[j] += x * row[j]
		}
	}
	if total > 0 {
		s := 0.0
		for j, t := range r.Response {
			s += m.Rate[j] * t
		}
		r.MeanResponse = s / total
	}
}

// idle is the result when no calls arrive: every server is always free
// and a call, were one to arise, would go to its atom's first choice.
func idle(m *Model) *Result {
	r := newResult(m)
	for j, p := range m.Prefer {
		r.Dispatch[p[0]][j] = 1
	}
	r.finish(m)
	return r
}
