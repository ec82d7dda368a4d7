package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/arv-project/arv"
)

// After a discharge (issue 12): now and then an incident the generator
// plays ends with a discharge causing serious injury, so that the board
// shows the post-incident procedure and its IOPC alert. Whether it does
// is drawn from a stream of its own, seeded from the generator's seed, so
// that the calls' draws (TestDrawsRepeat) stay as they were.

// Assumptions of the after-discharge play (no scenario field holds them).
const (
	// dischargeShare is the share of incidents with an ARV on scene that
	// end in a discharge. Real discharges are about 0.05% of operations
	// (facts §3); the demo shows one every few hours at its default
	// rate instead.
	dischargeShare = 0.03
	// referMinutes, debriefMinutes and signOffMinutes are, in minutes of
	// the scenario after the stand-down, when the IOPC referral, the
	// debrief and the sign-off are recorded: the referral late enough
	// that the urgent alert is seen.
	referMinutes, debriefMinutes, signOffMinutes = 40.0, 90.0, 120.0
)

// drawDischarge reports whether the next incident ends in a discharge.
// Run's goroutine (or a test's) only.
func (g *Generator) drawDischarge() bool {
	if g.afterRng == nil {
		g.afterRng = rand.New(rand.NewPCG(g.seed, 0x646973636861)) // "discha"
	}
	return g.afterRng.Float64() < dischargeShare
}

// afterDischarge plays what follows a discharge on an incident the
// generator stood down after its ARV arrived: the discharge by one of
// the crew, the post-incident manager and key police witnesses, the IOPC
// referral, the debrief and the sign-off of the deployment log. A step
// that fails ends it (the alert or the open log shows where it stopped).
func (in *incident) afterDischarge(ctx context.Context) {
	g := in.g
	if !in.discharge || !in.arrived || in.handedOver != "" || ctx.Err() != nil {
		return
	}
	itfc, sfc := as(ctx, g.itfc), as(ctx, g.sfc)
	inc, err := g.svc.FindIncidentByID(itfc, in.id)
	if err != nil || inc.Status != arv.IncidentStoodDown || inc.SignedOff != nil || len(inc.Discharges) > 0 {
		return // someone else has it
	}
	u, err := g.svc.FindUnitByID(itfc, in.unit)
	if err != nil {
		g.fail(ctx, in.id, "after a discharge: find the ARV", err)
		return
	}
	officers, err := g.svc.FindOfficers(itfc)
	if err != nil {
		g.fail(ctx, in.id, "after a discharge: find officers", err)
		return
	}
	crew := make([]int64, 0, len(u.Crew))
	for _, c := range u.Crew {
		crew = append(crew, c.OfficerID)
	}
	if len(crew) == 0 {
		return
	}
	// The discharge happened on scene: halfway between the first arrival
	// and the stand-down, not when it is recorded afterwards.
	var at time.Time
	for _, a := range inc.Assignments {
		if a.ArrivedAt != nil && inc.StoodDownAt != nil {
			at = a.ArrivedAt.Add(inc.StoodDownAt.Sub(*a.ArrivedAt) / 2)
			break
		}
	}
	manager := int64(0)
	for _, o := range officers {
		if !slices.Contains(crew, o.ID) {
			manager = o.ID
			break
		}
	}
	steps := []struct {
		what  string
		after float64 // minutes of the scenario after the stand-down
		do    func() error
	}{
		{"record the discharge", 0, func() error {
			_, err := g.svc.RecordDischarge(itfc, in.id, arv.NewDischarge{OfficerID: crew[0], At: at, Weapon: arv.WeaponCarbine, Rounds: 2, AtPerson: true, Injury: arv.InjurySerious,
				Circumstances: "Demo: the subject raised a handgun towards officers; two carbine rounds fired; first aid given until paramedics took over."})
			return err
		}},
		{"appoint the post-incident manager", 0, func() error {
			if manager == 0 {
				return nil
			}
			_, err := g.svc.AppointPostIncidentManager(itfc, in.id, arv.PostIncidentManager{OfficerID: manager})
			return err
		}},
		{"name the key police witnesses", 0, func() error {
			for k, id := range crew {
				note := "fired two carbine rounds"
				if k > 0 {
					note = "crew member; saw the discharge"
				}
				if _, err := g.svc.AddKeyWitness(itfc, in.id, arv.NewKeyWitness{OfficerID: id, Note: note}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"record the IOPC referral", referMinutes, func() error {
			_, err := g.svc.ReferToIOPC(itfc, in.id, arv.NewIOPCReferral{Reference: fmt.Sprintf("IOPC/DEMO/%d", in.id), By: "Demo: professional standards duty officer"})
			return err
		}},
		{"record the debrief", debriefMinutes, func() error {
			_, err := g.svc.RecordDebrief(itfc, in.id, arv.NewDebrief{LedBy: "Demo: post-incident manager",
				Notes: "Demo: hot debrief. Learning: confirm the AEP option is carried on the first ARV."})
			return err
		}},
		{"sign off the deployment log", signOffMinutes, func() error {
			_, err := g.svc.SignOff(sfc, in.id, arv.SignOffRequest{Note: "Demo: deployment log complete."})
			return err
		}},
	}
	start := time.Now()
	for _, s := range steps {
		if !sleep(ctx, time.Until(start.Add(g.Scale(s.after)))) {
			return
		}
		if err := s.do(); err != nil {
			g.fail(ctx, in.id, "after a discharge: "+s.what, err)
			return
		}
	}
	g.log.Info("generator: discharge played through to sign-off", "incident", in.id)
}
