package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/sim"
)

// The incident generator of "arv serve --demo --generate RATE" makes the
// live board move: it records made-up armed incidents through the real
// services, acting as the demo users (so the audit log names them), and
// plays each one through the authorisation record:
//
//   - the call handler records the call, at a place drawn from the
//     scenario's demand sites weighted as the simulator weights them
//     (settlements by population, the demand grid's cells, hotspots by
//     their share: sim.Model.Sites), a little off the site's centre;
//   - after the scenario's call-handling and authorisation delays the
//     ITFC decides: authorised, or for a share of calls not;
//   - the ITFC assigns the first eligible ARV of the recommendation,
//     trying again while none is free and standing the incident down as
//     handed to a neighbour after the scenario's mutual-aid wait;
//   - after the scenario's mobilisation plus the assignment's road ETA
//     the armed officer reports the ARV on scene, at the incident;
//   - the SFC ratifies a few minutes after the authorisation, within the
//     incident's ratification window;
//   - after the scenario's on-scene time the ITFC stands the incident
//     down (a share are stood down on the way, as the simulator does).
//
// Every delay is the scenario's (or an assumption named below) divided
// by the speed-up: at the default 10, a 20-minute drive plays in 2
// minutes. Arrivals are a Poisson process at RATE a wall-clock hour on
// average over the week, shaped by the scenario's hour-of-day and
// day-of-week weights at the store's clock. All random draws of an
// incident are made when it arises, from one seeded math/rand/v2 source,
// so a seed repeats the same calls (what the board shows still depends
// on timing). The records carry real times from the store's clock: the
// response times of a generated demo are compressed by the speed-up.
//
// The generator acts only on the incidents it recorded, and leaves one
// alone as soon as its record shows a step it did not take (a person
// decided, assigned, ratified or stood it down). Errors are logged; a
// failing step is tried again a few times, then skipped or the incident
// left. It stops when its context ends.

// Defaults and bounds of --generate.
const (
	defaultSpeedup     = 10
	maxGeneratePerHour = 3600
	maxSpeedup         = 1000
)

// Assumptions of the generator (no scenario field holds them).
const (
	// genNotAuthorisedShare is the share of calls the ITFC declines:
	// the scenario's demand counts only incidents that needed an ARV,
	// so this is extra (assumption: about one call in seven raised to the
	// ITFC does not meet "reason to suppose").
	genNotAuthorisedShare = 0.15
	// genRatify is the SFC's time to ratify after the authorisation, in
	// minutes (assumption: 2 to 12, mostly about 5, inside the default
	// 15-minute window; capped at 80% of the incident's own window).
	genRatifyMin, genRatifyMode, genRatifyMax = 2.0, 5.0, 12.0
	// genMutualAidMinutes is the wait for a free ARV when the scenario
	// gives none.
	genMutualAidMinutes = 10.0
	// genNoRouteMinutes is the drive assumed when the assignment has no
	// road ETA.
	genNoRouteMinutes = 30.0
	// genTries is how many times a failing step is tried.
	genTries = 3
)

// generateSpec is the value of --generate: RATE[,speedup=N][,seed=N].
type generateSpec struct {
	// PerHour is the mean rate in incidents per wall-clock hour; 0 is
	// off.
	PerHour float64
	// Speedup divides every delay; 0 means defaultSpeedup.
	Speedup float64
	// Seed seeds the draws when HasSeed; otherwise one is chosen.
	Seed    uint64
	HasSeed bool
	text    string
}

func (g *generateSpec) String() string { return g.text }

// Set parses the flag's value.
func (g *generateSpec) Set(s string) error {
	v, err := parseGenerate(s)
	if err != nil {
		return err
	}
	*g = v
	return nil
}

func (g generateSpec) speedup() float64 {
	if g.Speedup <= 0 {
		return defaultSpeedup
	}
	return g.Speedup
}

// parseGenerate parses "12/h", "0.5/min", "100/day" or a bare number
// (per hour), optionally followed by ",speedup=N" and ",seed=N".
func parseGenerate(s string) (generateSpec, error) {
	out := generateSpec{text: s}
	parts := strings.Split(s, ",")
	num, per, hasUnit := strings.Cut(strings.TrimSpace(parts[0]), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(v >= 0) || math.IsInf(v, 0) {
		return out, fmt.Errorf("give a rate such as 12/h (incidents an hour), 0.5/min or 100/day")
	}
	if hasUnit {
		switch strings.ToLower(strings.TrimSpace(per)) {
		case "h", "hr", "hour":
		case "m", "min", "minute":
			v *= 60
		case "d", "day":
			v /= 24
		default:
			return out, fmt.Errorf("rate unit %q: give /h, /min or /day", per)
		}
	}
	if v > maxGeneratePerHour {
		return out, fmt.Errorf("at most %d incidents an hour", maxGeneratePerHour)
	}
	out.PerHour = v
	for _, opt := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(opt), "=")
		switch k {
		case "speedup":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil || !(f >= 1 && f <= maxSpeedup) {
				return out, fmt.Errorf("speedup=%s: give a number from 1 to %d", val, maxSpeedup)
			}
			out.Speedup = f
		case "seed":
			n, err := strconv.ParseUint(val, 10, 64)
			if err != nil {
				return out, fmt.Errorf("seed=%s: give a whole number", val)
			}
			out.Seed, out.HasSeed = n, true
		default:
			return out, fmt.Errorf("unknown option %q: give speedup=N or seed=N after the rate", opt)
		}
	}
	return out, nil
}

// startGenerator starts the generator when spec is on, printing its
// settings and seed, and returns what stops it and waits for it. It never
// stops the server: when the generator cannot start, it says why on
// stderr and the server runs without it.
func startGenerator(ctx context.Context, m *Main, svc arv.Services, ls *loadedScenario, spec generateSpec) (stop func()) {
	if spec.PerHour <= 0 {
		return func() {}
	}
	g, err := newGenerator(ctx, svc, ls, m, spec)
	if err != nil {
		fmt.Fprintf(m.Stderr, "arv serve: --generate: %v; serving without generated incidents\n", err)
		return func() {}
	}
	fmt.Fprintf(m.Stdout, "\nGenerating incidents (marked \"Demo:\"): %g an hour on average, played %gx faster (a 20-minute drive takes %s), seed %d.\n",
		spec.PerHour, g.speedup, g.scale(20).Round(time.Second), g.seed)
	gctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if v := recover(); v != nil {
				g.log.Error("generator: panic; no more incidents", "panic", v, "stack", string(debug.Stack()))
			}
		}()
		g.Run(gctx)
	}()
	return func() { cancel(); <-done }
}

// generator records and plays made-up incidents.
type generator struct {
	svc     arv.Services
	sc      *arv.Scenario
	now     func() time.Time
	log     *slog.Logger
	perHour float64
	speedup float64
	seed    uint64
	// handler, itfc, sfc and officer are the users it acts as.
	handler, itfc, sfc, officer *arv.User

	sites []genSite
	cum   []float64 // cumulative site weights
	// locate checks a drawn position is on the road network (may be nil).
	locate func(string) (geo.Point, error)
	// profile is the rate factor of each hour of the week (Monday 00:00
	// first, mean 1) and peak its largest.
	profile [7 * 24]float64
	peak    float64

	rng *rand.Rand // used by Run's goroutine only

	mu   sync.Mutex
	mine []int64 // incidents it recorded
	wg   sync.WaitGroup
}

// genSite is a place incidents arise.
type genSite struct {
	at      geo.Point
	address string
	jitter  float64 // metres an incident may lie from at
}

// newGenerator prepares a generator on the scenario's compiled model,
// acting as the demo users of svc.
func newGenerator(ctx context.Context, svc arv.Services, ls *loadedScenario, m *Main, spec generateSpec) (*generator, error) {
	g, err := newDraws(ls, m, spec)
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
func newDraws(ls *loadedScenario, m *Main, spec generateSpec) (*generator, error) {
	g := &generator{sc: ls.Scenario, now: m.now, perHour: spec.PerHour, speedup: spec.speedup(), seed: spec.Seed,
		log: slog.New(slog.NewTextHandler(m.Stderr, nil))}
	if !spec.HasSeed {
		g.seed = rand.Uint64()
	}
	g.rng = rand.New(rand.NewPCG(g.seed, 0x61727667656e)) // "arvgen"
	if err := g.buildSites(ls.Model, ls.Router.Locate); err != nil {
		return nil, err
	}
	g.buildProfile()
	return g, nil
}

// findUsers picks the demo users, or else the first enabled user of each
// role.
func (g *generator) findUsers(ctx context.Context) error {
	users, err := g.svc.FindUsers(arv.NewContextWithUser(ctx, arv.SystemUser))
	if err != nil {
		return err
	}
	pick := func(username string, role arv.Role) (*arv.User, error) {
		var other *arv.User
		for _, u := range users {
			if u.Disabled || u.Role != role {
				continue
			}
			if u.Username == username {
				return u, nil
			}
			if other == nil {
				other = u
			}
		}
		if other == nil {
			return nil, fmt.Errorf("no enabled %s user to act as (start with --demo)", strings.ToLower(role.Title()))
		}
		return other, nil
	}
	for _, p := range []struct {
		dst  **arv.User
		name string
		role arv.Role
	}{{&g.handler, "handler", arv.RoleCallHandler}, {&g.itfc, "itfc", arv.RoleITFC}, {&g.sfc, "sfc", arv.RoleSFC}, {&g.officer, "officer", arv.RoleArmedOfficer}} {
		if *p.dst, err = pick(p.name, p.role); err != nil {
			return err
		}
	}
	return nil
}

// buildSites takes the model's demand sites with their weights; grid
// cells are described by the nearest named site.
func (g *generator) buildSites(model *sim.Model, locate func(string) (geo.Point, error)) error {
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
		site := genSite{at: at, address: s.Name, jitter: 500}
		if s.Urban {
			site.jitter = 1000
		}
		if s.Group == sim.DispersedGroup {
			site.jitter = 2000
			site.address = "Rural location"
			best := math.Inf(1)
			for _, k := range named {
				if d := geo.Distance(at, model.Points[model.Sites[k].Point]); d < best {
					best, site.address = d, fmt.Sprintf("Rural location %.0f km from %s", d/1000, model.Sites[k].Name)
				}
			}
		}
		total += s.Weight
		g.sites = append(g.sites, site)
		g.cum = append(g.cum, total)
	}
	if len(g.sites) == 0 {
		return errors.New("the scenario has no demand site with a weight")
	}
	g.locate = locate
	return nil
}

// buildProfile turns the scenario's hour-of-day and day-of-week weights
// into rate factors with mean 1 over the week (flat when missing).
func (g *generator) buildProfile() {
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
func (g *generator) factor(t time.Time) float64 {
	return g.profile[(int(t.Weekday())+6)%7*24+t.Hour()]
}

// scale returns the wall-clock time that minutes of the scenario take.
func (g *generator) scale(minutes float64) time.Duration {
	if !(minutes > 0) {
		return 0
	}
	return time.Duration(minutes * 60 / g.speedup * float64(time.Second))
}

// retry is the pause before a step is tried again: a minute of the
// scenario, between 0.1 and 10 seconds.
func (g *generator) retry() time.Duration {
	return min(max(g.scale(1), 100*time.Millisecond), 10*time.Second)
}

// created returns the incidents the generator recorded.
func (g *generator) created() []int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.mine)
}

// Run records incidents until ctx ends, then waits for the incidents in
// play to stop.
func (g *generator) Run(ctx context.Context) {
	defer g.wg.Wait()
	perSecond := g.perHour * g.peak / 3600
	if !(perSecond > 0) {
		return
	}
	for {
		// Thinning: candidates at the peak rate, each kept with the
		// profile's factor at its time over the peak.
		gap := time.Duration(min(g.rng.ExpFloat64()/perSecond, 1e9) * float64(time.Second))
		if !genSleep(ctx, gap) {
			return
		}
		if g.rng.Float64()*g.peak >= g.factor(g.now()) {
			continue
		}
		p := g.draw()
		g.wg.Add(1)
		go g.play(ctx, p)
	}
}

// genSleep waits d or until ctx ends, reporting whether ctx is still live.
func genSleep(ctx context.Context, d time.Duration) bool {
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

// genPlan is everything random about one incident, drawn when it arises.
type genPlan struct {
	at      geo.Point
	address string
	call    int // index into genCalls
	// Minutes of the scenario.
	decide, mobilise, ratify, onScene float64
	authorised                        bool
	// early: stood down on the way, after earlyFrac of the drive.
	early     bool
	earlyFrac float64
}

// draw draws the next incident.
func (g *generator) draw() genPlan {
	r := g.rng
	i := sort.SearchFloat64s(g.cum, r.Float64()*g.cum[len(g.cum)-1])
	site := g.sites[min(i, len(g.sites)-1)]
	// Uniform over a disc of radius jitter.
	d, th := site.jitter*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
	at := geo.Point{Lat: site.at.Lat + d*math.Cos(th)/111_320, Lon: site.at.Lon + d*math.Sin(th)/(111_320*math.Cos(site.at.Lat*math.Pi/180))}
	if g.locate != nil {
		if _, err := g.locate(at.String()); err != nil {
			at = site.at // off the road network: the site itself
		}
	}
	dl := g.sc.Delays
	p := genPlan{
		at: at, address: site.address, call: r.IntN(len(genCalls)),
		decide:     sampleMinutes(dl.CallHandling, r) + sampleMinutes(dl.Authorisation, r),
		mobilise:   sampleMinutes(dl.Mobilisation, r),
		ratify:     sampleMinutes(arv.Dist{Kind: arv.DistTriangular, Min: genRatifyMin, Mean: genRatifyMode, Max: genRatifyMax}, r),
		onScene:    sampleMinutes(g.sc.Demand.OnScene, r),
		authorised: r.Float64() >= genNotAuthorisedShare,
		early:      r.Float64() < g.sc.Demand.StoodDownShare,
		earlyFrac:  r.Float64(),
	}
	return p
}

// sampleMinutes draws from d by inversion, as the simulator does.
func sampleMinutes(d arv.Dist, r *rand.Rand) float64 {
	u := r.Float64()
	switch d.Kind {
	case arv.DistFixed:
		return d.Mean
	case arv.DistExponential:
		return -d.Mean * math.Log1p(-u)
	case arv.DistLognormal:
		if !(d.Mean > 0) {
			return 0
		}
		s2 := math.Log1p(d.SD * d.SD / (d.Mean * d.Mean))
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		return math.Exp(math.Log(d.Mean) - s2/2 + math.Sqrt(s2)*z)
	case arv.DistUniform:
		return d.Min + (d.Max-d.Min)*u
	case arv.DistTriangular:
		a, c, b := d.Min, d.Mean, d.Max
		switch {
		case b <= a:
			return a
		case u < (c-a)/(b-a):
			return a + math.Sqrt(u*(b-a)*(c-a))
		default:
			return b - math.Sqrt((1-u)*(b-a)*(b-c))
		}
	}
	return 0
}

// genCall is a kind of call with what the record says about it.
type genCall struct {
	what    string
	ind     arv.Indicators
	limb    arv.Limb
	threat  string
	tactics string
	// outcome is the stand-down reason after the ARV arrived; before
	// says why it was stood down on the way.
	outcome, before string
}

var genCalls = []genCall{
	{"Man seen pointing a handgun at people outside shops", arv.Indicators{FirearmSeen: true}, arv.LimbWeapon,
		"High: a firearm seen in a public place.", "Contain at a distance; ARV to challenge from cover.",
		"Suspect detained; imitation pistol recovered.", "Suspect detained by unarmed officers; the gun was an imitation."},
	{"Shots heard; caller saw a man with a long-barrelled gun crossing a field", arv.Indicators{FirearmSeen: true, FirearmHeard: true}, arv.LimbWeapon,
		"High: shots fired, gunman at large.", "Search from the last sighting; cordon the lanes.",
		"Man traced: a licensed shotgun holder shooting vermin; no offence.", "Caller rang back: a farmer shooting pigeons; licence confirmed."},
	{"Man threatening shop staff with a large knife, saying he will kill them", arv.Indicators{BladedWeapon: true, ThreatsToKill: true}, arv.LimbWeapon,
		"High: bladed weapon and threats to kill, staff and public present.", "Contain; Taser and baton rounds available; negotiate.",
		"Suspect detained after Taser discharge; knife recovered.", "Suspect detained by the local unit before the ARV arrived."},
	{"Domestic: ex-partner seen with a shotgun outside the house, threatening to kill", arv.Indicators{FirearmSeen: true, ThreatsToKill: true}, arv.LimbWeapon,
		"High: firearm and threats to kill a known person.", "Protect the victim; contain the address; call-out.",
		"Suspect arrested; shotgun seized; victim safe.", "Suspect arrested on the road by unarmed officers; shotgun seized."},
	{"Man barricaded in a flat with his partner, says he has a gun and will use it", arv.Indicators{Hostage: true, ThreatsToKill: true}, arv.LimbDangerous,
		"High: hostage and threats to kill; weapon claimed, not seen.", "Contain; negotiator requested; no forced entry.",
		"Man surrendered to negotiators; no firearm found; partner unhurt.", "Partner left the flat safely; man surrendered to local officers."},
	{"Fight in the street, one man with a machete; one person injured", arv.Indicators{BladedWeapon: true, OtherWeapon: true, Casualties: 1}, arv.LimbWeapon,
		"High: weapon used, one casualty, offenders on scene.", "Contain; protect paramedics; arrest.",
		"Two men arrested; machete recovered; casualty to hospital.", "Offenders fled; area searched by unarmed units; ARV released."},
	{"Aggressive dog attacking sheep and people on a footpath; owner cannot control it", arv.Indicators{}, arv.LimbAnimal,
		"Medium: dangerous animal, people and livestock at risk.", "Destroy the animal if it cannot be contained safely.",
		"Dog contained by the dog handler; no shots fired.", "Owner regained control of the dog; dog handler attending."},
	{"Car occupants seen loading a pistol in a car park; car now on the main road", arv.Indicators{FirearmSeen: true}, arv.LimbWeapon,
		"High: firearm in a moving vehicle.", "Track the vehicle; enforced stop with support.",
		"Vehicle stopped; occupants arrested; pistol recovered.", "Vehicle stopped by roads policing; nothing found; ARV released."},
}

// actAs returns ctx acting as u.
func actAs(ctx context.Context, u *arv.User) context.Context { return arv.NewContextWithUser(ctx, u) }

// fail logs a failed step unless the generator is stopping: a conflict
// (another incident took the ARV first) as a warning, anything else as an
// error.
func (g *generator) fail(ctx context.Context, id int64, step string, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return
	}
	level := slog.LevelError
	if arv.ErrorCode(err) == arv.ECONFLICT {
		level = slog.LevelWarn
	}
	g.log.Log(context.Background(), level, "generator: "+step+" failed", "incident", id, "err", err)
}

// check reloads incident id and reports whether want holds; when it does
// not, someone else has acted on it and the generator leaves it.
func (g *generator) check(ctx context.Context, id int64, step string, want func(*arv.Incident) bool) (*arv.Incident, bool) {
	inc, err := g.svc.FindIncidentByID(actAs(ctx, g.itfc), id)
	if err != nil {
		g.fail(ctx, id, "reload before "+step, err)
		return nil, false
	}
	if !want(inc) {
		g.log.Info("generator: incident changed by someone else; leaving it to them", "incident", id, "step", step, "status", inc.Status)
		return nil, false
	}
	return inc, true
}

// openOn returns the open assignment of unit on inc, or nil.
func openOn(inc *arv.Incident, unit int64) *arv.Assignment {
	for i := range inc.Assignments {
		if a := &inc.Assignments[i]; a.UnitID == unit && a.ReleasedAt == nil {
			return a
		}
	}
	return nil
}

func openAssignments(inc *arv.Incident) int {
	n := 0
	for _, a := range inc.Assignments {
		if a.ReleasedAt == nil {
			n++
		}
	}
	return n
}

func (g *generator) decision(p genPlan) arv.DecisionRequest {
	c := genCalls[p.call]
	d := arv.DecisionRequest{
		Authorised: p.authorised,
		NDM: arv.NDM{
			Information:     "999 call: " + c.what + " (" + p.address + ").",
			Threat:          c.threat,
			PowersAndPolicy: "APP armed policing: reason to suppose; s3 Criminal Law Act 1967 and common law.",
			Options:         "Armed deployment; unarmed officers with Taser; gather more information first.",
			ActionAndReview: "Nearest ARV to attend; review on arrival and as information comes in.",
		},
	}
	if p.authorised {
		d.Limb, d.Tactics = c.limb, c.tactics
		return d
	}
	d.NDM.Threat = "Low on what is known: the account is second-hand and no weapon has been confirmed."
	d.NDM.PowersAndPolicy = "APP armed policing: no reason to suppose yet."
	d.NDM.ActionAndReview = "Unarmed officers attend; review if a weapon is confirmed."
	d.Rationale = "Not authorised: the caller's account is second-hand and nothing confirms a weapon; unarmed officers attend."
	return d
}

// play records one incident and plays it through.
func (g *generator) play(ctx context.Context, p genPlan) {
	defer g.wg.Done()
	defer func() {
		if v := recover(); v != nil {
			g.log.Error("generator: panic", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	c := genCalls[p.call]
	inc, err := g.svc.CreateIncident(actAs(ctx, g.handler), arv.NewIncident{Position: &p.at, Address: p.address, Description: "Demo: " + c.what, Indicators: c.ind})
	if err != nil {
		g.fail(ctx, 0, "record the call", err)
		return
	}
	id := inc.ID
	g.mu.Lock()
	g.mine = append(g.mine, id)
	g.mu.Unlock()
	g.log.Info("generator: incident recorded", "incident", id, "at", p.address, "class", inc.Class)

	if !genSleep(ctx, g.scale(p.decide)) {
		return
	}
	if _, ok := g.check(ctx, id, "decide", func(i *arv.Incident) bool {
		return i.Status == arv.IncidentAwaitingDecision && len(i.Decisions) == 0
	}); !ok {
		return
	}
	if inc, err = g.svc.Decide(actAs(ctx, g.itfc), id, g.decision(p)); err != nil {
		g.fail(ctx, id, "decide", err)
		return
	}
	if !p.authorised {
		return
	}

	// From the authorisation: ratification, assignment, arrival and
	// stand-down, each at its time, in time order.
	start := time.Now()
	ratifyAt := start.Add(g.scale(p.ratify))
	if inc.RatifyDue != nil && inc.AuthorisedAt != nil {
		ratifyAt = genMinTime(ratifyAt, start.Add(inc.RatifyDue.Sub(*inc.AuthorisedAt)*8/10))
	}
	wait := g.sc.MutualAid.AfterMinutes
	if !(wait > 0) {
		wait = genMutualAidMinutes
	}
	giveUp := start.Add(g.scale(wait))
	var (
		unit              int64
		assignAt          = start
		arriveAt, standAt time.Time
		ratified, arrived bool
		giveUpReason      string
		tries             = map[string]int{}
	)
	// again schedules a failed step once more, or reports that it has
	// been tried enough.
	again := func(step string, at *time.Time, err error) bool {
		g.fail(ctx, id, step, err)
		if tries[step]++; tries[step] >= genTries {
			return false
		}
		*at = time.Now().Add(g.retry())
		return true
	}
	for {
		step, at := "", time.Time{}
		consider := func(s string, t time.Time) {
			if !t.IsZero() && (at.IsZero() || t.Before(at)) {
				step, at = s, t
			}
		}
		if !ratified {
			consider("ratify", ratifyAt)
		}
		if unit == 0 {
			consider("assign", assignAt)
		} else if !arrived {
			consider("arrive", arriveAt)
		}
		consider("stand down", standAt)
		if step == "" || !genSleep(ctx, time.Until(at)) {
			return
		}
		switch step {
		case "ratify":
			if _, ok := g.check(ctx, id, step, func(i *arv.Incident) bool {
				return i.Status == arv.IncidentAuthorised && i.RatifiedAt == nil
			}); !ok {
				return
			}
			_, err := g.svc.Ratify(actAs(ctx, g.sfc), id, arv.RatificationRequest{Ratify: true,
				Rationale: "Ratified: armed deployment is necessary and proportionate to the threat reported; tactics appropriate."})
			if err != nil && again(step, &ratifyAt, err) {
				continue
			}
			ratified = true // or given up: the overdue-ratification alert shows it

		case "assign":
			if !time.Now().Before(giveUp) {
				giveUpReason = fmt.Sprintf("No ARV free within %g minutes: unarmed units attend.", wait)
				if nb := g.sc.MutualAid.Neighbours; len(nb) > 0 {
					giveUpReason = fmt.Sprintf("No ARV free within %g minutes: handed to %s under mutual aid.", wait, nb[0].Name)
				}
				assignAt, standAt = time.Time{}, time.Now()
				continue
			}
			if _, ok := g.check(ctx, id, step, func(i *arv.Incident) bool {
				return i.Status == arv.IncidentAuthorised && openAssignments(i) == 0
			}); !ok {
				return
			}
			assignAt = time.Now().Add(g.retry())
			recs, err := g.svc.Recommend(actAs(ctx, g.itfc), id)
			if err != nil {
				g.fail(ctx, id, "recommend", err)
				continue
			}
			k := slices.IndexFunc(recs, func(r arv.Recommendation) bool { return r.Eligible })
			if k < 0 {
				continue // none free: try again until the mutual-aid wait is over
			}
			after, err := g.svc.Assign(actAs(ctx, g.itfc), id, recs[k].UnitID)
			if err != nil {
				// Another incident may have taken the ARV since the
				// recommendation: ask again at once the first time, then
				// after the pause.
				g.fail(ctx, id, "assign "+recs[k].CallSign, err)
				if tries["assign"]++; tries["assign"] == 1 {
					assignAt = time.Now()
				}
				continue
			}
			unit = recs[k].UnitID
			drive := p.mobilise + genNoRouteMinutes
			if a := openOn(after, unit); a != nil && !math.IsInf(a.ETASeconds, 0) && !math.IsNaN(a.ETASeconds) {
				drive = p.mobilise + a.ETASeconds/60
			}
			now := time.Now()
			arriveAt = now.Add(g.scale(drive))
			if p.early {
				standAt = now.Add(g.scale(drive * p.earlyFrac))
			}

		case "arrive":
			cur, ok := g.check(ctx, id, step, func(i *arv.Incident) bool {
				a := openOn(i, unit)
				return i.Status == arv.IncidentAuthorised && a != nil && a.ArrivedAt == nil
			})
			if !ok {
				return
			}
			u, err := g.svc.FindUnitByID(actAs(ctx, g.itfc), unit)
			if err == nil && (u.IncidentID != id || u.Status != arv.StatusEnRoute) {
				g.log.Info("generator: ARV changed by someone else; leaving the incident to them", "incident", id, "unit", u.CallSign, "status", u.Status)
				return
			}
			if err == nil {
				_, err = g.svc.ReportStatus(actAs(ctx, g.officer), unit, arv.StatusReport{Status: arv.StatusOnScene, Position: &cur.Location})
			}
			if err != nil && again(step, &arriveAt, err) {
				continue
			}
			arrived = true // or given up: stand down after the time on scene all the same
			standAt = time.Now().Add(g.scale(p.onScene))

		case "stand down":
			reason := giveUpReason
			switch {
			case reason != "":
			case arrived:
				reason = c.outcome
			default:
				reason = "Stood down before arrival: " + c.before
			}
			if err := g.standDown(ctx, id, reason); err != nil && again(step, &standAt, err) {
				continue
			}
			return
		}
	}
}

// standDown stands incident id down as the ITFC, unless someone else has
// acted on it.
func (g *generator) standDown(ctx context.Context, id int64, reason string) error {
	if _, ok := g.check(ctx, id, "stand down", func(i *arv.Incident) bool { return i.Status == arv.IncidentAuthorised }); !ok {
		return nil
	}
	_, err := g.svc.StandDown(actAs(ctx, g.itfc), id, arv.StandDown{Reason: reason})
	return err
}

func genMinTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
