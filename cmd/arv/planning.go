package main

import (
	"bytes"
	"context"
	"fmt"

	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/plan"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/sim"
)

// browserPlanner plans a built-in scenario for the planning page with
// the scenario's own simulation settings and returns the report.
func browserPlanner(m *Main) arvhttp.Planner {
	return func(ctx context.Context, scenario string) ([]byte, error) {
		ls, err := load.Scenario(ctx, scenario, nil)
		if err != nil {
			return nil, err
		}
		pl := plan.Planner{Router: ls.Router, Options: sim.OptionsFor(ls.Scenario), Source: ls.Source, Now: m.now}
		p, err := pl.Run(ctx, ls.Scenario, nil)
		if err != nil {
			return nil, fmt.Errorf("plan %s: %w", scenario, err)
		}
		var buf bytes.Buffer
		if err := report.Render(&buf, p.Report()); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
}
