package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/des"
)

// Options set a run.
type Options struct {
	// Years is the simulated time of each replication after its warm-up.
	Years float64
	// Replications is the number of independent replications.
	Replications int
	// WarmupDays is simulated before the statistics start, from an empty
	// system, and discarded.
	WarmupDays float64
	// Seed makes the run reproducible: the same model, options and seed
	// give the same result, whatever the number of workers.
	Seed uint64
	// Workers is the number of replications run at once. Default:
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, when set, is called after each replication with the
	// number done, from the goroutine that finished it.
	Progress func(done, total int)
}

// OptionsFor returns the scenario's own run settings.
func OptionsFor(s *arv.Scenario) Options {
	return Options{
		Years:        s.Simulation.Years,
		Replications: s.Simulation.Replications,
		WarmupDays:   s.Simulation.WarmupDays,
		Seed:         s.Simulation.Seed,
	}
}

const (
	day  = 86400.0
	week = 7 * day
	year = 365.25 * day
)

// Random streams, one per purpose, so that a change in one part of the
// model does not shift the random numbers of another (common random
// numbers across scenarios).
const (
	streamArrivals = iota
	streamSites
	streamDelays
	streamScene
	streamDecisions
	streamMutualAid
	streamShifts
)

// ARV states.
const (
	stOff       uint8 = iota // not crewed
	stIdle                   // at its base, free
	stReturning              // driving back to base, free
	stToScene                // driving to an incident
	stOnScene                // at an incident
	stPatrol                 // committed to a key-site patrol
)

// Event kinds.
const (
	evArrival uint8 = iota
	evDispatchable
	evArrive
	evClear
	evBack
	evStandDown
	evMutualAid
	evShift
	evKeyStart
	evKeyEnd
	evEnd
)

// event is the payload of the future-event list: small and pointer-free.
type event struct {
	kind uint8
	a    int32  // ARV, shift or key site
	i    int32  // incident
	ver  uint32 // ARV version when scheduled (lazy cancellation)
}

type arvState struct {
	status   uint8
	crewed   bool
	offAfter bool  // go off duty when the current job ends
	pos      int32 // where it is, or where its current trip started
	dest     int32
	tDep     float64
	tArr     float64
	incident int32
	keySite  int32
	ver      uint32
	since    float64 // start of the current status, for time accounting

	crewedTime, busyTime, patrolTime float64
}

type incident struct {
	t0       float64 // the 999 call
	site     int32
	urban    bool
	counted  bool // arose after the warm-up
	need     int8 // ARVs still to send
	assigned int8
	arvs     [2]int32
	first    float64 // first own ARV on scene, -1 before
	done     bool
	mutual   bool
	stood    bool // stood down
	queued   bool

	callToReady float64 // call handling + authorisation, s
	mob         float64 // mobilisation, s
	onScene     float64 // s
	standDown   bool    // will be stood down before arrival
	standFrac   float64 // when, as a fraction of the first ETA or of the wait
	maArrival   float64 // neighbours' arrival after the request, s (+Inf without neighbours)
}

// rep is one replication's state.
type rep struct {
	m       *Model
	q       des.Queue[event]
	r       [streamShifts + 1]*rand.Rand
	arvs    []arvState
	inc     []incident
	queue   []int32
	qhead   int
	free    int // ARVs free for dispatch
	crewed  int
	warm    float64
	end     float64
	last    float64
	minimum int

	keyARV     []int32
	keyPending []bool
	keySince   []float64

	// Statistics, after the warm-up only.
	resp      []response
	allBusy   float64
	belowMin  float64
	keyShort  float64
	events    int64
	outcome   Outcomes
	generated int
}

type response struct {
	minutes float64
	site    int32
	urban   bool
	mutual  bool
}

// Outcomes counts what became of the incidents that arose after the
// warm-up. Every incident ends in exactly one field.
type Outcomes struct {
	Responded   int `json:"responded"`       // an own ARV arrived
	MutualAid   int `json:"mutual_aid"`      // handed to a neighbouring force
	StoodDown   int `json:"stood_down"`      // stood down before any ARV arrived
	EnRoute     int `json:"en_route_at_end"` // an ARV was on its way when the run ended
	Waiting     int `json:"waiting_at_end"`  // not yet answered when the run ended
	Incidents   int `json:"incidents"`       // all of them
	Unconserved int `json:"-"`               // incidents in none of the fields (a defect)
}

func newRep(m *Model, opt Options, replication int) *rep {
	st := des.NewStreams(opt.Seed, replication)
	s := &rep{m: m}
	for k := range s.r {
		s.r[k] = st.Stream(k)
	}
	s.warm = opt.WarmupDays * day
	s.end = s.warm + opt.Years*year
	s.minimum = m.Scenario.MinimumComplement
	s.arvs = make([]arvState, len(m.ARVs))
	for i, a := range m.ARVs {
		s.arvs[i] = arvState{status: stOff, pos: int32(a.Base), dest: int32(a.Base), incident: -1, keySite: -1}
	}
	s.keyARV = make([]int32, len(m.KeySites))
	s.keyPending = make([]bool, len(m.KeySites))
	s.keySince = make([]float64, len(m.KeySites))
	for k := range s.keyARV {
		s.keyARV[k] = -1
	}
	return s
}

// run simulates one replication.
func (s *rep) run(ctx context.Context) error {
	m := s.m
	s.q.Schedule(s.end, event{kind: evEnd})
	// The shift on duty at midnight is the day's last one.
	if n := len(m.ShiftStarts); n > 0 {
		k := n - 1
		for j, st := range m.ShiftStarts {
			if st == 0 {
				k = j
			}
		}
		s.q.Schedule(0, event{kind: evShift, a: int32(k)})
		for j, st := range m.ShiftStarts {
			if st > 0 {
				s.q.Schedule(st, event{kind: evShift, a: int32(j)})
			}
		}
	}
	for k, ks := range m.KeySites {
		s.q.Schedule(ks.Start, event{kind: evKeyStart, a: int32(k)})
	}
	if t := m.rate.next(s.r[streamArrivals], 0); t < s.end {
		s.q.Schedule(t, event{kind: evArrival})
	}
	for {
		now, e, ok := s.q.Next()
		if !ok {
			break
		}
		s.events++
		if s.events&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		s.advance(now)
		if e.kind == evEnd {
			break
		}
		s.handle(now, e)
	}
	s.finish()
	return nil
}

// advance accumulates the time-weighted statistics up to now.
func (s *rep) advance(now float64) {
	from := math.Max(s.last, s.warm)
	if now > from {
		dt := now - from
		if s.free == 0 {
			s.allBusy += dt
		}
		if s.crewed < s.minimum {
			s.belowMin += dt
		}
		for _, p := range s.keyPending {
			if p {
				s.keyShort += dt
			}
		}
	}
	s.last = now
}

func (s *rep) handle(now float64, e event) {
	switch e.kind {
	case evArrival:
		s.arrival(now)
	case evDispatchable:
		s.dispatchable(now, e.i)
	case evArrive:
		if a := &s.arvs[e.a]; a.ver == e.ver && a.status == stToScene {
			s.arrive(now, int(e.a), e.i)
		}
	case evClear:
		s.clear(now, e.i)
	case evBack:
		if a := &s.arvs[e.a]; a.ver == e.ver && a.status == stReturning {
			s.back(now, int(e.a))
		}
	case evStandDown:
		s.standDown(now, e.i)
	case evMutualAid:
		s.mutualAid(now, e.i)
	case evShift:
		s.shift(now, int(e.a))
	case evKeyStart:
		s.keyStart(now, int(e.a))
	case evKeyEnd:
		s.keyEnd(now, int(e.a))
	}
}

// sample draws from a scenario distribution, in seconds.
func sample(d arv.Dist, r *rand.Rand) float64 {
	var minutes float64
	switch d.Kind {
	case arv.DistFixed:
		minutes = d.Mean
	case arv.DistExponential:
		minutes = des.Exponential(r, d.Mean)
	case arv.DistLognormal:
		minutes = des.Lognormal(r, d.Mean, d.SD)
	case arv.DistUniform:
		minutes = des.Uniform(r, d.Min, d.Max)
	case arv.DistTriangular:
		minutes = des.Triangular(r, d.Min, d.Mean, d.Max)
	}
	return minutes * 60
}

// arrival creates an incident, drawing everything random about it now.
func (s *rep) arrival(now float64) {
	m := s.m
	sc := m.Scenario
	site := m.Sites[m.siteDraw.draw(s.r[streamSites])]
	dr := s.r[streamDelays]
	ch, au, mob := sample(sc.Delays.CallHandling, dr), sample(sc.Delays.Authorisation, dr), sample(sc.Delays.Mobilisation, dr)
	dec := s.r[streamDecisions]
	two, stood, frac := dec.Float64(), dec.Float64(), dec.Float64()
	in := incident{
		t0: now, site: int32(site.Point), urban: site.Urban, counted: now >= s.warm,
		need: 1, first: -1,
		callToReady: ch + au, mob: mob,
		onScene:   sample(sc.Demand.OnScene, s.r[streamScene]),
		standDown: stood < sc.Demand.StoodDownShare, standFrac: frac,
		maArrival: math.Inf(1),
	}
	if two < sc.Demand.TwoARVShare {
		in.need = 2
	}
	mr := s.r[streamMutualAid]
	for k, nb := range sc.MutualAid.Neighbours {
		t := sample(nb.Arrival, mr)
		if e := m.Entries[k]; e >= 0 {
			t += m.travel(e, site.Point)
		}
		in.maArrival = math.Min(in.maArrival, t)
	}
	s.inc = append(s.inc, in)
	id := int32(len(s.inc) - 1)
	if in.counted {
		s.generated++
	}
	s.q.Schedule(now+in.callToReady, event{kind: evDispatchable, i: id})
	if t := m.rate.next(s.r[streamArrivals], now); t < s.end {
		s.q.Schedule(t, event{kind: evArrival})
	}
}

// maxWait is how long an unanswered incident can wait before a stand-down
// is timed against it: the mutual-aid threshold, or 30 minutes
// (assumption) for forces with no neighbours configured.
func (s *rep) maxWait() float64 {
	if len(s.m.Scenario.MutualAid.Neighbours) > 0 {
		return s.m.Scenario.MutualAid.AfterMinutes * 60
	}
	return 30 * 60
}

func (s *rep) dispatchable(now float64, id int32) {
	in := &s.inc[id]
	if in.done {
		return
	}
	for in.need > 0 {
		a := s.bestFree(int(in.site), now)
		if a < 0 {
			break
		}
		s.assign(now, a, id)
	}
	if in.need > 0 {
		s.enqueue(id)
	}
	if in.assigned == 0 && len(s.m.Scenario.MutualAid.Neighbours) > 0 {
		s.q.Schedule(now+s.m.Scenario.MutualAid.AfterMinutes*60, event{kind: evMutualAid, i: id})
	}
	if in.standDown {
		wait := s.maxWait()
		if in.assigned > 0 {
			wait = s.arvs[in.arvs[0]].tArr - now
		}
		s.q.Schedule(now+in.standFrac*wait, event{kind: evStandDown, i: id})
	}
}

// eta returns the time for ARV a to reach point to, from where it is.
func (s *rep) eta(a *arvState, to int, now float64) float64 {
	m := s.m
	if a.status == stReturning && a.tArr > a.tDep {
		f := math.Min(1, math.Max(0, (now-a.tDep)/(a.tArr-a.tDep)))
		return (1-f)*m.travel(int(a.pos), to) + f*m.travel(int(a.dest), to)
	}
	return m.travel(int(a.pos), to)
}

func (a *arvState) isFree() bool {
	return a.crewed && !a.offAfter && (a.status == stIdle || a.status == stReturning)
}

// bestFree returns the free ARV that would reach point to first, or -1.
func (s *rep) bestFree(to int, now float64) int {
	best, bestT := -1, math.Inf(1)
	for i := range s.arvs {
		a := &s.arvs[i]
		if !a.isFree() {
			continue
		}
		if t := s.eta(a, to, now); t < bestT {
			best, bestT = i, t
		}
	}
	return best
}

// setStatus changes an ARV's status or crewing, keeping the counters and
// its time accounting.
func (s *rep) setStatus(now float64, i int, status uint8, crewed bool) {
	a := &s.arvs[i]
	if from := math.Max(a.since, s.warm); now > from {
		d := now - from
		if a.crewed {
			a.crewedTime += d
		}
		switch a.status {
		case stToScene, stOnScene:
			a.busyTime += d
		case stPatrol:
			a.patrolTime += d
		}
	}
	a.since = now
	wasFree, wasCrewed := a.isFree(), a.crewed
	a.status, a.crewed = status, crewed
	if f := a.isFree(); f != wasFree {
		if f {
			s.free++
		} else {
			s.free--
		}
	}
	if crewed != wasCrewed {
		if crewed {
			s.crewed++
		} else {
			s.crewed--
		}
	}
}

// setOffAfter marks an ARV to go off duty after its job.
func (s *rep) setOffAfter(now float64, i int, v bool) {
	a := &s.arvs[i]
	if a.offAfter == v {
		return
	}
	wasFree := a.isFree()
	a.offAfter = v
	if f := a.isFree(); f != wasFree {
		if f {
			s.free++
		} else {
			s.free--
		}
	}
}

// here settles a moving ARV at the nearer end of its trip, the point a
// new trip is taken to start from.
func (s *rep) here(now float64, a *arvState) {
	if a.status == stReturning || a.status == stToScene {
		if a.tArr <= a.tDep || (now-a.tDep)/(a.tArr-a.tDep) >= 0.5 {
			a.pos = a.dest
		}
	}
}

func (s *rep) assign(now float64, i int, id int32) {
	a := &s.arvs[i]
	in := &s.inc[id]
	t := in.mob + s.eta(a, int(in.site), now)
	s.here(now, a)
	s.setStatus(now, i, stToScene, a.crewed)
	a.dest = in.site
	a.tDep, a.tArr = now, now+t
	a.incident = id
	a.ver++
	in.arvs[in.assigned] = int32(i)
	in.assigned++
	in.need--
	s.q.Schedule(a.tArr, event{kind: evArrive, a: int32(i), i: id, ver: a.ver})
}

func (s *rep) enqueue(id int32) {
	in := &s.inc[id]
	if in.queued {
		return
	}
	in.queued = true
	s.queue = append(s.queue, id)
}

// nextWaiting removes and returns the oldest incident still needing an
// ARV, or -1.
func (s *rep) nextWaiting() int32 {
	for s.qhead < len(s.queue) {
		id := s.queue[s.qhead]
		in := &s.inc[id]
		if in.done || in.need == 0 {
			in.queued = false
			s.qhead++
			continue
		}
		if in.need == 1 {
			in.queued = false
			s.qhead++
		}
		if s.qhead > 1024 && s.qhead*2 > len(s.queue) { // compact
			s.queue = append(s.queue[:0], s.queue[s.qhead:]...)
			s.qhead = 0
		}
		return id
	}
	return -1
}

func (s *rep) arrive(now float64, i int, id int32) {
	a := &s.arvs[i]
	in := &s.inc[id]
	a.pos = a.dest
	s.setStatus(now, i, stOnScene, a.crewed)
	if in.first >= 0 || in.done {
		return
	}
	in.first = now
	if in.counted {
		s.resp = append(s.resp, response{minutes: (now - in.t0) / 60, site: in.site, urban: in.urban})
	}
	s.q.Schedule(now+in.onScene, event{kind: evClear, i: id})
}

// clear ends an incident's on-scene time and releases its ARVs.
func (s *rep) clear(now float64, id int32) {
	in := &s.inc[id]
	in.done = true
	s.releaseAll(now, id)
}

func (s *rep) releaseAll(now float64, id int32) {
	in := &s.inc[id]
	for k := int8(0); k < in.assigned; k++ {
		i := int(in.arvs[k])
		a := &s.arvs[i]
		if a.incident == id && (a.status == stToScene || a.status == stOnScene) {
			s.release(now, i)
		}
	}
}

// release frees an ARV from its job: it takes the oldest waiting incident
// or drives back to base.
func (s *rep) release(now float64, i int) {
	a := &s.arvs[i]
	s.here(now, a)
	a.incident = -1
	if !a.offAfter {
		if id := s.nextWaiting(); id >= 0 {
			s.setStatus(now, i, stIdle, a.crewed)
			s.assign(now, i, id)
			return
		}
	}
	s.returnToBase(now, i)
}

func (s *rep) returnToBase(now float64, i int) {
	a := &s.arvs[i]
	base := int32(s.m.ARVs[i].Base)
	a.ver++
	if a.pos == base {
		a.dest = base
		s.back(now, i)
		return
	}
	a.dest = base
	a.tDep, a.tArr = now, now+s.m.travel(int(a.pos), int(base))
	s.setStatus(now, i, stReturning, a.crewed)
	s.q.Schedule(a.tArr, event{kind: evBack, a: int32(i), ver: a.ver})
}

func (s *rep) back(now float64, i int) {
	a := &s.arvs[i]
	a.pos = a.dest
	if a.offAfter {
		s.setOffAfter(now, i, false)
		s.setStatus(now, i, stOff, false)
		return
	}
	s.setStatus(now, i, stIdle, a.crewed)
	s.serve(now, i)
}

// serve gives a newly free ARV work: the oldest waiting incident, else an
// uncovered key-site patrol.
func (s *rep) serve(now float64, i int) {
	if id := s.nextWaiting(); id >= 0 {
		s.assign(now, i, id)
		return
	}
	for k, p := range s.keyPending {
		if p {
			s.commit(now, i, k)
			return
		}
	}
}

func (s *rep) standDown(now float64, id int32) {
	in := &s.inc[id]
	if in.done || in.first >= 0 {
		return
	}
	in.done, in.stood = true, true
	s.releaseAll(now, id)
}

func (s *rep) mutualAid(now float64, id int32) {
	in := &s.inc[id]
	if in.done || in.assigned > 0 {
		return
	}
	in.done, in.mutual = true, true
	if in.counted && !math.IsInf(in.maArrival, 1) {
		s.resp = append(s.resp, response{minutes: (now + in.maArrival - in.t0) / 60, site: in.site, urban: in.urban, mutual: true})
	}
}

// shift starts shift k: a team comes on duty and crews the ARVs rostered
// for the shift, in order, while officers remain.
func (s *rep) shift(now float64, k int) {
	m := s.m
	n := len(m.ShiftStarts)
	d := int(math.Floor(now / day))
	avail := 0
	if len(m.Teams) > 0 {
		team := m.Teams[(d*n+k)%len(m.Teams)]
		r := s.r[streamShifts]
		for j := 0; j < team; j++ {
			if r.Float64() < m.Availability {
				avail++
			}
		}
	}
	for i, a := range m.ARVs {
		st := &s.arvs[i]
		if a.Shifts&(1<<k) != 0 && avail >= a.Crew {
			avail -= a.Crew
			switch {
			case !st.crewed:
				st.pos, st.dest = int32(a.Base), int32(a.Base)
				s.setStatus(now, i, stIdle, true)
				s.serve(now, i)
			case st.offAfter:
				s.setOffAfter(now, i, false)
			}
			continue
		}
		if !st.crewed {
			continue
		}
		switch st.status {
		case stIdle:
			s.setStatus(now, i, stOff, false)
		case stPatrol:
			ks := st.keySite
			s.keyARV[ks], s.keyPending[ks] = -1, true
			st.keySite = -1
			s.setOffAfter(now, i, true)
			s.returnToBase(now, i)
		default:
			s.setOffAfter(now, i, true)
		}
	}
	next := float64(d)*day + m.ShiftStarts[(k+1)%n]
	if k+1 >= n {
		next += day
	}
	if next <= now { // a single shift a day
		next = now + day
	}
	s.q.Schedule(next, event{kind: evShift, a: int32((k + 1) % n)})
}

func (s *rep) keyStart(now float64, k int) {
	ks := s.m.KeySites[k]
	s.keyPending[k] = true
	s.q.Schedule(now+ks.Duration, event{kind: evKeyEnd, a: int32(k)})
	s.q.Schedule(now+day, event{kind: evKeyStart, a: int32(k)})
	if i := s.bestFree(ks.Point, now); i >= 0 {
		s.commit(now, i, k)
	}
}

// commit sends ARV i to patrol key site k.
func (s *rep) commit(now float64, i, k int) {
	a := &s.arvs[i]
	s.here(now, a)
	a.ver++
	a.keySite = int32(k)
	a.pos = int32(s.m.KeySites[k].Point) // there for the whole patrol
	a.dest = a.pos
	s.keyARV[k], s.keyPending[k] = int32(i), false
	s.setStatus(now, i, stPatrol, a.crewed)
}

func (s *rep) keyEnd(now float64, k int) {
	s.keyPending[k] = false
	i := s.keyARV[k]
	if i < 0 {
		return
	}
	s.keyARV[k] = -1
	a := &s.arvs[i]
	a.keySite = -1
	s.setStatus(now, int(i), stIdle, a.crewed)
	s.release(now, int(i))
}

// finish closes the time accounting and classifies every incident.
func (s *rep) finish() {
	for i := range s.arvs {
		a := &s.arvs[i]
		s.setStatus(s.end, i, a.status, a.crewed)
	}
	o := &s.outcome
	for k := range s.inc {
		in := &s.inc[k]
		if !in.counted {
			continue
		}
		o.Incidents++
		switch {
		case in.first >= 0:
			o.Responded++
		case in.mutual:
			o.MutualAid++
		case in.stood:
			o.StoodDown++
		case in.assigned > 0:
			o.EnRoute++
		case !in.done:
			o.Waiting++
		default:
			o.Unconserved++
		}
	}
}

// Run simulates opt.Replications replications of m in parallel and
// summarises them. It returns ctx.Err() if cancelled.
func Run(ctx context.Context, m *Model, opt Options) (*Result, error) {
	if !(opt.Years > 0) || opt.Replications < 1 || opt.WarmupDays < 0 {
		return nil, fmt.Errorf("sim: need positive years and replications and a non-negative warm-up, got %g years, %d replications, %g days", opt.Years, opt.Replications, opt.WarmupDays)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opt.Replications)
	reps := make([]*rep, opt.Replications)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= opt.Replications {
					return
				}
				r := newRep(m, opt, k)
				if err := r.run(ctx); err != nil {
					errs[w] = err
					return
				}
				r.inc = nil // keep only the statistics
				reps[k] = r
				if d := done.Add(1); opt.Progress != nil {
					opt.Progress(int(d), opt.Replications)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return summarise(m, opt, reps), nil
}
