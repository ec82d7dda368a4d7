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

// MaxIncidents bounds the incidents a run may simulate, over all
// replications: each answered one is kept (24 bytes) until the summary.
const MaxIncidents = 50_000_000

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
	streamCallHandling
	streamAuthorisation
	streamMobilisation
	streamScene
	streamDecisions
	streamMutualAid
	numStreams
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
	evShiftEnd
	evKeyStart
	evKeyEnd
	evEnd
)

// event is the payload of the future-event list: small and pointer-free.
type event struct {
	kind uint8
	a    int32  // ARV, shift or key site
	i    int32  // incident
	ver  uint32 // ARV version, or incident generation, when scheduled (lazy cancellation)
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
	dispatches                       int // to incidents after the warm-up
}

type incident struct {
	gen      uint32  // bumped when the slot is reused: events for an older incident are stale
	live     bool    // in progress (not yet resolved)
	t0       float64 // the 999 call
	site     int32
	urban    bool
	counted  bool // arose after the warm-up
	need     int8 // ARVs still to send
	assigned int8
	arvs     [2]int32
	first    float64 // first own ARV on scene, -1 before
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
	r       [numStreams]*rand.Rand
	seed    uint64 // for officers' availability draws
	arvs    []arvState
	inc     []incident
	queue   []queued
	qhead   int
	freeInc []int32 // resolved incident slots to reuse
	free    int     // ARVs free for dispatch
	crewed  int
	warm    float64
	end     float64
	last    float64
	minimum int

	keyARV     []int32
	keyPending []bool
	pending    int // key sites with keyPending set

	// trace, when set (tests), sees every incident as it arises.
	trace func(in *incident)
	// shifts counts shift starts.
	shifts int

	// Statistics, after the warm-up only.
	resp      []response
	allBusy   float64
	belowMin  float64
	keyShort  float64
	events    int64
	outcome   Outcomes
	generated int
}

type queued struct {
	id  int32
	gen uint32
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
	s := &rep{m: m, seed: mix64(opt.Seed ^ mix64(uint64(replication)+0x5851f42d4c957f2d))}
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
	for k := range s.keyARV {
		s.keyARV[k] = -1
	}
	return s
}

// run simulates one replication.
func (s *rep) run(ctx context.Context) error {
	m := s.m
	s.q.Schedule(s.end, event{kind: evEnd})
	// Only the shift on duty at midnight starts now (the day's last one,
	// unless one starts at 00:00); each shift schedules the next.
	if n := len(m.ShiftStarts); n > 0 {
		k := n - 1
		if m.ShiftStarts[0] == 0 {
			k = 0
		}
		s.q.Schedule(0, event{kind: evShift, a: int32(k)})
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
		// An uncovered patrol goes to any ARV left free (the waiting
		// queue, which comes first, is empty whenever one is free).
		if s.pending > 0 && s.free > 0 {
			s.coverPatrols(now)
		}
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
		s.keyShort += dt * float64(s.pending)
	}
	s.last = now
}

func (s *rep) handle(now float64, e event) {
	switch e.kind {
	case evArrival:
		s.arrival(now)
	case evDispatchable:
		if s.current(e) {
			s.dispatchable(now, e.i)
		}
	case evArrive:
		if a := &s.arvs[e.a]; a.ver == e.ver && a.status == stToScene {
			s.arrive(now, int(e.a), e.i)
		}
	case evClear:
		if s.current(e) {
			s.clear(now, e.i)
		}
	case evBack:
		if a := &s.arvs[e.a]; a.ver == e.ver && a.status == stReturning {
			s.back(now, int(e.a))
		}
	case evStandDown:
		if s.current(e) {
			s.standDown(now, e.i)
		}
	case evMutualAid:
		if s.current(e) {
			s.mutualAid(now, e.i)
		}
	case evShift:
		s.shift(now, int(e.a))
	case evShiftEnd:
		s.crew(now, -1, 0)
	case evKeyStart:
		s.keyStart(now, int(e.a))
	case evKeyEnd:
		s.keyEnd(now, int(e.a))
	}
}

// current reports whether an incident event is for the incident now in
// its slot.
func (s *rep) current(e event) bool {
	in := &s.inc[e.i]
	return in.live && in.gen == e.ver
}

// incEvent schedules an event for incident id.
func (s *rep) incEvent(at float64, kind uint8, id int32) {
	s.q.Schedule(at, event{kind: kind, i: id, ver: s.inc[id].gen})
}

// sample draws from a scenario distribution, in seconds. It always uses
// exactly one uniform number, by inverting the distribution function
// (arv.Dist.Quantile), so changing a distribution (even to a fixed value)
// never shifts the numbers drawn after it: common random numbers hold
// across scenarios.
func sample(d arv.Dist, r *rand.Rand) float64 {
	return d.Quantile(r.Float64()) * 60
}

// arrival creates an incident, drawing everything random about it now,
// each quantity from its own stream.
func (s *rep) arrival(now float64) {
	m := s.m
	sc := m.Scenario
	sr := s.r[streamSites]
	u1, u2 := sr.Float64(), sr.Float64()
	site := m.Sites[m.drawSite(u1, u2)]
	ch := sample(sc.Delays.CallHandling, s.r[streamCallHandling])
	au := sample(sc.Delays.Authorisation, s.r[streamAuthorisation])
	mob := sample(sc.Delays.Mobilisation, s.r[streamMobilisation])
	dec := s.r[streamDecisions]
	two, stood, frac := dec.Float64(), dec.Float64(), dec.Float64()
	in := incident{
		live: true,
		t0:   now, site: int32(site.Point), urban: site.Urban, counted: now >= s.warm,
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
	var id int32
	if n := len(s.freeInc); n > 0 {
		id = s.freeInc[n-1]
		s.freeInc = s.freeInc[:n-1]
		in.gen = s.inc[id].gen + 1
		s.inc[id] = in
	} else {
		s.inc = append(s.inc, in)
		id = int32(len(s.inc) - 1)
	}
	if in.counted {
		s.generated++
	}
	if s.trace != nil {
		s.trace(&s.inc[id])
	}
	s.incEvent(now+in.callToReady, evDispatchable, id)
	if t := m.rate.next(s.r[streamArrivals], now); t < s.end {
		s.q.Schedule(t, event{kind: evArrival})
	}
}

// resolve ends incident id (answered, handed over or stood down): counts
// its outcome and frees its slot; events still pending for it go stale.
func (s *rep) resolve(id int32) {
	in := &s.inc[id]
	if in.counted {
		switch {
		case in.first >= 0:
			s.outcome.Responded++
		case in.mutual:
			s.outcome.MutualAid++
		case in.stood:
			s.outcome.StoodDown++
		default:
			s.outcome.Unconserved++
		}
	}
	in.live = false
	in.gen++
	s.freeInc = append(s.freeInc, id)
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
		s.incEvent(now+s.m.Scenario.MutualAid.AfterMinutes*60, evMutualAid, id)
	}
	if in.standDown {
		wait := s.maxWait()
		if in.assigned > 0 {
			wait = s.arvs[in.arvs[0]].tArr - now
		}
		s.incEvent(now+in.standFrac*wait, evStandDown, id)
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
	if in.counted {
		a.dispatches++
	}
	s.q.Schedule(a.tArr, event{kind: evArrive, a: int32(i), i: id, ver: a.ver})
}

func (s *rep) enqueue(id int32) {
	in := &s.inc[id]
	if in.queued {
		return
	}
	in.queued = true
	s.queue = append(s.queue, queued{id, in.gen})
}

// nextWaiting returns the incident a newly free ARV should go to, or -1:
// the oldest incident with no ARV yet, else the oldest still waiting for
// its second ARV. An incident leaves the queue once it needs no more.
func (s *rep) nextWaiting() int32 {
	// Drop resolved and served entries from the head.
	for s.qhead < len(s.queue) {
		q := s.queue[s.qhead]
		if in := &s.inc[q.id]; in.live && in.gen == q.gen && in.need > 0 {
			break
		}
		s.qhead++
	}
	if s.qhead > 1024 && s.qhead*2 > len(s.queue) { // compact
		s.queue = append(s.queue[:0], s.queue[s.qhead:]...)
		s.qhead = 0
	}
	best := -1
	for k := s.qhead; k < len(s.queue); k++ {
		q := s.queue[k]
		in := &s.inc[q.id]
		if !in.live || in.gen != q.gen || in.need == 0 {
			continue
		}
		if in.assigned == 0 {
			best = k
			break
		}
		if best < 0 {
			best = k
		}
	}
	if best < 0 {
		return -1
	}
	id := s.queue[best].id
	if in := &s.inc[id]; in.need == 1 {
		in.queued = false
		s.queue[best].gen = in.gen + 1 // this entry is done with
	}
	return id
}

func (s *rep) arrive(now float64, i int, id int32) {
	a := &s.arvs[i]
	in := &s.inc[id]
	a.pos = a.dest
	s.setStatus(now, i, stOnScene, a.crewed)
	if in.first >= 0 || !in.live {
		return
	}
	in.first = now
	if in.counted {
		s.resp = append(s.resp, response{minutes: (now - in.t0) / 60, site: in.site, urban: in.urban})
	}
	s.incEvent(now+in.onScene, evClear, id)
}

// clear ends an incident's on-scene time and releases its ARVs.
func (s *rep) clear(now float64, id int32) {
	s.releaseAll(now, id)
	s.resolve(id)
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
	if in.first >= 0 {
		return
	}
	in.stood = true
	s.releaseAll(now, id)
	s.resolve(id)
}

// mutualAid hands an incident that has waited too long with no own ARV to
// the neighbour that would arrive first. One no neighbour can reach keeps
// waiting for an own ARV.
func (s *rep) mutualAid(now float64, id int32) {
	in := &s.inc[id]
	if in.assigned > 0 || math.IsInf(in.maArrival, 1) {
		return
	}
	in.mutual = true
	if in.counted {
		s.resp = append(s.resp, response{minutes: (now + in.maArrival - in.t0) / 60, site: in.site, urban: in.urban, mutual: true})
	}
	s.resolve(id)
}

// shift starts shift k: its team comes on duty and crews the ARVs
// rostered for the shift; the next shift is scheduled and, when this one
// ends (after shifts.hours) before the next starts, its end.
func (s *rep) shift(now float64, k int) {
	m := s.m
	s.shifts++
	n := len(m.ShiftStarts)
	block := int64(math.Floor(now/day))*int64(n) + int64(k) // this shift on this day
	avail := 0
	if len(m.Teams) > 0 {
		team := int(block % int64(len(m.Teams)))
		for j := 0; j < m.Teams[team]; j++ {
			if s.onDuty(block, team, j) {
				avail++
			}
		}
	}
	s.crew(now, k, avail)
	next := nextStart(now, m.ShiftStarts[(k+1)%n])
	s.q.Schedule(next, event{kind: evShift, a: int32((k + 1) % n)})
	if end := now + m.ShiftHours*3600; end < next {
		s.q.Schedule(end, event{kind: evShiftEnd})
	}
}

// nextStart returns the first time after now that is clock seconds after
// a midnight.
func nextStart(now, clock float64) float64 {
	t := math.Floor(now/day)*day + clock
	for t <= now {
		t += day
	}
	return t
}

// onDuty decides whether officer j of a team is on duty on a shift
// (block numbers shifts from the start of the run). Each officer's draw
// is a hash of the run's seed, the shift and the officer's place in the
// team, not a draw from a shared stream: a scenario with one officer more
// or fewer sees the same draws for everyone else (common random numbers
// for staffing questions).
func (s *rep) onDuty(block int64, team, j int) bool {
	h := mix64(s.seed ^ mix64(uint64(block)*0x9e3779b97f4a7c15+uint64(team)<<32+uint64(j)))
	u := float64(h>>11) * 0x1p-53
	return u < s.m.Availability
}

// mix64 is splitmix64's finaliser (D. Stafford's Mix13).
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// crew sets which ARVs are crewed from now: those rostered for shift k,
// in order, while the avail officers last. k < 0 is a gap between shifts:
// nobody is on duty. An ARV whose crew goes off duty finishes its job
// first.
func (s *rep) crew(now float64, k, avail int) {
	m := s.m
	for i, a := range m.ARVs {
		st := &s.arvs[i]
		if k >= 0 && a.Shifts&(1<<k) != 0 && avail >= a.Crew {
			avail -= a.Crew
			switch {
			case !st.crewed:
				st.pos, st.dest = int32(a.Base), int32(a.Base)
				s.setStatus(now, i, stIdle, true)
				s.serve(now, i)
			case st.offAfter:
				s.setOffAfter(now, i, false)
				if st.isFree() {
					s.serve(now, i)
				}
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
			s.keyARV[ks] = -1
			s.setPending(int(ks), true)
			st.keySite = -1
			s.setOffAfter(now, i, true)
			s.returnToBase(now, i)
		default:
			s.setOffAfter(now, i, true)
		}
	}
}

func (s *rep) setPending(k int, v bool) {
	if s.keyPending[k] == v {
		return
	}
	s.keyPending[k] = v
	if v {
		s.pending++
	} else {
		s.pending--
	}
}

// coverPatrols sends free ARVs to uncovered key-site patrols.
func (s *rep) coverPatrols(now float64) {
	for k, p := range s.keyPending {
		if !p {
			continue
		}
		i := s.bestFree(s.m.KeySites[k].Point, now)
		if i < 0 {
			return
		}
		s.commit(now, i, k)
	}
}

func (s *rep) keyStart(now float64, k int) {
	ks := s.m.KeySites[k]
	s.setPending(k, true)
	s.q.Schedule(now+ks.Duration, event{kind: evKeyEnd, a: int32(k)})
	s.q.Schedule(now+day, event{kind: evKeyStart, a: int32(k)})
	if i := s.bestFree(ks.Point, now); i >= 0 {
		s.commit(now, i, k)
	}
}

// commit sends ARV i to patrol key site k. The ARV counts as there from
// now: the drive to the site is not modelled (a simplification that
// understates uncovered patrol time slightly).
func (s *rep) commit(now float64, i, k int) {
	a := &s.arvs[i]
	s.here(now, a)
	a.ver++
	a.keySite = int32(k)
	a.pos = int32(s.m.KeySites[k].Point) // there for the whole patrol
	a.dest = a.pos
	s.keyARV[k] = int32(i)
	s.setPending(k, false)
	s.setStatus(now, i, stPatrol, a.crewed)
}

func (s *rep) keyEnd(now float64, k int) {
	s.setPending(k, false)
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

// finish closes the time accounting and classifies the incidents still
// in progress (the resolved ones were counted as they were resolved).
func (s *rep) finish() {
	for i := range s.arvs {
		a := &s.arvs[i]
		s.setStatus(s.end, i, a.status, a.crewed)
	}
	o := &s.outcome
	for k := range s.inc {
		in := &s.inc[k]
		if !in.live || !in.counted {
			continue
		}
		switch {
		case in.first >= 0:
			o.Responded++
		case in.assigned > 0:
			o.EnRoute++
		default:
			o.Waiting++
		}
	}
	o.Incidents = s.generated
}

// Run simulates opt.Replications replications of m in parallel and
// summarises them. It returns ctx.Err() if cancelled.
func Run(ctx context.Context, m *Model, opt Options) (*Result, error) {
	if !(opt.Years > 0) || opt.Replications < 1 || opt.WarmupDays < 0 {
		return nil, fmt.Errorf("sim: need positive years and replications and a non-negative warm-up, got %g years, %d replications, %g days", opt.Years, opt.Replications, opt.WarmupDays)
	}
	// Every response is kept until the summary (for quantiles): bound
	// the run so that it fits in memory.
	expected := m.Scenario.Demand.IncidentsPerYear * (opt.Years + opt.WarmupDays/365.25) * float64(opt.Replications)
	if expected > MaxIncidents {
		return nil, fmt.Errorf("sim: the run would simulate about %.0f million incidents, more than the %d million it can hold; use fewer years or replications",
			expected/1e6, MaxIncidents/1000000)
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
