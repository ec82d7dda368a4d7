package locate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ErrInvalid is wrapped by every error that reports a malformed Problem,
// Model or site list: errors.Is(err, ErrInvalid) tells caller mistakes from
// cancellation and limits.
var ErrInvalid = errors.New("locate: invalid problem")

// ErrNodeLimit is returned by SolveExact when the branch and bound needs
// more nodes than its limit; the Solution returned with it is the best
// found, not proven optimal.
var ErrNodeLimit = errors.New("locate: node limit reached")

// Model selects the objective.
type Model int

const (
	// MaxCover is the maximal covering location problem (Church and
	// ReVelle 1974): maximise the weight of demand within Problem.Within
	// minutes of at least one chosen site. Solution.Value is that weight.
	MaxCover Model = iota + 1
	// PMedian is the p-median problem (Hakimi 1964; ReVelle and Swain
	// 1970): minimise the weighted mean time from each demand point to its
	// nearest chosen site, each time capped at Problem.Penalty.
	// Solution.Value is that mean, in minutes.
	PMedian
	// ExpectedCover is the maximum expected covering location problem
	// (Daskin 1983): each unit is busy with probability Problem.Busy,
	// independently, so demand within Within minutes of k units is covered
	// with probability 1 − Busy^k. Solution.Value is the expected covered
	// weight.
	ExpectedCover
)

// String returns the model's name: "MaxCover", "PMedian" or
// "ExpectedCover".
func (m Model) String() string {
	switch m {
	case MaxCover:
		return "MaxCover"
	case PMedian:
		return "PMedian"
	case ExpectedCover:
		return "ExpectedCover"
	}
	return "Model(" + strconv.Itoa(int(m)) + ")"
}

// maximises reports whether the model's Value is to be maximised.
func (m Model) maximises() bool { return m != PMedian }

func (m Model) valid() bool { return m >= MaxCover && m <= ExpectedCover }

// Problem is a facility-location instance: where to stand Units units
// among Candidates sites to serve Demands weighted demand points. A
// Problem is read, never modified, by the functions of this package, and
// may be shared by concurrent calls.
type Problem struct {
	// Candidates is the number of candidate sites C, numbered 0 to C−1.
	Candidates int
	// Demands is the number of demand points D, numbered 0 to D−1.
	Demands int
	// Time holds the travel times in minutes from every candidate to every
	// demand point, row by row: Time[c*Demands+d] from candidate c to
	// demand d. +Inf means unreachable; negative times and NaN are
	// invalid. float32 keeps 7 significant digits, a fraction of a second
	// at an hour, and halves the memory of a large matrix.
	Time []float32
	// Weight holds each demand point's weight, for example expected
	// incidents a year: finite and ≥ 0. A point of zero weight plays no
	// part in any objective.
	Weight []float64
	// Units is the number of units P to place, fixed ones included; ≥ 1.
	Units int
	// Fixed lists candidates that must hold a unit, such as existing
	// bases; each entry is one of the Units, and a candidate listed twice
	// holds two units (PerSite permitting). May be empty.
	Fixed []int
	// PerSite is the most units one candidate may hold; 0 means 1.
	// Daskin's expected covering model allows several units at a site
	// (a base with two ARVs), and ExpectedCover values the second unit;
	// MaxCover and PMedian never gain from it, so with PerSite > 1 their
	// solutions repeat a site only when there are more units than
	// candidates.
	PerSite int
	// Within is the coverage threshold T in minutes for MaxCover and
	// ExpectedCover: a demand point is covered by a unit at most Within
	// minutes away. Must be > 0 for those models (+Inf covers every
	// reachable point); PMedian ignores it.
	Within float64
	// Busy is ExpectedCover's busy probability q, in [0, 1): the chance
	// that a unit is unavailable, the same for every unit and independent
	// between units. 0 makes ExpectedCover the same as MaxCover. Ignored
	// by the other models.
	Busy float64
	// Penalty caps a demand point's time in PMedian, in minutes: a point
	// costs the time to its nearest chosen site or Penalty, whichever is
	// smaller, so a point no chosen site reaches (+Inf) costs Penalty.
	// 0 means the default, twice the largest finite time in Time (and at
	// least 1 minute), which charges an unreached point more than any
	// reached one. Ignored by the covering models.
	Penalty float64
}

// MaxUnits is the most units a Problem may place. The solvers keep
// tables with an entry per unit count, and no deployment approaches a
// million units, so a larger number is taken for a mistake rather than
// allocated.
const MaxUnits = 1 << 20

// perSite returns PerSite with its default applied.
func (p *Problem) perSite() int {
	if p.PerSite <= 0 {
		return 1
	}
	return p.PerSite
}

// Validate reports the first problem it finds with p's sizes and values,
// as an error wrapping ErrInvalid: mismatched lengths, a NaN or negative
// time, a negative or non-finite weight, Units < 1 or above MaxUnits or
// more units than the candidates can hold, Fixed entries out of range or more of them than
// Units or PerSite allow, a negative or NaN Within, Busy outside [0, 1),
// or a negative or non-finite Penalty. It does not check the model-specific
// rule that the covering models need Within > 0; Solve does. Validate
// reads every time, so it costs O(C·D).
func (p *Problem) Validate() error {
	if p == nil {
		return fmt.Errorf("%w: nil Problem", ErrInvalid)
	}
	c, d := p.Candidates, p.Demands
	switch {
	case c < 1:
		return fmt.Errorf("%w: Candidates = %d, want ≥ 1", ErrInvalid, c)
	case d < 0:
		return fmt.Errorf("%w: Demands = %d, want ≥ 0", ErrInvalid, d)
	case c > math.MaxInt32 || d > math.MaxInt32 || (d > 0 && c > math.MaxInt/d):
		return fmt.Errorf("%w: %d×%d matrix is too large", ErrInvalid, c, d)
	case len(p.Time) != c*d:
		return fmt.Errorf("%w: len(Time) = %d, want Candidates×Demands = %d", ErrInvalid, len(p.Time), c*d)
	case len(p.Weight) != d:
		return fmt.Errorf("%w: len(Weight) = %d, want Demands = %d", ErrInvalid, len(p.Weight), d)
	}
	for i, t := range p.Time {
		if !(t >= 0) { // also catches NaN
			return fmt.Errorf("%w: Time[%d] (candidate %d, demand %d) = %v, want ≥ 0 or +Inf", ErrInvalid, i, i/d, i%d, t)
		}
	}
	for i, w := range p.Weight {
		if !(w >= 0) || math.IsInf(w, 1) {
			return fmt.Errorf("%w: Weight[%d] = %v, want finite and ≥ 0", ErrInvalid, i, w)
		}
	}
	if p.PerSite < 0 {
		return fmt.Errorf("%w: PerSite = %d, want ≥ 0", ErrInvalid, p.PerSite)
	}
	per := p.perSite()
	switch {
	case p.Units < 1:
		return fmt.Errorf("%w: Units = %d, want ≥ 1", ErrInvalid, p.Units)
	case p.Units > MaxUnits:
		return fmt.Errorf("%w: Units = %d, more than MaxUnits = %d", ErrInvalid, p.Units, MaxUnits)
	case per > math.MaxInt32:
		return fmt.Errorf("%w: PerSite = %d is too large", ErrInvalid, per)
	case p.Units > c*per && c <= math.MaxInt/per:
		return fmt.Errorf("%w: Units = %d, but %d candidates hold at most %d (PerSite = %d)", ErrInvalid, p.Units, c, c*per, per)
	case len(p.Fixed) > p.Units:
		return fmt.Errorf("%w: %d Fixed sites but only %d Units", ErrInvalid, len(p.Fixed), p.Units)
	}
	held := make(map[int]int, len(p.Fixed))
	for i, f := range p.Fixed {
		if f < 0 || f >= c {
			return fmt.Errorf("%w: Fixed[%d] = %d, want a candidate in [0, %d)", ErrInvalid, i, f, c)
		}
		held[f]++
		if held[f] > per {
			return fmt.Errorf("%w: candidate %d is Fixed %d times, but PerSite = %d", ErrInvalid, f, held[f], per)
		}
	}
	switch {
	case !(p.Within >= 0):
		return fmt.Errorf("%w: Within = %v minutes, want ≥ 0", ErrInvalid, p.Within)
	case !(p.Busy >= 0 && p.Busy < 1):
		return fmt.Errorf("%w: Busy = %v, want a probability in [0, 1)", ErrInvalid, p.Busy)
	case !(p.Penalty >= 0) || p.Penalty > math.MaxFloat32:
		return fmt.Errorf("%w: Penalty = %v minutes, want finite and ≥ 0", ErrInvalid, p.Penalty)
	}
	return nil
}

// check validates p for model m.
func (p *Problem) check(m Model) error {
	if !m.valid() {
		return fmt.Errorf("%w: unknown model %v", ErrInvalid, m)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if m != PMedian && !(p.Within > 0) {
		return fmt.Errorf("%w: %v needs Within > 0 minutes, got %v", ErrInvalid, m, p.Within)
	}
	return nil
}

// penalty returns PMedian's cap on a demand point's time, in minutes,
// with the default applied.
func (p *Problem) penalty() float64 {
	if p.Penalty > 0 {
		return p.Penalty
	}
	longest := 0.0
	for _, t := range p.Time {
		if v := float64(t); v > longest && !math.IsInf(v, 1) {
			longest = v
		}
	}
	return max(1, 2*longest)
}

// Options tune Solve and Curve. The zero value gives the defaults.
type Options struct {
	// Seed seeds the tabu search's random tenures. The same Seed on the
	// same Problem gives the same Solution, on any machine, unless
	// TimeLimit cuts the search short.
	Seed uint64
	// MaxIterations bounds the tabu search, in moves; 0 means
	// DefaultIterations, and a negative value skips the tabu search
	// (greedy and swap only).
	MaxIterations int
	// Patience ends the tabu search after this many moves without a new
	// best; 0 means DefaultPatience, and a negative value lets it run to
	// MaxIterations.
	Patience int
	// BoundIterations bounds the subgradient optimisation of the
	// Lagrangian bound, in iterations; 0 means DefaultBoundIterations.
	// The optimisation also stops when its steps have shrunk to nothing,
	// resuming if the incumbent improves. A negative value makes one
	// iteration, at the starting multipliers, whose bound is the simple
	// bound of the greedy and swap solution (see the package
	// documentation).
	BoundIterations int
	// TimeLimit bounds the wall-clock time of the subgradient and tabu
	// phases together; 0 means DefaultTimeLimit. A search cut short by it
	// sets Solution.TimedOut, and its answer then depends on the machine.
	TimeLimit time.Duration
}

const (
	// DefaultIterations is the default Options.MaxIterations: tabu
	// moves.
	DefaultIterations = 1000
	// DefaultPatience is the default Options.Patience, in tabu moves. On
	// the benchmark counties every improvement came within 150 moves of
	// the previous one.
	DefaultPatience = 300
	// DefaultBoundIterations is the default Options.BoundIterations:
	// subgradient iterations. The covering models' bounds on the
	// benchmark counties settle within 1,000 to 2,000.
	DefaultBoundIterations = 2000
	// DefaultTimeLimit is the default Options.TimeLimit.
	DefaultTimeLimit = time.Minute
	// DefaultNodeLimit is SolveExact's node limit when it is given 0.
	DefaultNodeLimit = 10_000_000
)

// GapTolerance is the relative gap at or below which a Solution counts as
// optimal: bound and value then agree to about nine significant digits,
// the accuracy of the float64 sums behind them.
const GapTolerance = 1e-9

// Solution is an answer with its quality.
type Solution struct {
	// Sites are the candidates chosen, one entry per unit (Fixed ones
	// included), sorted; a candidate holding two units appears twice.
	Sites []int
	// Value is the objective: the covered weight (MaxCover), the expected
	// covered weight (ExpectedCover), or the weighted mean time in minutes
	// (PMedian; 0 when every weight is 0).
	Value float64
	// Bound is the best bound proven on the optimum, in Value's units: an
	// upper bound for the covering models, a lower bound for PMedian.
	Bound float64
	// Gap is the relative gap |Bound−Value|/|Value|: 0 when Bound equals
	// Value, +Inf when Value is 0 and Bound is not. The optimum lies
	// within Gap·|Value| of Value.
	Gap float64
	// Optimal reports that Value is proven optimal: Gap ≤ GapTolerance,
	// or the exact solver finished.
	Optimal bool
	// Unreached is the weight of demand that no chosen site reaches at
	// all (every time +Inf), whatever the model.
	Unreached float64
	// Method names the algorithms that produced Sites and Bound, for
	// example "greedy+swap+tabu, Lagrangian bound".
	Method string
	// Evaluations counts the objective evaluations: swap moves priced
	// (each an O(1) look-up), sets evaluated whole, and branch and bound
	// nodes bounded.
	Evaluations int
	// Iterations counts the tabu moves made (Solve), or the branch and
	// bound nodes visited (SolveExact).
	Iterations int
	// BoundIterations counts the subgradient iterations run.
	BoundIterations int
	// TimedOut reports that Options.TimeLimit stopped the search.
	TimedOut bool
}

// gap returns the relative gap between value and bound.
func gap(value, bound float64) float64 {
	diff := math.Abs(bound - value)
	if diff == 0 {
		return 0
	}
	if value == 0 {
		return math.Inf(1)
	}
	return diff / math.Abs(value)
}
