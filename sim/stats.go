package sim

import (
	"encoding/json"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/arv-project/arv"
)

// CDFMinutes is the last minute of Result.CDF.
const CDFMinutes = 120

// Estimate is a mean over replications and its 95% confidence interval
// (Student's t on the replication values). With one replication, or when
// no replication has a value, Low and High equal Mean (NaN when none).
// The interval is clipped to what the figure can be: every figure is
// non-negative, and shares are at most 1 (with few replications the t
// interval alone can reach below 0% or above 100%).
type Estimate struct {
	Mean float64 `json:"mean"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// N is the number of replications with a value.
	N int `json:"n"`
}

// ResponseStats describes response times in minutes, from the 999 call to
// the first armed officers on scene.
type ResponseStats struct {
	Mean   Estimate `json:"mean"`
	Median Estimate `json:"median"`
	P90    Estimate `json:"p90"`
	P95    Estimate `json:"p95"`
	// WithinTarget is the share meeting the target for its area class.
	WithinTarget Estimate `json:"within_target"`
	// Incidents is the number of responses behind the figures, over all
	// replications.
	Incidents int `json:"incidents"`
}

// Result is the summary of a run.
type Result struct {
	Scenario     string  `json:"scenario"`
	Seed         uint64  `json:"seed"`
	Replications int     `json:"replications"`
	Years        float64 `json:"years"`
	WarmupDays   float64 `json:"warmup_days"`

	// Targets are the scenario's standards.
	Targets arv.Targets `json:"targets"`

	// All, Urban and Rural describe the responses (own ARVs and mutual
	// aid alike) by area class.
	All   ResponseStats `json:"all"`
	Urban ResponseStats `json:"urban"`
	Rural ResponseStats `json:"rural"`

	// IncidentsPerYear is the number of armed incidents a year.
	IncidentsPerYear Estimate `json:"incidents_per_year"`
	// AllBusy is the share of time no ARV was free to be sent: all busy,
	// on patrol or uncrewed.
	AllBusy Estimate `json:"no_arv_free"`
	// MutualAidPerYear is the number of incidents a year handed to a
	// neighbouring force.
	MutualAidPerYear Estimate `json:"mutual_aid_per_year"`
	// BelowMinimumMinutesPerYear is the time a year with fewer crewed ARVs
	// than the minimum complement.
	BelowMinimumMinutesPerYear Estimate `json:"below_minimum_minutes_per_year"`
	// KeySiteUncoveredHoursPerYear is the patrol time a year (all key
	// sites) with no ARV free to take it.
	KeySiteUncoveredHoursPerYear Estimate `json:"key_site_uncovered_hours_per_year"`

	// ARVs gives each vehicle's figures.
	ARVs []ARVStats `json:"arvs"`
	// Groups gives the figures per settlement (grid cells pooled), over
	// all replications.
	Groups []GroupStats `json:"settlements"`

	// CDF is the distribution of all response times, pooled over the
	// replications: CDF[m] is the share answered within m minutes, for
	// m = 0..CDFMinutes.
	CDF []float64 `json:"cdf"`

	// Outcomes counts what became of every incident after the warm-ups.
	Outcomes Outcomes `json:"outcomes"`
	// Events is the number of events simulated.
	Events int64 `json:"events"`
}

// ARVStats are one vehicle's figures.
type ARVStats struct {
	CallSign string `json:"call_sign"`
	Base     string `json:"base"`
	// Crewed is the share of time it was crewed.
	Crewed Estimate `json:"crewed"`
	// Utilisation is the share of its crewed time spent driving to or at
	// incidents.
	Utilisation Estimate `json:"utilisation"`
	// Patrol is the share of its crewed time committed to key-site
	// patrols.
	Patrol Estimate `json:"patrol"`
	// Calls is its share of all dispatches to incidents.
	Calls Estimate `json:"calls"`
}

// GroupStats are the pooled figures of one settlement (or of all grid
// cells). The Wilson interval treats the pooled responses as independent;
// incidents close in time share the crewing of the moment, so it is
// somewhat narrower than a between-replication interval would be.
type GroupStats struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	// Incidents is the number of responses over all replications.
	Incidents int `json:"incidents"`
	// Mean and P90 are in minutes.
	Mean float64 `json:"mean"`
	P90  float64 `json:"p90"`
	// WithinTarget is the share meeting the target, with a Wilson 95%
	// interval.
	WithinTarget     float64 `json:"within_target"`
	WithinTargetLow  float64 `json:"within_target_low"`
	WithinTargetHigh float64 `json:"within_target_high"`
}

// summarise turns the replications into a Result.
func summarise(m *Model, opt Options, reps []*rep) *Result {
	sc := m.Scenario
	res := &Result{
		Scenario: sc.Name, Seed: opt.Seed, Replications: opt.Replications,
		Years: opt.Years, WarmupDays: opt.WarmupDays, Targets: sc.Targets,
	}
	within := func(r response) bool {
		cls := arv.Rural
		if r.urban {
			cls = arv.Urban
		}
		return r.minutes <= sc.Targets.Minutes(cls)
	}
	per := func(keep func(response) bool) ResponseStats {
		var mean, med, p90, p95, win []float64
		n := 0
		for _, r := range reps {
			var v []float64
			w := 0
			for _, x := range r.resp {
				if keep(x) {
					v = append(v, x.minutes)
					if within(x) {
						w++
					}
				}
			}
			n += len(v)
			if len(v) == 0 {
				continue
			}
			slices.Sort(v)
			mean = append(mean, meanOf(v))
			med = append(med, quantile(v, 0.5))
			p90 = append(p90, quantile(v, 0.9))
			p95 = append(p95, quantile(v, 0.95))
			win = append(win, float64(w)/float64(len(v)))
		}
		return ResponseStats{
			Mean: estimate(mean), Median: estimate(med), P90: estimate(p90), P95: estimate(p95),
			WithinTarget: estimate(win).share(), Incidents: n,
		}
	}
	res.All = per(func(response) bool { return true })
	res.Urban = per(func(r response) bool { return r.urban })
	res.Rural = per(func(r response) bool { return !r.urban })

	seconds := opt.Years * year
	perRep := func(f func(r *rep) float64) Estimate {
		v := make([]float64, len(reps))
		for i, r := range reps {
			v[i] = f(r)
		}
		return estimate(v)
	}
	res.IncidentsPerYear = perRep(func(r *rep) float64 { return float64(r.generated) / opt.Years })
	res.AllBusy = perRep(func(r *rep) float64 { return r.allBusy / seconds }).share()
	res.MutualAidPerYear = perRep(func(r *rep) float64 { return float64(r.outcome.MutualAid) / opt.Years })
	res.BelowMinimumMinutesPerYear = perRep(func(r *rep) float64 { return r.belowMin / 60 / opt.Years })
	res.KeySiteUncoveredHoursPerYear = perRep(func(r *rep) float64 { return r.keyShort / 3600 / opt.Years })

	for i, a := range m.ARVs {
		share := func(f func(st *arvState) float64) Estimate {
			var v []float64
			for _, r := range reps {
				if x := f(&r.arvs[i]); !math.IsNaN(x) {
					v = append(v, x)
				}
			}
			return estimate(v).share()
		}
		res.ARVs = append(res.ARVs, ARVStats{
			CallSign:    a.CallSign,
			Base:        m.Labels[a.Base],
			Crewed:      share(func(st *arvState) float64 { return st.crewedTime / seconds }),
			Utilisation: share(func(st *arvState) float64 { return ratio(st.busyTime, st.crewedTime) }),
			Patrol:      share(func(st *arvState) float64 { return ratio(st.patrolTime, st.crewedTime) }),
		})
	}
	for i := range res.ARVs {
		var v []float64
		for _, r := range reps {
			total := 0
			for k := range r.arvs {
				total += r.arvs[k].dispatches
			}
			if total > 0 {
				v = append(v, float64(r.arvs[i].dispatches)/float64(total))
			}
		}
		res.ARVs[i].Calls = estimate(v).share()
	}

	// Per settlement, pooled over replications, in the order of the
	// demand points (grid cells last, as one group).
	groupOf := map[int32]int{}
	var groups []GroupStats
	var values [][]float64
	wins := []int{}
	index := map[string]int{}
	for _, st := range m.Sites {
		g, ok := index[st.Group]
		if !ok {
			g = len(groups)
			index[st.Group] = g
			cls := arv.Rural
			if st.Urban {
				cls = arv.Urban
			}
			groups = append(groups, GroupStats{Name: st.Group, Class: cls})
			values = append(values, nil)
			wins = append(wins, 0)
		}
		groupOf[int32(st.Point)] = g
	}
	for _, r := range reps {
		for _, x := range r.resp {
			g := groupOf[x.site]
			values[g] = append(values[g], x.minutes)
			if within(x) {
				wins[g]++
			}
		}
	}
	for g := range groups {
		v := values[g]
		groups[g].Incidents = len(v)
		if len(v) == 0 {
			groups[g].Mean, groups[g].P90, groups[g].WithinTarget = math.NaN(), math.NaN(), math.NaN()
			groups[g].WithinTargetLow, groups[g].WithinTargetHigh = math.NaN(), math.NaN()
			continue
		}
		slices.Sort(v)
		groups[g].Mean = meanOf(v)
		groups[g].P90 = quantile(v, 0.9)
		groups[g].WithinTarget = float64(wins[g]) / float64(len(v))
		groups[g].WithinTargetLow, groups[g].WithinTargetHigh = wilson(wins[g], len(v))
	}
	res.Groups = groups

	// The pooled distribution, minute by minute.
	counts := make([]int, CDFMinutes+1)
	total := 0
	for _, r := range reps {
		for _, x := range r.resp {
			total++
			if m := int(math.Ceil(x.minutes)); m <= CDFMinutes {
				counts[max(m, 0)]++
			}
		}
	}
	res.CDF = make([]float64, CDFMinutes+1)
	acc := 0
	for m := range counts {
		acc += counts[m]
		if total > 0 {
			res.CDF[m] = float64(acc) / float64(total)
		}
	}

	for _, r := range reps {
		o := r.outcome
		res.Outcomes.Responded += o.Responded
		res.Outcomes.MutualAid += o.MutualAid
		res.Outcomes.StoodDown += o.StoodDown
		res.Outcomes.EnRoute += o.EnRoute
		res.Outcomes.Waiting += o.Waiting
		res.Outcomes.Incidents += o.Incidents
		res.Outcomes.Unconserved += o.Unconserved
		res.Events += r.events
	}
	return res
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return a / b
}

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// quantile returns the p-quantile of sorted v, interpolating linearly
// between order statistics (Hyndman and Fan's type 7, R's default).
func quantile(v []float64, p float64) float64 {
	if len(v) == 1 {
		return v[0]
	}
	h := p * float64(len(v)-1)
	lo := int(math.Floor(h))
	if lo >= len(v)-1 {
		return v[len(v)-1]
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}

// estimate returns the mean of v and its 95% confidence interval.
func estimate(v []float64) Estimate {
	n := len(v)
	if n == 0 {
		return Estimate{Mean: math.NaN(), Low: math.NaN(), High: math.NaN()}
	}
	m := meanOf(v)
	if n == 1 {
		return Estimate{Mean: m, Low: m, High: m, N: 1}
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	sd := math.Sqrt(ss / float64(n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	h := t * sd / math.Sqrt(float64(n))
	return Estimate{Mean: m, Low: math.Max(0, m-h), High: m + h, N: n}
}

// share returns e clipped to a share's range, at most 1.
func (e Estimate) share() Estimate {
	e.High = math.Min(e.High, 1)
	return e
}

// wilson returns the Wilson score 95% interval for k successes in n
// trials (E. B. Wilson, JASA 22, 1927).
func wilson(k, n int) (float64, float64) {
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	d := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / d
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / d
	return math.Max(0, c-h), math.Min(1, c+h)
}

// num returns v for JSON, or nil (null) when v is NaN, which JSON cannot
// represent.
func num(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// MarshalJSON writes an estimate with null for figures that have no value.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mean any `json:"mean"`
		Low  any `json:"low"`
		High any `json:"high"`
		N    int `json:"n"`
	}{num(e.Mean), num(e.Low), num(e.High), e.N})
}

// MarshalJSON writes a settlement's figures with null where it had no
// incidents.
func (g GroupStats) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name             string `json:"name"`
		Class            string `json:"class"`
		Incidents        int    `json:"incidents"`
		Mean             any    `json:"mean"`
		P90              any    `json:"p90"`
		WithinTarget     any    `json:"within_target"`
		WithinTargetLow  any    `json:"within_target_low"`
		WithinTargetHigh any    `json:"within_target_high"`
	}{g.Name, g.Class, g.Incidents, num(g.Mean), num(g.P90), num(g.WithinTarget), num(g.WithinTargetLow), num(g.WithinTargetHigh)})
}
