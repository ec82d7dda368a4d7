package arvtest

import (
	"context"
	"math"
	"testing"

	"github.com/arv-project/arv/geo"
)

func TestLineRouterLocate(t *testing.T) {
	var r LineRouter
	p, err := r.Locate(" 51.35, -1.995 ")
	if err != nil || p != (geo.Point{Lat: 51.35, Lon: -1.995}) {
		t.Fatalf("Locate = %v, %v", p, err)
	}
	for _, bad := range []string{"Devizes", "51.35", "x,y", "91,0"} {
		if _, err := r.Locate(bad); err == nil {
			t.Errorf("Locate(%q) gave no error", bad)
		}
	}
}

func TestLineRouterMatrix(t *testing.T) {
	from := []geo.Point{Devizes, Swindon}
	to := []geo.Point{Devizes, Salisbury, Marlbrough}
	secs := func(r LineRouter) []float64 {
		t.Helper()
		m, err := r.Matrix(context.Background(), from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != len(from)*len(to) {
			t.Fatalf("%d entries, want %d", len(m), len(from)*len(to))
		}
		return m
	}
	def, fast, instant := secs(LineRouter{}), secs(LineRouter{SpeedKmh: 120}), secs(LineRouter{SpeedKmh: 120, Instant: true})
	for i, a := range from {
		for j, b := range to {
			k := i*len(to) + j
			want := geo.Distance(a, b) / 1000 / 60 * 3600 // the zero value is 60 km/h
			if math.Abs(def[k]-want) > 1e-9*want {
				t.Errorf("%v→%v: %g s, want %g", a, b, def[k], want)
			}
			if math.Abs(fast[k]-want/2) > 1e-9*want {
				t.Errorf("%v→%v at 120 km/h: %g s, want %g", a, b, fast[k], want/2)
			}
			if instant[k] != 0 {
				t.Errorf("%v→%v with Instant: %g s, want 0", a, b, instant[k])
			}
		}
	}
	if def[0] != 0 || def[len(to)] == 0 {
		t.Errorf("Devizes→Devizes %g s, Swindon→Devizes %g s", def[0], def[len(to)])
	}
}
