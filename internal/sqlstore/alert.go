package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/arv-project/arv"
)

// Alerts implements arv.AlertService.
func (s *Store) Alerts(ctx context.Context) ([]arv.Alert, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	return s.alerts(ctx)
}

// alertsMaxAge is how long computed alerts are reused when nothing has
// changed: every live board asks on every change and every 15 s, and the
// 28-day roster check is the costliest read the server makes. Alerts
// that arise from the clock alone (an overdue ratification, a missed
// check-in) show up at most this late.
const alertsMaxAge = 5 * time.Second

type alertsCache struct {
	version uint64
	at      time.Time
	alerts  []arv.Alert
}

func (s *Store) alerts(ctx context.Context) ([]arv.Alert, error) {
	v := s.version.Load()
	now := s.now()
	s.fleetMu.Lock()
	c := s.alertsCache
	s.fleetMu.Unlock()
	if c != nil && c.version == v && !now.Before(c.at) && now.Sub(c.at) < alertsMaxAge {
		return slices.Clone(c.alerts), nil
	}
	out, err := s.computeAlerts(ctx, now)
	if err != nil {
		return nil, err
	}
	s.fleetMu.Lock()
	s.alertsCache = &alertsCache{version: v, at: now, alerts: out}
	s.fleetMu.Unlock()
	return slices.Clone(out), nil
}

func (s *Store) computeAlerts(ctx context.Context, now time.Time) ([]arv.Alert, error) {
	out := []arv.Alert{}
	open, err := s.findIncidents(ctx, arv.IncidentFilter{Open: true})
	if err != nil {
		return nil, err
	}
	for _, i := range open {
		ent := incidentEntity(i.ID)
		if i.AuthorisedAt != nil && i.RatifiedAt == nil && i.RatifyDue != nil && now.After(*i.RatifyDue) {
			out = append(out, arv.Alert{Kind: arv.AlertRatificationOverdue, Severity: "urgent", Entity: ent, Since: *i.RatifyDue,
				Message: fmt.Sprintf("Incident %d: the strategic firearms commander has not ratified or rescinded; due %s.", i.ID, arv.HourLocal(*i.RatifyDue))})
		}
		if i.SelfDeployed && i.AuthorisedAt == nil {
			out = append(out, arv.Alert{Kind: arv.AlertRetrospective, Severity: "urgent", Entity: ent, Since: i.CallAt,
				Message: fmt.Sprintf("Incident %d: self-deployment awaits retrospective authorisation by a firearms commander.", i.ID)})
		}
		if i.Breached(now) && i.ArrivedAt == nil {
			out = append(out, arv.Alert{Kind: arv.AlertTargetBreach, Severity: "urgent", Entity: ent, Since: i.CallAt.Add(time.Duration(i.TargetMinutes * float64(time.Minute))),
				Message: fmt.Sprintf("Incident %d: no armed officers on scene %.0f minutes after the call (%s target %.0f).", i.ID, now.Sub(i.CallAt).Minutes(), i.Class, i.TargetMinutes)})
		}
	}
	if out, err = s.appendIOPCAlerts(ctx, now, out); err != nil {
		return nil, err
	}
	gaps, err := s.gaps(ctx, now, now.Add(arv.RosterHorizon))
	if err != nil {
		return nil, err
	}
	for _, g := range gaps {
		sev := "warning"
		if !g.Start.After(now) {
			sev = "urgent"
		}
		msg := fmt.Sprintf("%s shift from %s: %d of %d ARVs fully crewed.", g.Shift, arv.DayLocal(g.Start), g.Crewed, g.Need)
		out = append(out, arv.Alert{Kind: arv.AlertComplement, Severity: sev, Entity: shiftEntity(g.ShiftID), Since: g.Start, Message: msg})
	}
	rem, err := s.reminders(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rem {
		if r.DaysLeft > 7 {
			continue
		}
		sev, msg := "warning", fmt.Sprintf("%s (%s): %s expires on %s (%d days).", r.Officer, r.Collar, r.What, r.Expires, r.DaysLeft)
		if r.DaysLeft < 0 {
			sev, msg = "warning", fmt.Sprintf("%s (%s): %s lapsed on %s.", r.Officer, r.Collar, r.What, r.Expires)
		}
		out = append(out, arv.Alert{Kind: arv.AlertAccreditation, Severity: sev, Entity: officerEntity(r.OfficerID), Since: r.Expires.Time().AddDate(0, 0, -7), Message: msg})
	}
	plans, err := loadPatrols(ctx, readQ{s}, 0)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if due, ok := p.MissedCheckIn(now); ok {
			out = append(out, arv.Alert{Kind: arv.AlertCheckInMissed, Severity: "urgent", Entity: patrolEntity(p.ID), Since: due,
				Message: fmt.Sprintf("%s: armed patrol check-in overdue since %s.", p.Site, arv.HourLocal(due))})
		}
	}
	slices.SortStableFunc(out, func(a, b arv.Alert) int {
		if a.Severity != b.Severity {
			if a.Severity == "urgent" {
				return -1
			}
			return 1
		}
		return a.Since.Compare(b.Since)
	})
	return out, nil
}

// WatchAlerts recomputes the alerts every interval until ctx ends and
// publishes an "alert" event for each one that was not standing before,
// so live boards hear of an overdue ratification without a change to
// trigger it.
func (s *Store) WatchAlerts(ctx context.Context, every time.Duration) {
	seen := map[string]bool{}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		alerts, err := s.alerts(ctx)
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("alerts", "err", err)
		}
		next := map[string]bool{}
		for _, a := range alerts {
			key := string(a.Kind) + " " + a.Entity
			next[key] = true
			if !seen[key] && s.Events != nil {
				s.Events.Publish(arv.Event{Kind: "alert", Entity: a.Entity, At: s.now(), Data: mustJSON(a)})
			}
		}
		seen = next
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
