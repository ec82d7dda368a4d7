package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/arv-project/arv"
)

// The demo's commanders (issue 12): each commander sign-in is linked to
// an officer holding that command ticket, so that the demo authorises and
// ratifies as the server requires; the generator plays a handover from
// the ITFC to the TFC and, now and then, a tactical adviser consulted.

// commander is a demo commander's officer record.
type commander struct {
	username, collar, name, rank string
	ticket                       arv.Accreditation
}

// commanders are the officers of the demo's commander sign-ins.
var commanders = []commander{
	{"itfc", "WP9001", "Priya Shah", "Insp", arv.AccITFC},
	{"tfc", "WP9002", "Tom Hughes", "Insp", arv.AccTFC},
	{"sfc", "WP9003", "Claire Morgan", "Supt", arv.AccSFC},
}

// linkCommanders gives each demo commander sign-in its officer, with its
// command ticket in date for years around now, creating what is
// missing. It does nothing on services that keep no officers.
func linkCommanders(ctx context.Context, svc arv.UserService, now time.Time) error {
	all, ok := svc.(interface {
		arv.OfficerService
		arv.CommandService
	})
	if !ok {
		return nil
	}
	users, err := svc.FindUsers(ctx)
	if err != nil {
		return err
	}
	officers, err := all.FindOfficers(ctx)
	if err != nil {
		return err
	}
	for _, c := range commanders {
		var o *arv.Officer
		for _, x := range officers {
			if x.Collar == c.collar {
				o = x
			}
		}
		if o == nil {
			if o, err = all.CreateOfficer(ctx, arv.NewOfficer{Collar: c.collar, Name: c.name, Rank: c.rank}); err != nil {
				return fmt.Errorf("demo: commander %s: %w", c.name, err)
			}
		}
		if !o.HasValid(c.ticket, now) {
			if _, err := all.AddAccreditation(ctx, o.ID, arv.NewAccreditation{Kind: c.ticket,
				Issued: arv.DateOf(now.AddDate(-2, 0, 0)), Expires: arv.DateOf(now.AddDate(3, 0, 0))}); err != nil {
				return fmt.Errorf("demo: %s ticket of %s: %w", c.ticket, c.name, err)
			}
		}
		for _, u := range users {
			if u.Username == c.username && u.OfficerID != o.ID {
				if _, err := all.SetUserOfficer(ctx, u.ID, o.ID); err != nil {
					return fmt.Errorf("demo: link %s to %s: %w", c.username, c.name, err)
				}
			}
		}
	}
	return nil
}

// advisers are the made-up tactical advisers the generator consults.
var advisers = []string{"PS Gareth Reid (tactical adviser)", "PS Nadia Patel (tactical adviser)"}

// takeCommand plays the handover from the ITFC to the TFC before the
// SFC ratifies, and on every third incident a tactical adviser consulted
// by the TFC. It does nothing without a TFC user, or when the TFC is
// already in command.
func (in *incident) takeCommand(ctx context.Context, inc *arv.Incident) {
	g := in.g
	if g.tfc == nil || inc.Command == nil || inc.Command.InCommand != nil && inc.Command.InCommand.Commander == g.tfc.Username {
		return
	}
	if _, err := g.svc.TakeCommand(as(ctx, g.tfc), in.id, arv.TakeCommand{Level: arv.AccTFC,
		Note: "Cadre TFC takes command from the control-room ITFC."}); err != nil {
		g.fail(ctx, in.id, "take command", err)
		return
	}
	if in.id%3 == 0 {
		if _, err := g.svc.AddAdvice(as(ctx, g.tfc), in.id, arv.NewAdvice{Adviser: advisers[int(in.id/3)%len(advisers)],
			Advice: "Contain and call out from a position of cover; keep the ARV crews together; unarmed units to hold the outer cordon."}); err != nil {
			g.fail(ctx, in.id, "record tactical advice", err)
		}
	}
}
