package plan

import (
	"context"
	"io"
	"testing"

	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/sim"
)

// BenchmarkPlan runs the whole plan of each built-in scenario with its
// own settings (seed included), as "arv plan" does: loading the scenario
// and its network, planning, and rendering the report. The target is
// under 30 s for Wiltshire on 2 cores.
func BenchmarkPlan(b *testing.B) {
	for _, name := range []string{"wiltshire", "kent"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ls, err := load.Scenario(context.Background(), name, nil)
				if err != nil {
					b.Fatal(err)
				}
				pl := Planner{Router: ls.Router, Model: ls.Model, Options: sim.OptionsFor(ls.Scenario), Source: ls.Source}
				p, err := pl.Run(context.Background(), ls.Scenario, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := report.Render(io.Discard, p.Report()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
