package arvtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// Backend is one opened store under test.
type Backend struct {
	Services arv.Services
	// DB is the raw database, for tampering with the audit log the way an
	// intruder with database access would.
	DB *sql.DB
	// Verify recomputes the audit chain without a signed-in user (as
	// `arv audit verify` does).
	Verify func(ctx context.Context) (*arv.AuditReport, error)
	// Events is the event fan-out the store publishes to.
	Events arv.EventService
}

// Config is what a test sets on the store it opens.
type Config struct {
	Now        func() time.Time
	Router     arv.Router
	Classify   func(geo.Point) string
	Urban      float64 // target minutes
	Rural      float64
	Complement arv.Complement
}

// Opener opens a fresh, empty store for one test.
type Opener func(tb testing.TB, cfg Config) *Backend

// Clock is a settable clock safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// LineRouter is a straight-line arv.Router for tests: it stands in for
// the road engine so that a test checks its own logic (the suite its
// ranking, sim and hypercube their queues), not the roads, which the road
// engine's oracle tests cover. Its semantics, which those tests rely on:
//
//   - Locate accepts "LAT,LON" only (geo.ParsePoint): anything else, a
//     place name included, is an error, as an unknown place is for the
//     road engine;
//   - Matrix gives the great-circle distance at SpeedKmh, in seconds,
//     row by row (from[i] to to[j] at i*len(to)+j), computed as
//     metres / (km/h / 3.6), so that models compiled over it are the same
//     to the last bit wherever it is used;
//   - the zero LineRouter travels at 60 km/h; Instant makes every trip
//     take no time (for a model whose travel must not matter, such as a
//     queue at one point).
//
// A LineRouter is safe for concurrent use.
type LineRouter struct {
	// SpeedKmh is the travel speed. Default 60.
	SpeedKmh float64
	// Instant makes every travel time 0, whatever SpeedKmh says.
	Instant bool
}

// Locate parses "LAT,LON" (geo.ParsePoint).
func (r LineRouter) Locate(loc string) (geo.Point, error) {
	return geo.ParsePoint(loc)
}

// Matrix returns straight-line travel seconds from every point of from to
// every point of to.
func (r LineRouter) Matrix(_ context.Context, from, to []geo.Point) ([]float64, error) {
	out := make([]float64, len(from)*len(to))
	if r.Instant {
		return out, nil
	}
	speed := r.SpeedKmh
	if speed == 0 {
		speed = 60
	}
	for i, a := range from {
		for j, b := range to {
			out[i*len(to)+j] = geo.Distance(a, b) / (speed / 3.6)
		}
	}
	return out, nil
}

// Places used by the suite: a small county around Devizes.
var (
	Devizes    = geo.Point{Lat: 51.3500, Lon: -1.9950}
	Swindon    = geo.Point{Lat: 51.5580, Lon: -1.7820}
	Salisbury  = geo.Point{Lat: 51.0690, Lon: -1.7940}
	Marlbrough = geo.Point{Lat: 51.4190, Lon: -1.7290}
)

// Start is the suite's clock start: a Thursday morning.
var Start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// defaultConfig is the suite's standard force.
func defaultConfig(c *Clock) Config {
	return Config{
		Now:    c.Now,
		Router: LineRouter{SpeedKmh: 60},
		Classify: func(p geo.Point) string {
			if geo.Distance(p, Swindon) < 5000 {
				return arv.Urban
			}
			return arv.Rural
		},
		Urban:      20,
		Rural:      30,
		Complement: arv.Complement{ARVs: 2, OfficersPerARV: 2},
	}
}

// As returns ctx signed in as u.
func As(ctx context.Context, u *arv.User) context.Context { return arv.NewContextWithUser(ctx, u) }

// Users returns one signed-in user per role (not stored: services trust
// the user in ctx, as the HTTP layer sets it after FindSession).
func Users() map[arv.Role]*arv.User {
	m := map[arv.Role]*arv.User{}
	for i, r := range arv.Roles {
		m[r] = &arv.User{ID: int64(100 + i), Username: string(r) + "1", Name: r.Title(), Role: r}
	}
	return m
}

// Force is the standard fixture: officers, units and the current shift.
type Force struct {
	Officers map[string]*arv.Officer // by collar
	Units    map[string]*arv.Unit    // by call sign
	Shift    *arv.RosterShift
}

// MustOfficer creates an officer holding AFO and ARV from a year ago to
// expires, with a fitness test passed 100 days ago.
func MustOfficer(tb testing.TB, s arv.Services, collar string, expires arv.Date, now time.Time) *arv.Officer {
	tb.Helper()
	ctx := As(context.Background(), arv.SystemUser)
	o, err := s.CreateOfficer(ctx, arv.NewOfficer{Collar: collar, Name: "PC " + collar, Rank: "PC", Team: 1})
	if err != nil {
		tb.Fatalf("create officer: %v", err)
	}
	issued := arv.DateOf(now.AddDate(-1, 0, 0))
	for _, k := range []arv.Accreditation{arv.AccAFO, arv.AccARV} {
		if o, err = s.AddAccreditation(ctx, o.ID, arv.NewAccreditation{Kind: k, Issued: issued, Expires: expires}); err != nil {
			tb.Fatalf("accreditation: %v", err)
		}
	}
	if o, err = s.AddFitnessTest(ctx, o.ID, arv.FitnessTest{Taken: arv.DateOf(now.AddDate(0, 0, -100)), Passed: true}); err != nil {
		tb.Fatalf("fitness: %v", err)
	}
	return o
}

// MustForce creates three ARVs (at Devizes, Swindon, Salisbury), six
// accredited officers valid for a year and a shift now with two officers
// on each unit.
func MustForce(tb testing.TB, s arv.Services, now time.Time) *Force {
	tb.Helper()
	ctx := As(context.Background(), arv.SystemUser)
	f := &Force{Officers: map[string]*arv.Officer{}, Units: map[string]*arv.Unit{}}
	exp := arv.DateOf(now.AddDate(1, 0, 0))
	for i := 1; i <= 6; i++ {
		c := fmt.Sprintf("A%d", i)
		f.Officers[c] = MustOfficer(tb, s, c, exp, now)
	}
	for _, u := range []struct {
		call string
		at   geo.Point
	}{{"ARV1", Devizes}, {"ARV2", Swindon}, {"ARV3", Salisbury}} {
		unit, err := s.CreateUnit(ctx, arv.NewUnit{CallSign: u.call, Base: u.call + " base", Position: u.at})
		if err != nil {
			tb.Fatalf("create unit: %v", err)
		}
		f.Units[u.call] = unit
	}
	sh, err := s.AddShift(ctx, arv.NewShift{Name: "Day", Start: now.Add(-2 * time.Hour), End: now.Add(8 * time.Hour)})
	if err != nil {
		tb.Fatalf("add shift: %v", err)
	}
	for i, call := range []string{"ARV1", "ARV1", "ARV2", "ARV2", "ARV3", "ARV3"} {
		o := f.Officers[fmt.Sprintf("A%d", i+1)]
		if sh, err = s.AssignCrew(ctx, sh.ID, arv.RosterAssignment{UnitID: f.Units[call].ID, OfficerID: o.ID}); err != nil {
			tb.Fatalf("assign crew: %v", err)
		}
	}
	f.Shift = sh
	for call, u := range f.Units {
		if f.Units[call], err = s.FindUnitByID(ctx, u.ID); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// Decision returns a complete authorisation decision.
func Decision(authorised bool) arv.DecisionRequest {
	return arv.DecisionRequest{
		Authorised: authorised,
		Limb:       arv.LimbWeapon,
		NDM: arv.NDM{
			Information:     "Caller reports a man with a handgun outside the Co-op.",
			Threat:          "High: firearm seen, members of the public nearby.",
			PowersAndPolicy: "Common law, s3 Criminal Law Act 1967; APP armed policing.",
			Options:         "ARV containment and challenge; unarmed units to hold cordons.",
			ActionAndReview: "Deploy nearest ARV; review on arrival.",
		},
		Tactics:   "Containment and call out.",
		Rationale: "Reason to suppose: weapon access.",
	}
}

// Buffer is a bytes.Buffer safe for concurrent use, for tests that read
// what a server or generator logs while it writes.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what has been written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
