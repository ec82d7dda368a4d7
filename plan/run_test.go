package plan

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/sim"
)

// TestRun runs every what-if of testshire and checks the common random
// numbers: every row sees the same incidents, the baseline is the
// scenario simulated directly, and Taser reuses it.
func TestRun(t *testing.T) {
	ctx := context.Background()
	s := testshire()
	opt := sim.Options{Years: 3, Replications: 4, WarmupDays: 10, Seed: 7}
	var said []string
	rows, err := WhatIfOptions{}.Run(ctx, s, lineCompiler(ctx), opt, func(m string) { said = append(said, m) })
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	byKey := map[string]Row{}
	for _, r := range rows {
		keys = append(keys, r.Key)
		byKey[r.Key] = r
		if !r.Applies || r.Result == nil {
			t.Errorf("%s: not run (%v)", r.Key, r.Notes)
			continue
		}
		if r.Figures != FiguresOf(r.Result) {
			t.Errorf("%s: figures not those of the result", r.Key)
		}
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("rows %v, want %v", keys, wantKeys)
	}
	if len(said) == 0 {
		t.Error("no progress reported")
	}

	// The baseline is the scenario itself, run with the same options.
	m, err := lineCompiler(ctx)(s)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := sim.Run(ctx, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	base := byKey[KeyBaseline].Result
	if !reflect.DeepEqual(base.All, direct.All) || base.Outcomes != direct.Outcomes {
		t.Error("the baseline row differs from the scenario simulated directly")
	}
	// Common random numbers: incidents arise from a stream of their own,
	// so every what-if sees the same number of them.
	for _, r := range rows {
		if got, want := r.Result.Outcomes.Incidents, base.Outcomes.Incidents; got != want {
			t.Errorf("%s: %d incidents, the baseline %d: not the same incidents", r.Key, got, want)
		}
	}
	taser := byKey[KeyTaserAll]
	if !taser.SameAsBaseline || taser.Result != base {
		t.Error("the Taser row does not reuse the baseline's result")
	}
	// With the same incidents, three ARVs and more officers answer
	// sooner than one fewer: the mean response falls.
	more, fewer := byKey[KeyOneMoreARV].Result.All.Mean.Mean, byKey[KeyOneFewerARV].Result.All.Mean.Mean
	if !(more < base.All.Mean.Mean && base.All.Mean.Mean < fewer) {
		t.Errorf("mean response: one more ARV %.2f, baseline %.2f, one fewer %.2f; want increasing", more, base.All.Mean.Mean, fewer)
	}
	// Forty-odd armed patrol cars waiting where the incidents arise
	// bring the median near the 5.5 minutes of delays before driving,
	// well below the three ARVs' (11.5 minutes with this seed).
	if arm := byKey[KeyArmAll].Result.All.Median.Mean; !(arm < 0.75*base.All.Median.Mean) {
		t.Errorf("median with every officer armed %.2f, baseline %.2f", arm, base.All.Median.Mean)
	}
	// Without its key-site patrol the force has more ARV time for
	// response: the share of time no ARV is free cannot rise.
	if ks := byKey[KeyKeySites].Result; ks.AllBusy.Mean > base.AllBusy.Mean {
		t.Errorf("no ARV free %.4f without the patrol, %.4f with it", ks.AllBusy.Mean, base.AllBusy.Mean)
	}
}

// TestRunBuiltIn runs every what-if of the built-in scenarios on their
// built-in networks, briefly: each must compile and simulate.
func TestRunBuiltIn(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"wiltshire", "kent"} {
		t.Run(name, func(t *testing.T) {
			s := builtin(t, name)
			rows, err := WhatIfOptions{}.Run(ctx, s, builtinCompiler(t, ctx, name), sim.Options{Years: 1, Replications: 2, Seed: 1}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Applies != (r.Result != nil) {
					t.Errorf("%s: applies %v but result %v", r.Key, r.Applies, r.Result != nil)
				}
			}
			if ks := rows[3]; ks.Key != KeyKeySites || ks.Applies != (name == "kent") {
				t.Errorf("key sites apply %v for %s", ks.Applies, name)
			}
			if base, arm := rows[0].Figures.Median.Mean, rows[6].Figures.Median.Mean; !(arm < base) {
				t.Errorf("median with every officer armed %.1f, baseline %.1f", arm, base)
			}
		})
	}
}

func TestRunARVCurve(t *testing.T) {
	ctx := context.Background()
	s := testshire()
	pts, err := WhatIfOptions{}.RunARVCurve(ctx, s, lineCompiler(ctx), sim.Options{Years: 2, Replications: 2, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != len(s.ARVs)+2 {
		t.Fatalf("%d points, want %d", len(pts), len(s.ARVs)+2)
	}
	for i, p := range pts {
		if p.ARVs != i+1 || p.Result == nil {
			t.Fatalf("point %d: %d ARVs, result %v", i, p.ARVs, p.Result != nil)
		}
		if i > 0 && p.Officers < pts[i-1].Officers {
			t.Errorf("%d ARVs have fewer officers (%d) than %d (%d)", p.ARVs, p.Officers, pts[i-1].ARVs, pts[i-1].Officers)
		}
	}
	// One ARV against five: the first answers far slower.
	if first, last := pts[0].Figures.Median.Mean, pts[len(pts)-1].Figures.Median.Mean; !(first > last) {
		t.Errorf("median with one ARV %.1f, with %d %.1f", first, len(pts), last)
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	s := testshire()
	opt := sim.Options{Years: 1, Replications: 1}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (WhatIfOptions{}).Run(cancelled, s, lineCompiler(ctx), opt, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	if _, err := (WhatIfOptions{}).RunARVCurve(cancelled, s, lineCompiler(ctx), opt, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("curve cancelled: %v, want context.Canceled", err)
	}
	if _, err := (WhatIfOptions{}).Run(ctx, s, nil, opt, nil); err == nil {
		t.Error("no compile function: no error")
	}
	if _, err := (WhatIfOptions{}).Run(ctx, nil, lineCompiler(ctx), opt, nil); err == nil {
		t.Error("no scenario: no error")
	}
	fail := func(*arv.Scenario) (*sim.Model, error) { return nil, errors.New("no roads here") }
	if _, err := (WhatIfOptions{}).Run(ctx, s, fail, opt, nil); err == nil || !strings.Contains(err.Error(), KeyBaseline) {
		t.Errorf("a failing compile gave %v, want an error naming the what-if", err)
	}
	if _, err := (WhatIfOptions{}).Run(ctx, s, lineCompiler(ctx), sim.Options{}, nil); err == nil {
		t.Error("zero options: no error")
	}
}
