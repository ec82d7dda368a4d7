package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/plan"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/sim"
)

// serverPlanner plans the built-in scenarios for the server's planning
// page (http.Planner), each with its own simulation settings and seed.
type serverPlanner struct {
	names []string
	now   func() time.Time
}

// newServerPlanner offers the built-in scenarios, first the one served.
func newServerPlanner(m *Main, served string) *serverPlanner {
	names := scenarios.Names()
	if i := slices.Index(names, served); i > 0 {
		names = append(append([]string{names[i]}, names[:i]...), names[i+1:]...)
	}
	return &serverPlanner{names: names, now: m.now}
}

// Scenarios implements http.Planner.
func (p *serverPlanner) Scenarios() []string { return p.names }

// Plan implements http.Planner. It runs the simulations on one core, so
// that the control room's requests keep the other (assumption: a
// two-core server; a plan then takes about twice as long as "arv plan").
func (p *serverPlanner) Plan(ctx context.Context, scenario string) (string, error) {
	ls, err := load.Scenario(ctx, scenario, nil)
	if err != nil {
		return "", err
	}
	opt := sim.OptionsFor(ls.Scenario)
	opt.Workers = 1
	pl := plan.Planner{Router: ls.Router, Model: ls.Model, Options: opt, Source: ls.Source, Now: p.now}
	res, err := pl.Run(ctx, ls.Scenario, nil)
	if err != nil {
		return "", fmt.Errorf("plan %s: %w", scenario, err)
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, res.Report()); err != nil {
		return "", err
	}
	return buf.String(), nil
}
