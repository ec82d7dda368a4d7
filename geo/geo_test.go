package geo

import (
	"errors"
	"math"
	"testing"
)

func TestDistance(t *testing.T) {
	// Reference values from the haversine formula on R = 6371008.8 m,
	// computed independently (Python math module, same formula).
	cases := []struct {
		name string
		a, b Point
		want float64 // metres
	}{
		{"same point", Point{51.35, -1.99}, Point{51.35, -1.99}, 0},
		{"one degree of latitude", Point{0, 0}, Point{1, 0}, 111195.08},
		{"one degree of longitude at equator", Point{0, 0}, Point{0, 1}, 111195.08},
		// Devizes HQ to Gablecross, Swindon (geography.md §2.1 coordinates).
		{"Devizes HQ to Gablecross", Point{51.3570, -1.9785}, Point{51.5745, -1.7320}, 29605.54},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Distance(tc.a, tc.b); math.Abs(got-tc.want) > 1 {
				t.Fatalf("Distance=%.2f, want %.2f", got, tc.want)
			}
		})
	}
}

func TestParsePoint(t *testing.T) {
	p, err := ParsePoint(" 51.357 , -1.9785")
	if err != nil {
		t.Fatal(err)
	} else if p != (Point{51.357, -1.9785}) {
		t.Fatalf("ParsePoint=%v", p)
	}
	for _, bad := range []string{"", "51.3", "Devizes", "a,b", "1,2,3"} {
		if _, err := ParsePoint(bad); !errors.Is(err, ErrNotPoint) {
			t.Errorf("ParsePoint(%q) err=%v, want ErrNotPoint", bad, err)
		}
	}
	if _, err := ParsePoint("91,0"); err == nil || errors.Is(err, ErrNotPoint) {
		t.Errorf("ParsePoint(91,0) err=%v, want range error", err)
	}
	if _, err := ParsePoint("NaN,0"); err == nil {
		t.Errorf("ParsePoint(NaN,0) accepted")
	}
}

func TestProjectionRoundTrip(t *testing.T) {
	pr := NewProjection(Point{51.3, -1.9})
	p := Point{51.5745, -1.7320}
	x, y := pr.Project(p)
	q := pr.Unproject(x, y)
	if Distance(p, q) > 1e-6 {
		t.Fatalf("round trip moved the point by %g m", Distance(p, q))
	}
	// Projected distance agrees with the great circle to 0.5% at 30 km.
	d := math.Hypot(x, y)
	g := Distance(pr.Origin, p)
	if math.Abs(d-g)/g > 0.005 {
		t.Fatalf("projected %.1f m vs great circle %.1f m", d, g)
	}
}

func TestBound(t *testing.T) {
	var b Bound
	if !b.Empty() || b.Contains(Point{}) {
		t.Fatal("zero Bound not empty")
	}
	b = BoundOf(Point{51, -2}, Point{52, -1})
	if !b.Contains(Point{51.5, -1.5}) || b.Contains(Point{50, -1.5}) {
		t.Fatal("Contains wrong")
	}
	if c := b.Center(); c != (Point{51.5, -1.5}) {
		t.Fatalf("Center=%v", c)
	}
	p := b.Pad(1000)
	if d := Distance(Point{p.Min.Lat, -1.5}, Point{b.Min.Lat, -1.5}); math.Abs(d-1000) > 1 {
		t.Fatalf("Pad moved south edge %.1f m, want 1000", d)
	}
}
