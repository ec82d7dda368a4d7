package plan

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

var wantKeys = []string{KeyBaseline, KeyAFOLoss, KeyExtraOfficers, KeyKeySites, KeyOneMoreARV, KeyOneFewerARV, KeyArmAll, KeyTaserAll}

func whatIfs(t *testing.T, o WhatIfOptions, s *arv.Scenario) map[string]WhatIf {
	t.Helper()
	ws, err := o.WhatIfs(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	out := map[string]WhatIf{}
	for _, w := range ws {
		keys = append(keys, w.Key)
		out[w.Key] = w
		if w.Name == "" || w.Description == "" || len(w.Notes) == 0 || w.Apply == nil {
			t.Errorf("%s: what-if without a name, description, notes or Apply", w.Key)
		}
	}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("keys %v, want %v", keys, wantKeys)
	}
	return out
}

// apply applies w to s and checks that s is left as it was.
func apply(t *testing.T, w WhatIf, s *arv.Scenario) *arv.Scenario {
	t.Helper()
	before := s.Clone()
	c, err := w.Apply(s)
	if err != nil {
		t.Fatalf("%s: %v", w.Key, err)
	}
	if !reflect.DeepEqual(before, s) {
		t.Fatalf("%s: Apply changed the scenario it was given", w.Key)
	}
	if errs := c.Validate(); len(errs) > 0 {
		t.Fatalf("%s: %v", w.Key, errs)
	}
	if got, want := len(c.ARVs), w.ARVs; got != want {
		t.Errorf("%s: Apply gave %d ARVs, the what-if says %d", w.Key, got, want)
	}
	if got, want := c.Officers.ARV, w.Officers; got != want {
		t.Errorf("%s: Apply gave %d officers, the what-if says %d", w.Key, got, want)
	}
	return c
}

// hourly is the default officer-hour: £55,000 / (40 × 52.18) hours.
const hourly = 55000 / (40 * 365.25 / 7)

// TestWhatIfsBuiltIn checks each what-if on the built-in scenarios
// against the arithmetic docs/planning.md shows.
func TestWhatIfsBuiltIn(t *testing.T) {
	cases := []struct {
		name string
		// The 2010–2016 loss: round(officers × 5,639 / 6,976), the ARVs
		// whose seats still fit (Wiltshire 36 / 6.97 = 5.16 seats, two
		// crews; Kent 61 / 6.97 = 8.75, four), the last one dropped.
		lossOfficers, lossARVs int
		lossDropped            string
		// +24: Wiltshire 69 / 6.97 = 9.9 seats, four ARVs; Kent 99 /
		// 6.97 = 14.2, seven.
		extraARVs int
		// One ARV more or fewer: the officers Staffing gives the new
		// number in whole teams (Wiltshire 8 seats × 6.97 = 55.8 → 56 →
		// 60; 4 seats → 27.9 → 28 → 30; Kent 12 seats → 83.7 → 85 and 8
		// seats → 60), and the default base for a new ARV.
		moreOfficers, fewerOfficers int
		moreBase                    string
		// The officers needed by the baseline: seats and key-site
		// patrols (Kent 12 crew-hours a day × 2 / 24 = 1 seat):
		// Wiltshire ⌈6 × 6.97⌉ = 42, Kent ⌈11 × 6.97⌉ = 77.
		baseNeeded int
		// Arming every officer: force officers, response officers =
		// round(force × 0.3), armed patrol cars =
		// ⌊response × (1 − 48 / 219.15) / 5⌋ and the officers the
		// simulator needs for them, ⌈cars × 6.97⌉.
		force, armCars, armSimOfficers int
		// Taser: round(force × 0.5) − Taser officers − armed officers.
		taserTrain int
	}{
		{"wiltshire", 36, 2, "ARV3", 4, 60, 30, "wp_gablecross", 42, 974, 45, 314, 487 - 170 - 70},
		{"kent", 61, 4, "ARV5", 7, 85, 60, "kenthq", 77, 3200, 149, 1039, 1600 - 330 - 81},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := builtin(t, tc.name)
			ws := whatIfs(t, WhatIfOptions{}, s)
			n := len(s.ARVs)
			cost := DefaultCosts()

			base := ws[KeyBaseline]
			if c := apply(t, base, s); !reflect.DeepEqual(c, s) {
				t.Error("the baseline is not the scenario")
			}
			if base.OfficersNeeded != tc.baseNeeded || base.Cost.PerYear != 0 || !base.Cost.Known {
				t.Errorf("baseline needs %d officers and costs %v, want %d and 0", base.OfficersNeeded, base.Cost.PerYear, tc.baseNeeded)
			}

			loss := ws[KeyAFOLoss]
			c := apply(t, loss, s)
			if c.Officers.ARV != tc.lossOfficers || len(c.ARVs) != tc.lossARVs || c.ARVs[len(c.ARVs)-1].CallSign == tc.lossDropped {
				t.Errorf("loss: %d officers, %d ARVs; want %d, %d without %s", c.Officers.ARV, len(c.ARVs), tc.lossOfficers, tc.lossARVs, tc.lossDropped)
			}
			if !strings.Contains(loss.Notes[0], tc.lossDropped) {
				t.Errorf("loss: the first note does not say what was lost: %q", loss.Notes[0])
			}
			lost := s.Officers.ARV - tc.lossOfficers
			if want := -float64(lost)*cost.OfficerPerYear - cost.ARVPerYear; !near(loss.Cost.PerYear, want, 1e-6) {
				t.Errorf("loss: cost %v, want %v", loss.Cost.PerYear, want)
			}

			extra := ws[KeyExtraOfficers]
			c = apply(t, extra, s)
			if c.Officers.ARV != s.Officers.ARV+24 || len(c.ARVs) != tc.extraARVs {
				t.Errorf("+24: %d officers, %d ARVs; want %d, %d", c.Officers.ARV, len(c.ARVs), s.Officers.ARV+24, tc.extraARVs)
			}
			added := tc.extraARVs - n
			if want := 24*cost.OfficerPerYear + float64(added)*cost.ARVPerYear; !near(extra.Cost.PerYear, want, 1e-6) {
				t.Errorf("+24: cost %v, want %v", extra.Cost.PerYear, want)
			}
			// Training once: 24 officers × 9 course weeks × 40 hours.
			if want := 24 * 9 * 40 * hourly; !near(extra.Cost.OneOff, want, 1e-6) {
				t.Errorf("+24: one-off %v, want %v", extra.Cost.OneOff, want)
			}

			more := ws[KeyOneMoreARV]
			c = apply(t, more, s)
			if len(c.ARVs) != n+1 || c.Officers.ARV != tc.moreOfficers || c.ARVs[n].Base != tc.moreBase {
				t.Errorf("+1 ARV: %d ARVs, %d officers, new at %s; want %d, %d, %s", len(c.ARVs), c.Officers.ARV, c.ARVs[n].Base, n+1, tc.moreOfficers, tc.moreBase)
			}
			fewer := ws[KeyOneFewerARV]
			c = apply(t, fewer, s)
			if len(c.ARVs) != n-1 || c.Officers.ARV != tc.fewerOfficers || c.MinimumComplement > n-1 {
				t.Errorf("−1 ARV: %d ARVs, %d officers; want %d, %d", len(c.ARVs), c.Officers.ARV, n-1, tc.fewerOfficers)
			}
			if !reflect.DeepEqual(c.ARVs, s.ARVs[:n-1]) {
				t.Error("−1 ARV: not the last of the crewing order removed")
			}

			arm := ws[KeyArmAll]
			c = apply(t, arm, s)
			if arm.OfficersNeeded != tc.force || len(c.ARVs) != n+tc.armCars || c.Officers.ARV != s.Officers.ARV+tc.armSimOfficers {
				t.Errorf("arm all: needs %d, %d ARVs, %d officers; want %d, %d, %d",
					arm.OfficersNeeded, len(c.ARVs), c.Officers.ARV, tc.force, n+tc.armCars, s.Officers.ARV+tc.armSimOfficers)
			}
			for _, a := range c.ARVs[n:] {
				if a.Crew != 1 || len(a.Shifts) != len(s.Shifts.Shifts) || !strings.HasPrefix(a.Base, "patrol-") {
					t.Errorf("arm all: patrol car %+v is not single-crewed on every shift at a patrol point", a)
					break
				}
			}
			// Cost a year: every unarmed officer × (60 training hours ×
			// the officer-hour + £1,000 + £300).
			toArm := tc.force - s.Officers.ARV - s.Officers.AFO
			if want := float64(toArm) * (60*hourly + 1300); !near(arm.Cost.PerYear, want, 1e-6) {
				t.Errorf("arm all: cost %v, want %v", arm.Cost.PerYear, want)
			}

			taser := ws[KeyTaserAll]
			c = apply(t, taser, s)
			if !taser.SameResponse || c.Officers.Taser != s.Officers.Taser+tc.taserTrain {
				t.Errorf("Taser: same response %v, %d Taser officers; want true, %d", taser.SameResponse, c.Officers.Taser, s.Officers.Taser+tc.taserTrain)
			}
			c.Officers.Taser = s.Officers.Taser
			if !reflect.DeepEqual(c, s) {
				t.Error("Taser: changed more than the Taser officers")
			}
			// A year: 6 refresher hours each and the device (£6.7m /
			// 8,155) over 5 years; once: the device and 18 hours each.
			dev := 6.7e6 / 8155
			if want := float64(tc.taserTrain) * (6*hourly + dev/5); !near(taser.Cost.PerYear, want, 1e-6) {
				t.Errorf("Taser: cost a year %v, want %v", taser.Cost.PerYear, want)
			}
			if want := float64(tc.taserTrain) * (18*hourly + dev); !near(taser.Cost.OneOff, want, 1e-6) {
				t.Errorf("Taser: once %v, want %v", taser.Cost.OneOff, want)
			}

			for _, w := range ws {
				if w.Applies && !w.Cost.Known {
					t.Errorf("%s: no cost", w.Key)
				}
			}
		})
	}
}

func TestKeySitesWhatIf(t *testing.T) {
	// Wiltshire has no key-site patrols and the files report none: the
	// what-if does not apply, and no site is invented.
	w := whatIfs(t, WhatIfOptions{}, builtin(t, "wiltshire"))[KeyKeySites]
	if w.Applies {
		t.Error("Wiltshire: the key-site what-if applies")
	}
	if _, err := w.Apply(builtin(t, "wiltshire")); !errors.Is(err, ErrNotApplicable) {
		t.Errorf("Wiltshire: Apply gave %v, want ErrNotApplicable", err)
	}
	// Kent: without its three patrols, which take 12 crew-hours a day,
	// one seat of 6.97 officers: 77 officers needed become 70.
	k := builtin(t, "kent")
	w = whatIfs(t, WhatIfOptions{}, k)[KeyKeySites]
	c := apply(t, w, k)
	if len(c.KeySites) != 0 || w.OfficersNeeded != 70 || w.Cost.PerYear != 0 {
		t.Errorf("Kent: %d key sites, %d officers needed, cost %v; want 0, 70, 0", len(c.KeySites), w.OfficersNeeded, w.Cost.PerYear)
	}
}

func TestAddARVAt(t *testing.T) {
	s := builtin(t, "wiltshire")
	at := func(*arv.Scenario) string { return "wp_tidworth" }
	// Tidworth is a police site of the network but not a base of the
	// scenario: the hook must name a base or standby point.
	ws := whatIfs(t, WhatIfOptions{AddARVAt: at}, s)
	if ws[KeyOneMoreARV].Applies {
		t.Error("an ARV was added at an unknown base")
	}
	if _, err := ws[KeyOneMoreARV].Apply(s); err == nil {
		t.Error("Apply added an ARV at an unknown base")
	}
	ws = whatIfs(t, WhatIfOptions{AddARVAt: func(*arv.Scenario) string { return "wp_hq_devizes" }, AddARVRule: "the planner's rule"}, s)
	c := apply(t, ws[KeyOneMoreARV], s)
	if a := c.ARVs[len(c.ARVs)-1]; a.Base != "wp_hq_devizes" || a.CallSign != "ARV4" {
		t.Errorf("new ARV %s at %s, want ARV4 at wp_hq_devizes", a.CallSign, a.Base)
	}
	// The notes say how the hook chose, not the default rule.
	for _, key := range []string{KeyOneMoreARV, KeyExtraOfficers} {
		notes := strings.Join(ws[key].Notes, " ")
		if !strings.Contains(notes, "Where it stands: the planner's rule.") && !strings.Contains(notes, "Where they stand: the planner's rule.") {
			t.Errorf("%s notes %q do not give the hook's rule", key, notes)
		}
		if strings.Contains(notes, "fewest ARVs") {
			t.Errorf("%s notes %q give the default rule", key, notes)
		}
	}
}

func TestOneARVScenario(t *testing.T) {
	s := testshire()
	s.ARVs = s.ARVs[:1]
	s.MinimumComplement = 1
	ws := whatIfs(t, WhatIfOptions{}, s)
	if ws[KeyOneFewerARV].Applies {
		t.Error("one fewer than one ARV applies")
	}
	// 45 officers × 0.808 = 36 still crew the one ARV.
	c := apply(t, ws[KeyAFOLoss], s)
	if len(c.ARVs) != 1 {
		t.Errorf("the loss left %d ARVs, want 1", len(c.ARVs))
	}
}

func TestWithARVs(t *testing.T) {
	s := builtin(t, "wiltshire")
	// k ARVs × 2 seats × 6.97, rounded up to whole officers and teams:
	// 13.9 → 15, 27.9 → 30, 41.8 → 45, 55.8 → 60, 69.7 → 70.
	want := []int{15, 30, 45, 60, 70}
	for k := 1; k <= len(s.ARVs)+2; k++ {
		c, err := WhatIfOptions{}.WithARVs(s, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.ARVs) != k || c.Officers.ARV != want[k-1] || c.MinimumComplement > k {
			t.Errorf("k = %d: %d ARVs, %d officers, minimum %d; want %d, %d", k, len(c.ARVs), c.Officers.ARV, c.MinimumComplement, k, want[k-1])
		}
		if k <= len(s.ARVs) && !reflect.DeepEqual(c.ARVs, s.ARVs[:k]) {
			t.Errorf("k = %d: not the first ARVs of the crewing order", k)
		}
	}
	// Added ARVs spread over the bases: the fourth at the first base,
	// the fifth at the second.
	c, _ := WhatIfOptions{}.WithARVs(s, 5)
	if c.ARVs[3].Base != s.Bases[0].ID || c.ARVs[4].Base != s.Bases[1].ID {
		t.Errorf("added at %s and %s, want %s and %s", c.ARVs[3].Base, c.ARVs[4].Base, s.Bases[0].ID, s.Bases[1].ID)
	}
	for _, k := range []int{0, -1, 1001} {
		if _, err := (WhatIfOptions{}).WithARVs(s, k); err == nil {
			t.Errorf("WithARVs(%d): no error", k)
		}
	}
	if _, err := (WhatIfOptions{}).WithARVs(nil, 1); err == nil {
		t.Error("WithARVs(nil): no error")
	}
}

func TestApportion(t *testing.T) {
	cases := []struct {
		w    []float64
		n    int
		want []int
	}{
		{[]float64{3, 1}, 4, []int{3, 1}},
		{[]float64{1, 1, 1}, 2, []int{1, 1, 0}},             // ties: the first listed
		{[]float64{0, 0}, 3, []int{2, 1}},                   // no weight: equal shares
		{[]float64{183638, 41820, 120}, 10, []int{8, 2, 0}}, // 8.14, 1.85, 0.005
		{[]float64{1, 2}, 0, []int{0, 0}},
		{nil, 5, []int{}},
	}
	for _, tc := range cases {
		got := apportion(tc.w, tc.n)
		if !slices.Equal(got, tc.want) {
			t.Errorf("apportion(%v, %d) = %v, want %v", tc.w, tc.n, got, tc.want)
		}
	}
}

func TestWhatIfsErrors(t *testing.T) {
	if _, err := (WhatIfOptions{}).WhatIfs(nil); err == nil {
		t.Error("WhatIfs(nil): no error")
	}
	s := testshire()
	s.Shifts.Teams = 0
	if _, err := (WhatIfOptions{}).WhatIfs(s); err == nil {
		t.Error("no teams: no error")
	}
	bad := DefaultCosts()
	bad.ResponseShare = 2
	if _, err := (WhatIfOptions{Costs: bad}).WhatIfs(testshire()); err == nil {
		t.Error("a response share of 2: no error")
	}
	ws, err := WhatIfOptions{}.WhatIfs(testshire())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Applies {
			if _, err := w.Apply(nil); err == nil {
				t.Errorf("%s: Apply(nil) gave no error", w.Key)
			}
		}
	}
}

func TestForceOfficers(t *testing.T) {
	if n, src := ForceOfficers(builtin(t, "wiltshire")); n != 974 || !strings.Contains(src, "facts §3.4") {
		t.Errorf("Wiltshire: %d (%s), want 974 from facts §3.4", n, src)
	}
	if n, src := ForceOfficers(builtin(t, "kent")); n != 3200 || !strings.Contains(src, "assumption") {
		t.Errorf("Kent: %d (%s), want 3,200 labelled an assumption", n, src)
	}
	// Any other force: 125,851 officers (March 2017) per 59.6 million
	// residents × 700,000 = 1,478.
	if n, src := ForceOfficers(testshire()); n != 1478 || !strings.Contains(src, "assumption") {
		t.Errorf("testshire: %d (%s), want 1,478 labelled an assumption", n, src)
	}
	// A force of a billion residents would need 330,000 patrol cars: the
	// what-if declines rather than build them.
	s := testshire()
	s.Force.Population = 1e9
	if w := whatIfs(t, WhatIfOptions{}, s)[KeyArmAll]; w.Applies {
		t.Errorf("arming a billion residents' police applies with %d ARVs", w.ARVs)
	}
}
