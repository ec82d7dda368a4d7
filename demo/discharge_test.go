package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// TestDrawDischarge: discharges are rare, drawn from their own seeded
// stream, so a seed repeats them and the calls' draws do not move.
func TestDrawDischarge(t *testing.T) {
	sc, model := syntheticScenario()
	draws := func(seed uint64) (n int, first []bool) {
		g, err := newDraws(sc, model, nil, Options{Rate: Rate{Seed: seed, HasSeed: true}})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 10000 {
			d := g.drawDischarge()
			if d {
				n++
			}
			if k < 200 {
				first = append(first, d)
			}
		}
		return n, first
	}
	n, a := draws(7)
	if n < 200 || n > 400 {
		t.Errorf("%d discharges in 10000 incidents, want about %g", n, dischargeShare*10000)
	}
	if _, b := draws(7); strings.Join(boolStrings(a), "") != strings.Join(boolStrings(b), "") {
		t.Error("seed 7 drew different discharges twice")
	}
}

func boolStrings(bs []bool) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = "0"
		if b {
			out[i] = "1"
		}
	}
	return out
}

// TestAfterDischarge: an incident drawn to end in a discharge is played
// from the discharge to the sign-off of its deployment log; one not drawn
// is left alone.
func TestAfterDischarge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.generator(t, Rate{PerHour: 6, Speedup: 20000, Seed: 3, HasSeed: true})
	for _, discharge := range []bool{true, false} {
		in := authorisedIncident(t, f, g)
		in.discharge = discharge
		for _, s := range []step{stepAssign, stepRatify, stepArrive, stepStandDown} {
			in.take(ctx, s)
		}
		in.afterDischarge(ctx)
		inc := f.incident(t, in.id)
		if !discharge {
			if len(inc.Discharges) != 0 || inc.SignedOff != nil {
				t.Errorf("incident not drawn for a discharge: %+v", inc.AfterDischarge)
			}
			continue
		}
		p := inc.PostIncident
		if len(inc.Discharges) != 1 || !inc.Discharges[0].Injury.DSI() || p == nil || p.ManagerID == 0 || len(p.Witnesses) != 2 ||
			p.Referral == nil || len(inc.Debriefs) != 1 || inc.SignedOff == nil || inc.SignedOff.Role != arv.RoleSFC {
			t.Fatalf("after the discharge: %+v\n%s", inc.AfterDischarge, f.stderr)
		}
		if d := inc.Discharges[0]; inc.StoodDownAt == nil || d.At.After(*inc.StoodDownAt) || len(inc.Assignments) == 0 ||
			inc.Assignments[0].ArrivedAt == nil || d.At.Before(*inc.Assignments[0].ArrivedAt) {
			t.Errorf("discharge at %s, not between the arrival and the stand-down: %+v", d.At, inc.Assignments)
		}
		if !strings.HasPrefix(inc.Discharges[0].Circumstances, "Demo: ") {
			t.Errorf("circumstances %q not marked Demo:", inc.Discharges[0].Circumstances)
		}
	}
	if strings.Contains(f.stderr.String(), "level=ERROR") {
		t.Errorf("errors:\n%s", f.stderr)
	}
}
