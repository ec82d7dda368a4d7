package demo

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"time"

	"github.com/arv-project/arv"
)

// step is a step the generator takes on one of its incidents, after
// recording the call.
type step int

// The steps, in the order they are taken when two fall due at once.
const (
	stepDecide step = iota
	stepRatify
	stepAssign
	stepArrive
	stepStandDown
	numSteps
)

var stepNames = [numSteps]string{"decide", "ratify", "assign", "arrive", "stand down"}

func (s step) String() string { return stepNames[s] }

// incident is one generated incident in play: what was drawn for it, its
// record and when each of its steps falls due. play records it, then
// takes the step due first until none is left; each step's method
// returns whether the incident plays on. An incident is used by its own
// goroutine only.
type incident struct {
	g  *Generator
	d  draw
	id int64 // its record, once recorded

	// due is when each step falls due, zero when it does not; tries
	// counts the failures of each.
	due   [numSteps]time.Time
	tries [numSteps]int

	// giveUp ends the wait for a free ARV, of wait minutes of the
	// scenario.
	giveUp time.Time
	wait   float64
	// unit is the ARV assigned, arrived whether it reported on scene
	// (or that was given up).
	unit    int64
	arrived bool
	// handedOver is the stand-down reason when no ARV came in time.
	handedOver string
	// discharge: after the stand-down, a discharge with its
	// post-incident procedure is played (discharge.go).
	discharge bool
}

func (g *Generator) newIncident(d draw) *incident { return &incident{g: g, d: d} }

// play records the incident and plays it through; it ends when ctx
// does. The caller has added it to g.wg.
func (in *incident) play(ctx context.Context) {
	defer in.g.wg.Done()
	defer func() {
		if v := recover(); v != nil {
			in.g.log.Error("generator: panic", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	if !in.record(ctx) {
		return
	}
	for {
		s, at, ok := in.next()
		if !ok || !sleep(ctx, time.Until(at)) || !in.take(ctx, s) {
			break
		}
	}
	in.afterDischarge(ctx)
}

// next returns the step due first, the earlier in the order of the steps
// when two are due at once, or false when none is.
func (in *incident) next() (step, time.Time, bool) {
	first, at := step(-1), time.Time{}
	for s, t := range in.due {
		if !t.IsZero() && (at.IsZero() || t.Before(at)) {
			first, at = step(s), t
		}
	}
	return first, at, first >= 0
}

// take takes step s and reports whether the incident plays on.
func (in *incident) take(ctx context.Context, s step) bool {
	switch s {
	case stepDecide:
		return in.decide(ctx)
	case stepRatify:
		return in.ratify(ctx)
	case stepAssign:
		return in.assign(ctx)
	case stepArrive:
		return in.arrive(ctx)
	case stepStandDown:
		return in.standDown(ctx)
	}
	return false
}

// as returns ctx acting as u, marked as the demo's (arv.WithDemo): the
// incidents it records never count in returns, reports or the export.
func as(ctx context.Context, u *arv.User) context.Context {
	return arv.WithDemo(arv.NewContextWithUser(ctx, u))
}

// record records the call as the call handler; the ITFC decides after
// the drawn call-handling and authorisation time.
func (in *incident) record(ctx context.Context) bool {
	g, c := in.g, calls[in.d.call]
	inc, err := g.svc.CreateIncident(as(ctx, g.handler), arv.NewIncident{Position: &in.d.at, Address: in.d.address, Description: "Demo: " + c.what, Indicators: c.ind})
	if err != nil {
		g.fail(ctx, 0, "record the call", err)
		return false
	}
	in.id = inc.ID
	g.mu.Lock()
	g.mine = append(g.mine, in.id)
	g.mu.Unlock()
	g.log.Info("generator: incident recorded", "incident", in.id, "at", in.d.address, "class", inc.Class)
	in.due[stepDecide] = time.Now().Add(g.Scale(in.d.decide))
	return true
}

// check reloads the incident and reports whether want holds before step
// s; when it does not, someone else has acted on it and the generator
// leaves it to them.
func (in *incident) check(ctx context.Context, s step, want func(*arv.Incident) bool) (*arv.Incident, bool) {
	g := in.g
	inc, err := g.svc.FindIncidentByID(as(ctx, g.itfc), in.id)
	if err != nil {
		g.fail(ctx, in.id, "reload before "+s.String(), err)
		return nil, false
	}
	if !want(inc) {
		g.log.Info("generator: incident changed by someone else; leaving it to them", "incident", in.id, "step", s.String(), "status", inc.Status)
		return nil, false
	}
	return inc, true
}

// again logs the failure of step s and schedules it once more after the
// pause, or reports that it has been tried enough.
func (in *incident) again(ctx context.Context, s step, err error) bool {
	in.g.fail(ctx, in.id, s.String(), err)
	if in.tries[s]++; in.tries[s] >= maxTries {
		return false
	}
	in.due[s] = time.Now().Add(in.g.retry())
	return true
}

// decide records the ITFC's decision; an authorisation starts the
// ratification, assignment and mutual-aid clocks.
func (in *incident) decide(ctx context.Context) bool {
	g := in.g
	in.due[stepDecide] = time.Time{}
	if _, ok := in.check(ctx, stepDecide, func(i *arv.Incident) bool {
		return i.Status == arv.IncidentAwaitingDecision && len(i.Decisions) == 0
	}); !ok {
		return false
	}
	inc, err := g.svc.Decide(as(ctx, g.itfc), in.id, decision(in.d))
	if err != nil {
		g.fail(ctx, in.id, "decide", err)
		return false
	}
	if !in.d.authorised {
		return false
	}
	in.authorised(inc, time.Now())
	return true
}

// authorised schedules, from the authorisation at start, the
// ratification (within 80% of the incident's window) and the assignment
// (at once), and sets the end of the wait for a free ARV: the scenario's
// mutual-aid wait.
func (in *incident) authorised(inc *arv.Incident, start time.Time) {
	g := in.g
	ratifyAt := start.Add(g.Scale(in.d.ratify))
	if inc.RatifyDue != nil && inc.AuthorisedAt != nil {
		if t := start.Add(inc.RatifyDue.Sub(*inc.AuthorisedAt) * 8 / 10); t.Before(ratifyAt) {
			ratifyAt = t
		}
	}
	in.wait = g.sc.MutualAid.AfterMinutes
	if !(in.wait > 0) {
		in.wait = mutualAidMinutes
	}
	in.giveUp = start.Add(g.Scale(in.wait))
	in.due[stepRatify], in.due[stepAssign] = ratifyAt, start
}

// ratify records the SFC's ratification.
func (in *incident) ratify(ctx context.Context) bool {
	g := in.g
	inc, ok := in.check(ctx, stepRatify, func(i *arv.Incident) bool {
		return i.Status == arv.IncidentAuthorised && i.RatifiedAt == nil
	})
	if !ok {
		return false
	}
	in.takeCommand(ctx, inc) // command.go: the TFC takes command from the ITFC
	_, err := g.svc.Ratify(as(ctx, g.sfc), in.id, arv.RatificationRequest{Ratify: true,
		Rationale: "Ratified: armed deployment is necessary and proportionate to the threat reported; tactics appropriate."})
	if err != nil && in.again(ctx, stepRatify, err) {
		return true
	}
	in.due[stepRatify] = time.Time{} // ratified, or given up: the overdue-ratification alert shows it
	return true
}

// assign assigns the first eligible ARV of the recommendation as the
// ITFC, asking again after the pause while none is free, until the wait
// for one is over.
func (in *incident) assign(ctx context.Context) bool {
	g := in.g
	if !time.Now().Before(in.giveUp) {
		in.handOver()
		return true
	}
	if _, ok := in.check(ctx, stepAssign, func(i *arv.Incident) bool {
		return i.Status == arv.IncidentAuthorised && openAssignments(i) == 0
	}); !ok {
		return false
	}
	in.due[stepAssign] = time.Now().Add(g.retry())
	recs, err := g.svc.Recommend(as(ctx, g.itfc), in.id)
	if err != nil {
		g.fail(ctx, in.id, "recommend", err)
		return true
	}
	k := slices.IndexFunc(recs, func(r arv.Recommendation) bool { return r.Eligible })
	if k < 0 {
		return true // none free: try again until the mutual-aid wait is over
	}
	after, err := g.svc.Assign(as(ctx, g.itfc), in.id, recs[k].UnitID)
	if err != nil {
		// Another incident may have taken the ARV since the
		// recommendation: ask again at once the first time, then after
		// the pause.
		g.fail(ctx, in.id, "assign "+recs[k].CallSign, err)
		if in.tries[stepAssign]++; in.tries[stepAssign] == 1 {
			in.due[stepAssign] = time.Now()
		}
		return true
	}
	in.dispatched(after, recs[k].UnitID, time.Now())
	return true
}

// handOver gives up waiting for a free ARV: the incident is stood down
// at once, as handed to the first neighbour under mutual aid, or to
// unarmed units when the scenario has no neighbour.
func (in *incident) handOver() {
	in.handedOver = fmt.Sprintf("No ARV free within %g minutes: unarmed units attend.", in.wait)
	if nb := in.g.sc.MutualAid.Neighbours; len(nb) > 0 {
		in.handedOver = fmt.Sprintf("No ARV free within %g minutes: handed to %s under mutual aid.", in.wait, nb[0].Name)
	}
	in.due[stepAssign], in.due[stepStandDown] = time.Time{}, time.Now()
}

// dispatched schedules, from unit's assignment at now (after is the
// incident then), its arrival after the drawn mobilisation and the
// assignment's road ETA, and for an incident drawn to be stood down on
// the way, the stand-down part of the way there.
func (in *incident) dispatched(after *arv.Incident, unit int64, now time.Time) {
	in.unit = unit
	drive := in.d.mobilise + noRouteMinutes
	if a := openOn(after, unit); a != nil && !math.IsInf(a.ETASeconds, 0) && !math.IsNaN(a.ETASeconds) {
		drive = in.d.mobilise + a.ETASeconds/60
	}
	in.due[stepAssign], in.due[stepArrive] = time.Time{}, now.Add(in.g.Scale(drive))
	if in.d.early {
		in.due[stepStandDown] = now.Add(in.g.Scale(drive * in.d.earlyFrac))
	}
}

// arrive reports the ARV on scene at the incident as the armed officer;
// the incident is stood down after the drawn time on scene.
func (in *incident) arrive(ctx context.Context) bool {
	g := in.g
	cur, ok := in.check(ctx, stepArrive, func(i *arv.Incident) bool {
		a := openOn(i, in.unit)
		return i.Status == arv.IncidentAuthorised && a != nil && a.ArrivedAt == nil
	})
	if !ok {
		return false
	}
	u, err := g.svc.FindUnitByID(as(ctx, g.itfc), in.unit)
	if err == nil && (u.IncidentID != in.id || u.Status != arv.StatusEnRoute) {
		g.log.Info("generator: ARV changed by someone else; leaving the incident to them", "incident", in.id, "unit", u.CallSign, "status", u.Status)
		return false
	}
	if err == nil {
		_, err = g.svc.ReportStatus(as(ctx, g.officer), in.unit, arv.StatusReport{Status: arv.StatusOnScene, Position: &cur.Location})
	}
	if err != nil && in.again(ctx, stepArrive, err) {
		return true
	}
	in.arrived = true // or given up: stand down after the time on scene all the same
	in.due[stepArrive], in.due[stepStandDown] = time.Time{}, time.Now().Add(g.Scale(in.d.onScene))
	return true
}

// standDown stands the incident down as the ITFC, giving the reason its
// course calls for; it is the last step.
func (in *incident) standDown(ctx context.Context) bool {
	g := in.g
	if _, ok := in.check(ctx, stepStandDown, func(i *arv.Incident) bool { return i.Status == arv.IncidentAuthorised }); !ok {
		return false
	}
	_, err := g.svc.StandDown(as(ctx, g.itfc), in.id, arv.StandDown{Reason: in.standDownReason()})
	if err != nil && in.again(ctx, stepStandDown, err) {
		return true
	}
	return false
}

// standDownReason is why the incident is stood down: handed over, the
// call's outcome after the arrival, or why it was stood down on the way.
func (in *incident) standDownReason() string {
	c := calls[in.d.call]
	switch {
	case in.handedOver != "":
		return in.handedOver
	case in.arrived:
		return c.outcome
	}
	return "Stood down before arrival: " + c.before
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

// openAssignments counts the units assigned to inc and not released.
func openAssignments(inc *arv.Incident) int {
	n := 0
	for _, a := range inc.Assignments {
		if a.ReleasedAt == nil {
			n++
		}
	}
	return n
}
