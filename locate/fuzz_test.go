package locate

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSolve builds a small problem from a seed and a few shape bytes,
// sometimes deliberately malformed, and checks that Solve, SolveExact,
// Curve and Evaluate never panic, that malformed problems are refused
// with ErrInvalid, and that on valid ones every Solution is well formed,
// its Bound on the right side of its Value, and the proven optimum
// within the heuristic's Bound.
func FuzzSolve(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(12), uint8(2), uint8(0), uint8(0))
	f.Add(uint64(2), uint8(8), uint8(30), uint8(4), uint8(1), uint8(0x0f))
	f.Add(uint64(3), uint8(1), uint8(0), uint8(1), uint8(2), uint8(0xf0))
	f.Add(uint64(4), uint8(3), uint8(7), uint8(9), uint8(2), uint8(0x33))
	f.Add(uint64(5), uint8(6), uint8(20), uint8(3), uint8(0), uint8(0x80))
	f.Fuzz(func(t *testing.T, seed uint64, c, d, units, model, flags uint8) {
		r := rand.New(rand.NewPCG(seed, 99))
		p := small(r, 1+int(c)%8, int(d)%40, 1+int(units)%6)
		m := Model(1 + int(model)%3)
		if flags&1 != 0 {
			p.PerSite = 1 + r.IntN(3)
		}
		if flags&2 != 0 && p.Candidates > 0 {
			p.Fixed = []int{r.IntN(p.Candidates)}
		}
		if flags&4 != 0 {
			p.Busy = r.Float64()
		}
		if flags&8 != 0 {
			p.Within = r.Float64() * 40
		}
		if flags&16 != 0 {
			p.Penalty = r.Float64() * 20
		}
		if flags&32 != 0 {
			for i := range p.Weight {
				p.Weight[i] *= float64(r.IntN(2)) // about half zero
			}
		}
		if flags&64 != 0 && len(p.Time) > 0 {
			// Malformed: a NaN or negative time, or a negative weight.
			switch r.IntN(3) {
			case 0:
				p.Time[r.IntN(len(p.Time))] = float32(math.NaN())
			case 1:
				p.Time[r.IntN(len(p.Time))] = -1
			default:
				if len(p.Weight) > 0 {
					p.Weight[r.IntN(len(p.Weight))] = -1
				}
			}
		}
		if flags&128 != 0 {
			p.Units += r.IntN(20) // often more than the candidates hold
		}
		invalid := p.check(m) != nil

		sol, err := Solve(t.Context(), p, m, Options{Seed: seed, MaxIterations: 50, BoundIterations: 50})
		if invalid {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("invalid problem: Solve err = %v, want ErrInvalid", err)
			}
			if _, err := SolveExact(t.Context(), p, m, 0); !errors.Is(err, ErrInvalid) {
				t.Fatalf("invalid problem: SolveExact err = %v, want ErrInvalid", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Solve: %v", err)
		}
		checkSolution(t, p, m, sol)
		ex, err := SolveExact(t.Context(), p, m, 0)
		if err != nil {
			t.Fatalf("SolveExact: %v", err)
		}
		checkSolution(t, p, m, ex)
		tol := 1e-9 * max(1, math.Abs(ex.Value))
		if m.maximises() && (ex.Value > sol.Bound+tol || sol.Value > ex.Value+tol) ||
			!m.maximises() && (ex.Value < sol.Bound-tol || sol.Value < ex.Value-tol) {
			t.Fatalf("%v: heuristic %v with bound %v, optimum %v", m, sol.Value, sol.Bound, ex.Value)
		}
		if out, err := Curve(t.Context(), p, m, p.Units, Options{Seed: seed, MaxIterations: 20, BoundIterations: 20}); err != nil {
			t.Fatalf("Curve: %v", err)
		} else if len(out) != p.Units-max(1, len(p.Fixed))+1 {
			t.Fatalf("Curve: %d solutions for %d units and %d fixed", len(out), p.Units, len(p.Fixed))
		}
	})
}
