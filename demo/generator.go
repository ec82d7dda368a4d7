package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/sim"
)

// Assumptions of the generator (no scenario field holds them).
const (
	// notAuthorisedShare is the share of calls the ITFC declines: the
	// scenario's demand counts only incidents that needed an ARV, so
	// this is extra (assumption: about one call in seven raised to the
	// ITFC does not meet "reason to suppose").
	notAuthorisedShare = 0.15
	// ratifyMin, ratifyMode and ratifyMax are the SFC's time to ratify
	// after the authorisation, in minutes (assumption: 2 to 12, mostly
	// about 5, inside the default 15-minute window; capped at 80% of the
	// incident's own window).
	ratifyMin, ratifyMode, ratifyMax = 2.0, 5.0, 12.0
	// mutualAidMinutes is the wait for a free ARV when the scenario
	// gives none.
	mutualAidMinutes = 10.0
	// noRouteMinutes is the drive assumed when the assignment has no
	// road ETA.
	noRouteMinutes = 30.0
	// maxTries is how many times a failing step is tried.
	maxTries = 3
)

// Options set a Generator.
type Options struct {
	Rate
	// Now is the store's clock, which places arrivals in the week's
	// profile. Default: time.Now. The delays are waited on the wall
	// clock.
	Now func() time.Time
	// Log receives what the generator does and what fails. Default:
	// nothing is logged.
	Log *slog.Logger
}

// Generator records and plays made-up incidents; see the package
// documentation.
type Generator struct {
	svc     arv.Services
	sc      *arv.Scenario
	now     func() time.Time
	log     *slog.Logger
	perHour float64
	speedup float64
	seed    uint64
	// handler, itfc, sfc and officer are the users it acts as.
	handler, itfc, sfc, officer *arv.User
	// tfc takes command from the ITFC (command.go); nil when there is no
	// TFC user.
	tfc *arv.User

	sites []site
	cum   []float64 // cumulative site weights
	// locate checks a drawn position is on the road network (may be nil).
	locate func(string) (geo.Point, error)
	// profile is the rate factor of each hour of the week (Monday 00:00
	// first, mean 1) and peak its largest.
	profile [7 * 24]float64
	peak    float64

	rng *rand.Rand // used by Run's goroutine only
	// afterRng draws which incidents end in a discharge (discharge.go);
	// Run's goroutine only.
	afterRng *rand.Rand

	mu   sync.Mutex
	mine []int64 // incidents it recorded
	wg   sync.WaitGroup
}

// site is a place incidents arise.
type site struct {
	at      geo.Point
	address string
	jitter  float64 // metres an incident may lie from at
}

// NewGenerator prepares a generator of incidents for scenario s, drawn
// from the demand sites of model (s compiled by sim.Compile), placed on
// the road network with locate (an arv.Router's Locate; nil places them
// anywhere), recorded and played through svc as the demo users (or else
// the first enabled user of each role it needs). It fails when the model
// has no demand site with a weight or svc has no user to act as.
func NewGenerator(ctx context.Context, svc arv.Services, s *arv.Scenario, model *sim.Model, locate func(string) (geo.Point, error), opt Options) (*Generator, error) {
	g, err := newDraws(s, model, locate, opt)
	if err != nil {
		return nil, err
	}
	g.svc = svc
	if err := g.findUsers(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// newDraws prepares what a generator draws from, without the services.
func newDraws(s *arv.Scenario, model *sim.Model, locate func(string) (geo.Point, error), opt Options) (*Generator, error) {
	g := &Generator{sc: s, now: opt.Now, log: opt.Log, perHour: opt.PerHour, speedup: opt.speedup(), seed: opt.Seed}
	if g.now == nil {
		g.now = time.Now
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if !opt.HasSeed {
		g.seed = rand.Uint64()
	}
	g.rng = rand.New(rand.NewPCG(g.seed, 0x61727667656e)) // "arvgen"
	if err := g.buildSites(model, locate); err != nil {
		return nil, err
	}
	g.buildProfile()
	return g, nil
}

// PerHour returns the mean rate, in incidents a wall-clock hour.
func (g *Generator) PerHour() float64 { return g.perHour }

// Speedup returns how many times faster than real the incidents play.
func (g *Generator) Speedup() float64 { return g.speedup }

// Seed returns the seed of the draws, chosen when the options gave none.
func (g *Generator) Seed() uint64 { return g.seed }

// Scale returns the wall-clock time that minutes of the scenario take.
func (g *Generator) Scale(minutes float64) time.Duration {
	if !(minutes > 0) {
		return 0
	}
	return time.Duration(minutes * 60 / g.speedup * float64(time.Second))
}

// findUsers picks the demo users, or else the first enabled user of each
// role.
func (g *Generator) findUsers(ctx context.Context) error {
	users, err := g.svc.FindUsers(arv.NewContextWithUser(ctx, arv.SystemUser))
	if err != nil {
		return err
	}
	for _, p := range []struct {
		dst      **arv.User
		username string
		role     arv.Role
	}{{&g.handler, "handler", arv.RoleCallHandler}, {&g.itfc, "itfc", arv.RoleITFC}, {&g.sfc, "sfc", arv.RoleSFC}, {&g.officer, "officer", arv.RoleArmedOfficer}} {
		if *p.dst = pickUser(users, p.username, p.role); *p.dst == nil {
			return fmt.Errorf("no enabled %s user to act as (start with --demo)", strings.ToLower(p.role.Title()))
		}
	}
	g.tfc = pickUser(users, "tfc", arv.RoleTFC)
	return nil
}

// pickUser returns the enabled user of role with username, or else the
// first enabled user of role, or nil.
func pickUser(users []*arv.User, username string, role arv.Role) *arv.User {
	var other *arv.User
	for _, u := range users {
		if u.Disabled || u.Role != role {
			continue
		}
		if u.Username == username {
			return u
		}
		if other == nil {
			other = u
		}
	}
	return other
}

// buildSites takes the model's demand sites with their weights; grid
// cells are described by the nearest named site.
func (g *Generator) buildSites(model *sim.Model, locate func(string) (geo.Point, error)) error {
	var named []int
	for i, s := range model.Sites {
		if s.Group != sim.DispersedGroup {
			named = append(named, i)
		}
	}
	total := 0.0
	for _, s := range model.Sites {
		if !(s.Weight > 0) {
			continue
		}
		at := model.Points[s.Point]
		st := site{at: at, address: s.Name, jitter: 500}
		if s.Urban {
			st.jitter = 1000
		}
		if s.Group == sim.DispersedGroup {
			st.jitter = 2000
			st.address = ruralAddress(model, named, at)
		}
		total += s.Weight
		g.sites = append(g.sites, st)
		g.cum = append(g.cum, total)
	}
	if len(g.sites) == 0 {
		return errors.New("the scenario has no demand site with a weight")
	}
	g.locate = locate
	return nil
}

// ruralAddress describes a grid cell at by the nearest of the named
// sites of model.
func ruralAddress(model *sim.Model, named []int, at geo.Point) string {
	address := "Rural location"
	best := math.Inf(1)
	for _, k := range named {
		if d := geo.Distance(at, model.Points[model.Sites[k].Point]); d < best {
			best, address = d, fmt.Sprintf("Rural location %.0f km from %s", d/1000, model.Sites[k].Name)
		}
	}
	return address
}

// buildProfile turns the scenario's hour-of-day and day-of-week weights
// into rate factors with mean 1 over the week (flat when missing).
func (g *Generator) buildProfile() {
	d := g.sc.Demand
	sum := 0.0
	if len(d.HourOfDay) == 24 && len(d.DayOfWeek) == 7 {
		for _, dw := range d.DayOfWeek {
			for _, hw := range d.HourOfDay {
				sum += dw * hw
			}
		}
	}
	g.peak = 0
	for i := range g.profile {
		g.profile[i] = 1
		if sum > 0 {
			g.profile[i] = d.DayOfWeek[i/24] * d.HourOfDay[i%24] * float64(len(g.profile)) / sum
		}
		g.peak = max(g.peak, g.profile[i])
	}
}

// factor returns the rate factor at t.
func (g *Generator) factor(t time.Time) float64 {
	return g.profile[(int(t.Weekday())+6)%7*24+t.Hour()]
}

// retry is the pause before a step is tried again: a minute of the
// scenario, between 0.1 and 10 seconds.
func (g *Generator) retry() time.Duration {
	return min(max(g.Scale(1), 100*time.Millisecond), 10*time.Second)
}

// created returns the incidents the generator recorded.
func (g *Generator) created() []int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.mine)
}

// Run records incidents until ctx ends, each played through in a
// goroutine of its own, then waits for the incidents in play to stop.
func (g *Generator) Run(ctx context.Context) {
	defer g.wg.Wait()
	perSecond := g.perHour * g.peak / 3600
	if !(perSecond > 0) {
		return
	}
	for {
		// Thinning: candidates at the peak rate, each kept with the
		// profile's factor at its time over the peak.
		gap := time.Duration(min(g.rng.ExpFloat64()/perSecond, 1e9) * float64(time.Second))
		if !sleep(ctx, gap) {
			return
		}
		if g.rng.Float64()*g.peak >= g.factor(g.now()) {
			continue
		}
		in := g.newIncident(g.draw())
		in.discharge = g.drawDischarge()
		g.wg.Add(1)
		go in.play(ctx)
	}
}

// sleep waits d or until ctx ends, reporting whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// draw is everything random about one incident, drawn when it arises.
type draw struct {
	at      geo.Point
	address string
	call    int // index into calls
	// Minutes of the scenario.
	decide, mobilise, ratify, onScene float64
	authorised                        bool
	// early: stood down on the way, after earlyFrac of the drive.
	early     bool
	earlyFrac float64
}

// draw draws the next incident. The order of the draws is part of what a
// seed repeats: change it and a seed no longer gives the calls it gave.
func (g *Generator) draw() draw {
	r := g.rng
	i := sort.SearchFloat64s(g.cum, r.Float64()*g.cum[len(g.cum)-1])
	st := g.sites[min(i, len(g.sites)-1)]
	// Uniform over a disc of radius jitter.
	d, th := st.jitter*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
	at := geo.Point{Lat: st.at.Lat + d*math.Cos(th)/111_320, Lon: st.at.Lon + d*math.Sin(th)/(111_320*math.Cos(st.at.Lat*math.Pi/180))}
	if g.locate != nil {
		if _, err := g.locate(at.String()); err != nil {
			at = st.at // off the road network: the site itself
		}
	}
	dl := g.sc.Delays
	// The fields are drawn in the order written.
	return draw{
		at: at, address: st.address, call: r.IntN(len(calls)),
		decide:     minutes(dl.CallHandling, r) + minutes(dl.Authorisation, r),
		mobilise:   minutes(dl.Mobilisation, r),
		ratify:     minutes(arv.Dist{Kind: arv.DistTriangular, Min: ratifyMin, Mean: ratifyMode, Max: ratifyMax}, r),
		onScene:    minutes(g.sc.Demand.OnScene, r),
		authorised: r.Float64() >= notAuthorisedShare,
		early:      r.Float64() < g.sc.Demand.StoodDownShare,
		earlyFrac:  r.Float64(),
	}
}

// minutes draws from d with one uniform number, as the simulator does.
func minutes(d arv.Dist, r *rand.Rand) float64 { return d.Quantile(r.Float64()) }

// fail logs a failed step unless the generator is stopping: a conflict
// (another incident took the ARV first) as a warning, anything else as an
// error.
func (g *Generator) fail(ctx context.Context, id int64, step string, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return
	}
	level := slog.LevelError
	if arv.ErrorCode(err) == arv.ECONFLICT {
		level = slog.LevelWarn
	}
	g.log.Log(context.Background(), level, "generator: "+step+" failed", "incident", id, "err", err)
}
