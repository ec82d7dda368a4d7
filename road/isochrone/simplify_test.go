package isochrone

import "testing"

func TestSimplify(t *testing.T) {
	// A 400 m road along x with a 30 m bump at x=200 (kept at tol 20 m)
	// and 2 m wiggles either side, 12.9 m and 16.8 m off the lines to the
	// bump (dropped).
	w := walker{tol: 20}
	w.xs = []float64{0, 100, 200, 300, 400}
	w.ys = []float64{0, 2, 30, -2, 0}
	w.cum = []float64{0, 1, 2, 3, 4} // stand-ins for the true cumulative lengths
	w.simplify()
	if got, want := len(w.xs), 3; got != want {
		t.Fatalf("kept %d points (%v), want %d", got, w.xs, want)
	}
	if w.xs[1] != 200 || w.ys[1] != 30 || w.cum[1] != 2 {
		t.Fatalf("kept middle point (%v,%v) cum %v, want the bump at (200,30) with its own cum 2", w.xs[1], w.ys[1], w.cum[1])
	}
	if w.cum[0] != 0 || w.cum[2] != 4 {
		t.Fatalf("ends moved: cum %v", w.cum)
	}
	// A straight line keeps only its ends; tol 0 is never called.
	w.xs, w.ys, w.cum = []float64{0, 1, 2}, []float64{0, 0, 0}, []float64{0, 1, 2}
	w.simplify()
	if len(w.xs) != 2 {
		t.Fatalf("straight line kept %d points", len(w.xs))
	}
}
