package demo

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// TestNext: the step due first is next, the earlier in the order of the
// steps when two are due at once.
func TestNext(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, c := range []struct {
		name string
		due  map[step]time.Time
		want step
	}{
		{"decide only", map[step]time.Time{stepDecide: at(5)}, stepDecide},
		{"assign first", map[step]time.Time{stepRatify: at(2), stepAssign: at(1), stepStandDown: at(3)}, stepAssign},
		{"tie: assign before stand down", map[step]time.Time{stepRatify: at(2), stepAssign: at(1), stepStandDown: at(1)}, stepAssign},
		{"tie: ratify before arrive", map[step]time.Time{stepRatify: at(1), stepArrive: at(1)}, stepRatify},
		{"early stand-down before arrival", map[step]time.Time{stepArrive: at(9), stepStandDown: at(4)}, stepStandDown},
		{"overdue", map[step]time.Time{stepArrive: at(-60), stepStandDown: at(1)}, stepArrive},
	} {
		in := &incident{}
		for s, t := range c.due {
			in.due[s] = t
		}
		s, when, ok := in.next()
		if !ok || s != c.want || !when.Equal(c.due[c.want]) {
			t.Errorf("%s: next() = %s at %s, %v; want %s", c.name, s, when.Format(time.TimeOnly), ok, c.want)
		}
	}
	if s, _, ok := (&incident{}).next(); ok {
		t.Errorf("nothing due: next() = %s", s)
	}
}

// TestAuthorised: the ratification falls due after the drawn time, but
// within 80% of the incident's window; the assignment at once; the wait
// for an ARV is the scenario's, or 10 minutes.
func TestAuthorised(t *testing.T) {
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	authorisedAt := start.Add(-time.Second) // the store's clock
	due := authorisedAt.Add(10 * time.Minute)
	inc := &arv.Incident{AuthorisedAt: &authorisedAt, RatifyDue: &due}
	for _, c := range []struct {
		ratify, afterMinutes float64
		wantRatify, wantGive time.Duration
	}{
		{5, 20, 5 * time.Minute, 20 * time.Minute},
		{12, 0, 8 * time.Minute, 10 * time.Minute}, // capped; the default wait
	} {
		g := &Generator{speedup: 1, sc: &arv.Scenario{MutualAid: arv.MutualAid{AfterMinutes: c.afterMinutes}}}
		in := g.newIncident(draw{ratify: c.ratify})
		in.authorised(inc, start)
		if got := in.due[stepRatify].Sub(start); got != c.wantRatify {
			t.Errorf("ratify %g min: due after %s, want %s", c.ratify, got, c.wantRatify)
		}
		if !in.due[stepAssign].Equal(start) || in.giveUp.Sub(start) != c.wantGive {
			t.Errorf("after_minutes %g: assign at %s, give up after %s; want at once and after %s", c.afterMinutes, in.due[stepAssign].Sub(start), in.giveUp.Sub(start), c.wantGive)
		}
	}
}

// TestDispatched: the arrival falls due after the mobilisation and the
// road ETA (30 minutes without one), an early stand-down part of the way
// there, and comes first.
func TestDispatched(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	g := &Generator{speedup: 60} // a minute a second
	for _, c := range []struct {
		name       string
		a          arv.Assignment
		early      bool
		wantArrive time.Duration
	}{
		{"road ETA", arv.Assignment{UnitID: 5, ETASeconds: 600}, false, 12 * time.Second},
		{"no route", arv.Assignment{UnitID: 5, ETASeconds: math.Inf(1)}, false, 32 * time.Second},
		{"released", arv.Assignment{UnitID: 5, ETASeconds: 600, ReleasedAt: &now}, false, 32 * time.Second},
		{"stood down on the way", arv.Assignment{UnitID: 5, ETASeconds: 600}, true, 12 * time.Second},
	} {
		in := g.newIncident(draw{mobilise: 2, early: c.early, earlyFrac: 0.25})
		in.due[stepAssign] = now
		in.dispatched(&arv.Incident{Assignments: []arv.Assignment{c.a}}, 5, now)
		if in.unit != 5 || !in.due[stepAssign].IsZero() || in.due[stepArrive].Sub(now) != c.wantArrive {
			t.Errorf("%s: unit %d, assign due %s, arrive after %s; want unit 5, none, %s", c.name, in.unit, in.due[stepAssign], in.due[stepArrive].Sub(now), c.wantArrive)
		}
		s, _, _ := in.next()
		switch {
		case c.early && (s != stepStandDown || in.due[stepStandDown].Sub(now) != 3*time.Second):
			t.Errorf("%s: next %s, stand down after %s; want stand down after 3s", c.name, s, in.due[stepStandDown].Sub(now))
		case !c.early && s != stepArrive:
			t.Errorf("%s: next %s, want arrive", c.name, s)
		}
	}
	in := g.newIncident(draw{call: 2})
	if got, want := in.standDownReason(), "Stood down before arrival: "+calls[2].before; got != want {
		t.Errorf("reason before arrival %q, want %q", got, want)
	}
	in.arrived = true
	if got := in.standDownReason(); got != calls[2].outcome {
		t.Errorf("reason after arrival %q", got)
	}
}

// authorisedIncident records a call drawn by g and has the ITFC
// authorise it, taking the first two steps by hand.
func authorisedIncident(t *testing.T, f *fixture, g *Generator) *incident {
	t.Helper()
	ctx := context.Background()
	d := g.draw()
	d.authorised, d.early = true, false
	in := g.newIncident(d)
	if !in.record(ctx) {
		t.Fatalf("record:\n%s", f.stderr)
	}
	if s, _, _ := in.next(); s != stepDecide {
		t.Fatalf("after recording, next %s", s)
	}
	if !in.decide(ctx) {
		t.Fatalf("decide:\n%s", f.stderr)
	}
	return in
}

// firstEligible returns the first ARV the recommendation allows for
// incident id.
func firstEligible(t *testing.T, ctx context.Context, f *fixture, id int64) int64 {
	t.Helper()
	recs, err := f.st.Recommend(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Eligible {
			return r.UnitID
		}
	}
	t.Fatal("no ARV eligible")
	return 0
}

// TestStepsInTurn takes every step of an incident by hand, each as the
// scheduler would take it, and checks the record after each.
func TestStepsInTurn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.generator(t, Rate{PerHour: 6, Speedup: 1, Seed: 3, HasSeed: true})
	in := authorisedIncident(t, f, g)
	inc := f.incident(t, in.id)
	if inc.Status != arv.IncidentAuthorised || len(inc.Decisions) != 1 || inc.Decisions[0].By != "itfc" || !strings.HasPrefix(inc.Description, "Demo: ") {
		t.Fatalf("after decide: %+v", inc)
	}
	// At one times real, the assignment is due at once, the ratification
	// minutes later.
	for _, want := range []step{stepAssign, stepRatify, stepArrive, stepStandDown} {
		s, _, ok := in.next()
		if !ok || s != want {
			t.Fatalf("next %s, want %s", s, want)
		}
		if more := in.take(ctx, s); more != (s != stepStandDown) {
			t.Fatalf("%s: plays on %v\n%s", s, more, f.stderr)
		}
	}
	inc = f.incident(t, in.id)
	if !fullFlow(inc) || inc.StandDownReason != calls[in.d.call].outcome {
		t.Errorf("after every step: %+v", inc)
	}
	if strings.Contains(f.stderr.String(), "level=ERROR") {
		t.Errorf("errors:\n%s", f.stderr)
	}
}

// TestStepTakenBySomeoneElse: when the record shows a step someone else
// took, the generator's step leaves the incident to them and changes
// nothing.
func TestStepTakenBySomeoneElse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tfc := f.as("tfc")
	sfc2 := f.person(t, "sfc2", arv.RoleSFC)
	g := f.generator(t, Rate{PerHour: 6, Speedup: 1, Seed: 5, HasSeed: true})
	yes := arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon, Tactics: "contain",
		NDM: arv.NDM{Information: "i", Threat: "t", PowersAndPolicy: "p", Options: "o", ActionAndReview: "a"}}
	for _, c := range []struct {
		step step
		// before takes the generator's steps up to step.
		before func(in *incident)
		// take takes the step as a person.
		take  func(id int64) error
		check func(inc *arv.Incident) bool
	}{
		{stepDecide, func(in *incident) {},
			func(id int64) error { _, err := f.st.Decide(tfc, id, yes); return err },
			func(inc *arv.Incident) bool { return len(inc.Decisions) == 1 && inc.Decisions[0].By == "tfc" }},
		{stepRatify, func(in *incident) { in.decide(ctx) },
			func(id int64) error {
				_, err := f.st.Ratify(sfc2, id, arv.RatificationRequest{Ratify: true, Rationale: "r"})
				return err
			},
			func(inc *arv.Incident) bool { return len(inc.Decisions) == 2 && inc.Decisions[1].By == "sfc2" }},
		{stepAssign, func(in *incident) { in.decide(ctx) },
			func(id int64) error { _, err := f.st.Assign(tfc, id, firstEligible(t, tfc, f, id)); return err },
			func(inc *arv.Incident) bool {
				return len(inc.Assignments) == 1 && inc.Assignments[0].AssignedBy == "tfc"
			}},
		{stepArrive, func(in *incident) { in.decide(ctx); in.assign(ctx) },
			func(id int64) error {
				inc := f.incident(t, id)
				_, err := f.st.Release(tfc, id, inc.Assignments[0].UnitID, "needed elsewhere")
				return err
			},
			func(inc *arv.Incident) bool {
				return len(inc.Assignments) == 1 && inc.Assignments[0].ReleasedAt != nil && inc.ArrivedAt == nil
			}},
		{stepStandDown, func(in *incident) { in.decide(ctx); in.assign(ctx); in.arrive(ctx) },
			func(id int64) error { _, err := f.st.StandDown(tfc, id, arv.StandDown{Reason: "By hand."}); return err },
			func(inc *arv.Incident) bool {
				return inc.Status == arv.IncidentStoodDown && inc.StandDownReason == "By hand."
			}},
	} {
		t.Run(c.step.String(), func(t *testing.T) {
			d := g.draw()
			d.authorised, d.early = true, false
			in := g.newIncident(d)
			if !in.record(ctx) {
				t.Fatalf("record:\n%s", f.stderr)
			}
			c.before(in)
			if in.due[c.step].IsZero() {
				t.Fatalf("%s not due:\n%s", c.step, f.stderr)
			}
			if err := c.take(in.id); err != nil {
				t.Fatal(err)
			}
			before := f.incident(t, in.id)
			if in.take(ctx, c.step) {
				t.Errorf("%s taken by someone else: the generator plays on", c.step)
			}
			after := f.incident(t, in.id)
			if !c.check(after) || after.Status != before.Status || len(after.Decisions) != len(before.Decisions) || len(after.Assignments) != len(before.Assignments) {
				t.Errorf("%s: record %+v", c.step, after)
			}
			if !strings.Contains(f.stderr.String(), `changed by someone else; leaving it to them" incident=`+itoa(in.id)+` step="`+c.step.String()+`"`) &&
				!strings.Contains(f.stderr.String(), `changed by someone else; leaving it to them" incident=`+itoa(in.id)+` step=`+c.step.String()+` `) {
				t.Errorf("no word of leaving incident %d at %s:\n%s", in.id, c.step, f.stderr)
			}
			if after.Status == arv.IncidentAuthorised {
				if _, err := f.st.StandDown(tfc, in.id, arv.StandDown{Reason: "Test over."}); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if strings.Contains(f.stderr.String(), "level=ERROR") {
		t.Errorf("errors:\n%s", f.stderr)
	}
}

// TestGiveUpToMutualAid: when no ARV came within the wait, the incident
// is stood down at once as handed to the first neighbour, or to unarmed
// units when the scenario has none.
func TestGiveUpToMutualAid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.generator(t, Rate{PerHour: 6, Speedup: 1, Seed: 9, HasSeed: true})
	withNeighbours, without := *f.scenario, *f.scenario
	withNeighbours.MutualAid.AfterMinutes = 25
	without.MutualAid = arv.MutualAid{}
	for _, c := range []struct {
		sc   *arv.Scenario
		want string
	}{
		{&withNeighbours, "No ARV free within 25 minutes: handed to " + f.scenario.MutualAid.Neighbours[0].Name + " under mutual aid."},
		{&without, "No ARV free within 10 minutes: unarmed units attend."},
	} {
		g.sc = c.sc
		in := authorisedIncident(t, f, g)
		in.giveUp = time.Now() // the wait is over
		if !in.assign(ctx) {
			t.Fatalf("assign after the wait: the incident is left\n%s", f.stderr)
		}
		s, _, _ := in.next()
		if s != stepStandDown || !in.due[stepAssign].IsZero() {
			t.Fatalf("after the wait: next %s, assign due %s", s, in.due[stepAssign])
		}
		if in.take(ctx, s) {
			t.Error("plays on after standing down")
		}
		inc := f.incident(t, in.id)
		if inc.Status != arv.IncidentStoodDown || inc.StandDownReason != c.want || len(inc.Assignments) != 0 {
			t.Errorf("%s, %q, %d assignments; want stood down, %q, none", inc.Status, inc.StandDownReason, len(inc.Assignments), c.want)
		}
	}
}

// TestStepTriedThenGivenUp: a failing step is tried three times, then
// given up: a ratification is left to the overdue alert, a stand-down
// leaves the incident.
func TestStepTriedThenGivenUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.generator(t, Rate{PerHour: 6, Speedup: 1, Seed: 11, HasSeed: true})
	in := authorisedIncident(t, f, g)
	g.sfc = f.users["planner"] // may not ratify
	for try := 1; try <= maxTries; try++ {
		t0 := time.Now()
		if !in.ratify(ctx) {
			t.Fatalf("try %d: the incident is left", try)
		}
		due := in.due[stepRatify]
		if try < maxTries && (due.Sub(t0) < g.retry() || due.Sub(t0) > g.retry()+time.Second) {
			t.Errorf("try %d: tried again after %s, want %s", try, due.Sub(t0), g.retry())
		}
		if try == maxTries && !due.IsZero() {
			t.Errorf("after %d tries, due again at %s", try, due)
		}
	}
	if n := strings.Count(f.stderr.String(), `level=ERROR msg="generator: ratify failed" incident=`+itoa(in.id)); n != maxTries {
		t.Errorf("%d failures logged, want %d:\n%s", n, maxTries, f.stderr)
	}
	if inc := f.incident(t, in.id); inc.Status != arv.IncidentAuthorised || inc.RatifiedAt != nil {
		t.Errorf("after the failed ratification: %+v", inc)
	}

	g.itfc = f.users["planner"] // may view, not stand down
	for try := 1; try <= maxTries; try++ {
		if more := in.standDown(ctx); more != (try < maxTries) {
			t.Errorf("stand down, try %d: plays on %v", try, more)
		}
	}
	if inc := f.incident(t, in.id); inc.Status != arv.IncidentAuthorised {
		t.Errorf("after the failed stand-down: %s", inc.Status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
