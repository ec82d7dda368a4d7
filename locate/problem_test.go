package locate

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// valid returns a small valid problem: 2 candidates, 3 demand points.
func valid() *Problem {
	return &Problem{
		Candidates: 2, Demands: 3,
		Time:   []float32{1, 2, 3, 4, 5, 6},
		Weight: []float64{1, 1, 1},
		Units:  1,
		Within: 10,
	}
}

func TestValidate(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	cases := []struct {
		name string
		edit func(p *Problem)
		want string // substring of the error; "" for none
	}{
		{"OK", func(p *Problem) {}, ""},
		{"Unreachable", func(p *Problem) { p.Time[4] = inf }, ""},
		{"ZeroWeights", func(p *Problem) { p.Weight = []float64{0, 0, 0} }, ""},
		{"NoDemand", func(p *Problem) { p.Demands, p.Time, p.Weight = 0, nil, nil }, ""},
		{"Stacked", func(p *Problem) { p.PerSite, p.Units, p.Fixed = 2, 4, []int{1, 1} }, ""},
		{"NilProblem", nil, "nil Problem"},
		{"NoCandidates", func(p *Problem) { p.Candidates = 0 }, "Candidates = 0"},
		{"NegativeDemands", func(p *Problem) { p.Demands = -1 }, "Demands = -1"},
		{"TimeLength", func(p *Problem) { p.Time = p.Time[:5] }, "len(Time) = 5"},
		{"WeightLength", func(p *Problem) { p.Weight = p.Weight[:2] }, "len(Weight) = 2"},
		{"NaNTime", func(p *Problem) { p.Time[3] = nan }, "Time[3] (candidate 1, demand 0)"},
		{"NegativeTime", func(p *Problem) { p.Time[0] = -1 }, "Time[0]"},
		{"NegativeInfTime", func(p *Problem) { p.Time[1] = -inf }, "Time[1]"},
		{"NegativeWeight", func(p *Problem) { p.Weight[2] = -0.5 }, "Weight[2] = -0.5"},
		{"NaNWeight", func(p *Problem) { p.Weight[1] = math.NaN() }, "Weight[1] = NaN"},
		{"InfWeight", func(p *Problem) { p.Weight[1] = math.Inf(1) }, "Weight[1] = +Inf"},
		{"NoUnits", func(p *Problem) { p.Units = 0 }, "Units = 0"},
		{"TooManyUnits", func(p *Problem) { p.Units = 3 }, "2 candidates hold at most 2"},
		{"TooManyStacked", func(p *Problem) { p.PerSite, p.Units = 2, 5 }, "hold at most 4"},
		{"AboveMaxUnits", func(p *Problem) { p.PerSite, p.Units = 1<<30, MaxUnits+1 }, "more than MaxUnits"},
		{"NegativePerSite", func(p *Problem) { p.PerSite = -1 }, "PerSite = -1"},
		{"FixedRange", func(p *Problem) { p.Fixed = []int{2} }, "Fixed[0] = 2"},
		{"FixedNegative", func(p *Problem) { p.Fixed = []int{-1} }, "Fixed[0] = -1"},
		{"FixedMoreThanUnits", func(p *Problem) { p.Fixed = []int{0, 1} }, "2 Fixed sites but only 1 Units"},
		{"FixedTwice", func(p *Problem) { p.Units, p.Fixed = 2, []int{1, 1} }, "Fixed 2 times"},
		{"NegativeWithin", func(p *Problem) { p.Within = -1 }, "Within = -1"},
		{"NaNWithin", func(p *Problem) { p.Within = math.NaN() }, "Within = NaN"},
		{"BusyOne", func(p *Problem) { p.Busy = 1 }, "Busy = 1"},
		{"BusyNegative", func(p *Problem) { p.Busy = -0.1 }, "Busy = -0.1"},
		{"NegativePenalty", func(p *Problem) { p.Penalty = -1 }, "Penalty = -1"},
		{"InfPenalty", func(p *Problem) { p.Penalty = math.Inf(1) }, "Penalty = +Inf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p *Problem
			if tc.edit != nil {
				p = valid()
				tc.edit(p)
			}
			err := p.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Validate() = nil, want an error containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			case err != nil && !errors.Is(err, ErrInvalid):
				t.Fatalf("Validate() = %v, which does not wrap ErrInvalid", err)
			}
		})
	}
}

// TestModelChecks covers the rules Solve adds to Validate for a model.
func TestModelChecks(t *testing.T) {
	p := valid()
	p.Within = 0
	if err := p.check(MaxCover); err == nil || !errors.Is(err, ErrInvalid) {
		t.Errorf("MaxCover with Within = 0: err = %v, want ErrInvalid", err)
	}
	if err := p.check(ExpectedCover); err == nil {
		t.Errorf("ExpectedCover with Within = 0: err = nil, want an error")
	}
	if err := p.check(PMedian); err != nil {
		t.Errorf("PMedian with Within = 0: err = %v, want nil (it ignores Within)", err)
	}
	for _, m := range []Model{0, 4, -1} {
		if err := valid().check(m); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("model %v: err = %v, want ErrInvalid", m, err)
		}
	}
}

func TestModelString(t *testing.T) {
	cases := []struct {
		m    Model
		want string
	}{
		{MaxCover, "MaxCover"},
		{PMedian, "PMedian"},
		{ExpectedCover, "ExpectedCover"},
		{0, "Model(0)"},
	}
	for _, tc := range cases {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("Model(%d).String() = %q, want %q", int(tc.m), got, tc.want)
		}
	}
}

func TestPenaltyDefault(t *testing.T) {
	inf := float32(math.Inf(1))
	cases := []struct {
		name    string
		time    []float32
		penalty float64
		want    float64
	}{
		{"TwiceLongest", []float32{3, inf, 7.5, 1}, 0, 15},
		{"Given", []float32{3, inf, 7.5, 1}, 40, 40},
		// With no finite time above half a minute the default is 1 minute.
		{"AtLeastOne", []float32{0, 0.25, inf, 0}, 0, 1},
		{"AllUnreachable", []float32{inf, inf, inf, inf}, 0, 1},
	}
	for _, tc := range cases {
		p := &Problem{Candidates: 2, Demands: 2, Time: tc.time, Penalty: tc.penalty}
		if got := p.penalty(); got != tc.want {
			t.Errorf("%s: penalty() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestGap(t *testing.T) {
	cases := []struct {
		value, bound, want float64
	}{
		{10, 10, 0},
		{10, 11, 0.1},
		{10, 9, 0.1},
		{0, 0, 0},
		{0, 1, math.Inf(1)},
		{-4, -5, 0.25},
	}
	for _, tc := range cases {
		if got := gap(tc.value, tc.bound); math.Abs(got-tc.want) > 1e-15 && got != tc.want {
			t.Errorf("gap(%v, %v) = %v, want %v", tc.value, tc.bound, got, tc.want)
		}
	}
}
