package plan

import (
	"context"
	"fmt"
	"math"

	"github.com/arv-project/arv/hypercube"
)

// hypercube solves Larson's hypercube queueing model for the ARVs at
// their bases: exact up to hypercube.MaxExactServers ARVs, Larson's
// approximation beyond.
func (p *Plan) hypercube(ctx context.Context) error {
	s, m := p.Scenario, p.model
	n := len(m.ARVs)
	if n == 0 {
		return nil
	}
	hm := &hypercube.Model{Servers: n, Atoms: len(m.Sites), Queue: true}
	perMinute := s.Demand.IncidentsPerYear * (1 + s.Demand.TwoARVShare) / (365.25 * 24 * 60)
	travel := 0.0
	for _, st := range m.Sites {
		hm.Rate = append(hm.Rate, perMinute*st.Weight)
	}
	hm.Travel = make([]float64, n*hm.Atoms)
	for k, a := range m.ARVs {
		for j, st := range m.Sites {
			t := float64(m.Travel[a.Base*len(m.Points)+st.Point]) / 60
			if math.IsInf(t, 1) {
				t = 1e6
			}
			hm.Travel[k*hm.Atoms+j] = t
		}
	}
	hm.Prefer = hypercube.PreferenceByTravel(n, hm.Atoms, hm.Travel)
	for j, st := range m.Sites {
		travel += st.Weight * hm.Travel[hm.Prefer[j][0]*hm.Atoms+j]
	}
	// A job keeps an ARV for mobilisation, the drive and the time on
	// scene (the return drive leaves it free, as in the simulator).
	service := s.Demand.OnScene.MeanMinutes() + s.Delays.Mobilisation.MeanMinutes() + travel
	hm.Service = 1 / service
	p.hyperMin = service
	var err error
	if n <= hypercube.MaxExactServers {
		p.Workload, err = hypercube.Exact(ctx, hm)
		p.hyperHow = "exact"
	} else {
		p.Workload, err = hypercube.Approx(ctx, hm)
		p.hyperHow = "Larson's approximation"
	}
	if err != nil {
		return fmt.Errorf("hypercube: %w", err)
	}
	return nil
}

func (p *Plan) hypercubeCaption() string {
	c := fmt.Sprintf("Workload and share of calls of each ARV from the hypercube queueing model (%s, every ARV always crewed, service %.0f minutes) beside the simulator (which also models crewing gaps and two-ARV incidents).",
		p.hyperHow, p.hyperMin)
	if p.Workload != nil {
		c += fmt.Sprintf(" Every ARV busy: %.1f%% of the time in the hypercube model, %.1f%% in the simulator (which counts uncrewed ARVs too). Mean drive to a call in the hypercube model: %.1f minutes.",
			100*p.Workload.AllBusy, 100*p.Baseline.AllBusy.Mean, p.Workload.MeanResponse)
	}
	return c
}
