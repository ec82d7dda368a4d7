package plan

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/arv-project/arv"
)

// National firearms officers (facts §3.3): the Home Office peak of 6,976
// on 31 March 2010 and 5,639 on 31 March 2016, a fall of 1,337 ("over
// 1,300 firearms officers lost since 2010", facts §0).
const (
	AFOs2010 = 6976
	AFOs2016 = 5639
)

// ExtraOfficers is the 24 firearms officers Kent Police promised to
// recruit in 2016 (facts §0); after Tri-Force, Wiltshire's chief
// constable also said 24 more armed and traffic officers were needed
// (facts §3.4).
const ExtraOfficers = 24

// What-if keys, in the order WhatIfs returns them.
const (
	KeyBaseline      = "baseline"
	KeyAFOLoss       = "afo-loss-2010-2016"
	KeyExtraOfficers = "plus-24-officers"
	KeyKeySites      = "key-sites"
	KeyOneMoreARV    = "plus-one-arv"
	KeyOneFewerARV   = "minus-one-arv"
	KeyArmAll        = "arm-every-officer"
	KeyTaserAll      = "taser-front-line"
)

// ErrNotApplicable is wrapped by the error of a what-if's Apply when the
// what-if does not apply to the scenario.
var ErrNotApplicable = errors.New("plan: the what-if does not apply to this scenario")

// Options tune the what-ifs. The zero value uses the defaults.
type WhatIfOptions struct {
	// Staffing overrides the scenario's rota and abstraction in the
	// staffing arithmetic (not in the scenarios the what-ifs build).
	Staffing StaffingOptions
	// Costs are the money figures. Default (the zero value):
	// DefaultCosts(); to change one figure, start from DefaultCosts().
	Costs Costs
	// AddARVAt returns the ID of the base (or standby point) where a
	// what-if adds an ARV to s. The location optimiser can choose it.
	// Default (nil): NextBase.
	AddARVAt func(s *arv.Scenario) string
	// AddARVRule says in a sentence fragment how AddARVAt chooses, for
	// the what-ifs' notes, such as "the standby point that adds most
	// expected coverage". Default: NextBase's rule.
	AddARVRule string
	// Stages is the selection pipeline, for the applicants the extra
	// officers need. Default (nil): DefaultStages().
	Stages []Stage
}

func (o WhatIfOptions) costs() Costs {
	if o.Costs == (Costs{}) {
		return DefaultCosts()
	}
	return o.Costs
}

func (o WhatIfOptions) stages() []Stage {
	if o.Stages == nil {
		return DefaultStages()
	}
	return o.Stages
}

// addRule says how the added ARVs' bases are chosen.
func (o WhatIfOptions) addRule() string {
	if o.AddARVAt != nil {
		if o.AddARVRule != "" {
			return o.AddARVRule
		}
		return "chosen by the caller"
	}
	return "the base with fewest ARVs, first listed on a tie (a choice; the location optimiser can make it)"
}

func (o WhatIfOptions) addAt(s *arv.Scenario) string {
	if o.AddARVAt != nil {
		return o.AddARVAt(s)
	}
	return NextBase(s)
}

// NextBase returns the ID of the base with the fewest ARVs, the first
// listed on a tie: ARVs added one by one spread over the bases in their
// order. It returns "" when the scenario has no bases.
func NextBase(s *arv.Scenario) string {
	if s == nil {
		return ""
	}
	best, fewest := "", math.MaxInt
	for _, b := range s.Bases {
		n := 0
		for _, a := range s.ARVs {
			if a.Base == b.ID {
				n++
			}
		}
		if n < fewest {
			best, fewest = b.ID, n
		}
	}
	return best
}

// WhatIf is one change to a scenario for the simulator, with what it
// needs and costs.
type WhatIf struct {
	// Key identifies the what-if (the Key* constants).
	Key string `json:"key"`
	// Name is a short title, and Description what the change is.
	Name        string `json:"name"`
	Description string `json:"description"`
	// Applies is false when the what-if does not apply to the scenario:
	// Apply then returns an error wrapping ErrNotApplicable and Notes say
	// why.
	Applies bool `json:"applies"`
	// Apply returns the changed copy of a scenario, validated. It never
	// changes its argument. It is meant for the scenario WhatIfs was
	// given; on another it applies the same rule to that scenario's
	// figures.
	Apply func(*arv.Scenario) (*arv.Scenario, error) `json:"-"`
	// SameResponse is true when the change cannot move response times
	// (Taser is not a firearm): Run reuses the baseline's result.
	SameResponse bool `json:"same_response"`
	// ARVs and Officers are the changed scenario's ARVs and ARV officers
	// (officers.arv; for arming every officer, the ARV officers plus the
	// officers the simulator needs for the armed patrols).
	ARVs     int `json:"arvs"`
	Officers int `json:"officers"`
	// OfficersNeeded is the officers the changed force needs: the ARV
	// officers for its ARVs' rostered shifts and its key-site patrols;
	// for arming every officer, every officer of the force.
	OfficersNeeded int `json:"officers_needed"`
	// Cost is the change in spending, where the inputs exist.
	Cost CostModel `json:"cost"`
	// Steps show the what-if's own arithmetic.
	Steps []Step `json:"steps"`
	// Notes say what the change is, what it means and what is
	// approximate.
	Notes []string `json:"notes"`
}

// built is what a what-if's builder returns.
type built struct {
	name     string // replaces the what-if's name when set
	s        *arv.Scenario
	needed   int // 0: computed from s
	cost     CostModel
	steps    []Step
	notes    []string
	notApply string
}

type builder func(o WhatIfOptions, s *arv.Scenario) (built, error)

// WhatIfs returns the what-ifs of the public debate for s, in this
// order: the baseline; the 2010–2016 national loss of firearms officers
// scaled to the force; 24 more firearms officers; the key-site patrols
// (without them, where the scenario has them); one more ARV; one fewer
// ARV; arming every officer; Taser for every front-line officer. It
// returns an error when s is missing or its rota or the costs make the
// staffing arithmetic impossible; a what-if that cannot be built for s
// (not applicable, or its result does not validate) is returned with
// Applies false and a note saying why.
func (o WhatIfOptions) WhatIfs(s *arv.Scenario) ([]WhatIf, error) {
	if s == nil {
		return nil, errPlan("no scenario")
	}
	if _, err := newRota(s, o.Staffing); err != nil {
		return nil, err
	}
	if err := o.costs().check(); err != nil {
		return nil, err
	}
	defs := []struct {
		key, name, desc string
		build           builder
		same            bool
	}{
		{KeyBaseline, "Baseline", "The scenario as it stands.", buildBaseline, false},
		{KeyAFOLoss, "The 2010–2016 loss of firearms officers",
			"ARV officers × 5,639 / 6,976, the national fall of 1,337 firearms officers from March 2010 to March 2016 (facts §3.3), and the ARVs they can no longer crew 24/7 dropped from the end of the crewing order.",
			buildAFOLoss, false},
		{KeyExtraOfficers, "24 more firearms officers",
			"24 more ARV officers, as Kent promised in 2016 (facts §0); ARVs added up to what the officers crew 24/7.",
			buildExtra, false},
		{KeyKeySites, "Key-site patrols",
			"The armed patrols at key sites: without them where the scenario has them (their cost to response), otherwise not applicable.",
			buildKeySites, false},
		{KeyOneMoreARV, "One more ARV", "One ARV more, crewed 24/7, with the officers that takes in whole teams.", buildOneMore, false},
		{KeyOneFewerARV, "One fewer ARV", "The last ARV of the crewing order removed, with its officers.", buildOneFewer, false},
		{KeyArmAll, "Arm every officer",
			"Every officer armed: the nearest response patrol car answers, modelled as single-crewed armed units at the demand points, alongside the ARVs.",
			buildArmAll, false},
		{KeyTaserAll, "Taser for every front-line officer",
			"Every front-line officer trained and equipped with Taser: no change to armed response (Taser is not a firearm); cost only.",
			buildTaser, true},
	}
	out := make([]WhatIf, 0, len(defs))
	for _, d := range defs {
		w := WhatIf{Key: d.key, Name: d.name, Description: d.desc, SameResponse: d.same}
		b, err := o.run(d.build, s)
		if b.name != "" {
			w.Name = b.name
		}
		switch {
		case err != nil:
			w.Notes = []string{"Cannot be built for this scenario: " + err.Error()}
			w.Apply = notApplicable(err.Error())
		case b.notApply != "":
			w.Notes = append([]string{b.notApply}, b.notes...)
			w.Steps = b.steps
			w.Apply = notApplicable(b.notApply)
		default:
			w.Applies = true
			w.ARVs, w.Officers, w.OfficersNeeded = len(b.s.ARVs), b.s.Officers.ARV, b.needed
			w.Cost, w.Steps, w.Notes = b.cost, b.steps, b.notes
			build := d.build
			w.Apply = func(x *arv.Scenario) (*arv.Scenario, error) {
				b, err := o.run(build, x)
				if err != nil {
					return nil, err
				}
				if b.notApply != "" {
					return nil, fmt.Errorf("%w: %s", ErrNotApplicable, b.notApply)
				}
				return b.s, nil
			}
		}
		out = append(out, w)
	}
	return out, nil
}

func notApplicable(why string) func(*arv.Scenario) (*arv.Scenario, error) {
	return func(*arv.Scenario) (*arv.Scenario, error) {
		return nil, fmt.Errorf("%w: %s", ErrNotApplicable, why)
	}
}

// run builds a what-if for s and checks the result: it validates, and
// the officers it needs are worked out when the builder left them.
func (o WhatIfOptions) run(build builder, s *arv.Scenario) (built, error) {
	if s == nil {
		return built{}, errPlan("no scenario")
	}
	b, err := build(o, s)
	if err != nil || b.notApply != "" {
		return b, err
	}
	if errs := b.s.Validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return built{}, fmt.Errorf("plan: the changed scenario is not valid: %s", strings.Join(msgs, "; "))
	}
	if b.needed == 0 {
		n, steps, err := need(b.s, o.Staffing)
		if err != nil {
			return built{}, err
		}
		b.needed = n
		b.steps = append(b.steps, steps...)
	}
	return b, nil
}

// need returns the ARV officers a scenario needs for its ARVs' rostered
// shifts and its key-site patrols, with the arithmetic.
func need(s *arv.Scenario, opt StaffingOptions) (int, []Step, error) {
	r, err := newRota(s, opt)
	if err != nil {
		return 0, nil, err
	}
	arvShifts := seatsOf(s.ARVs, r) * r.seatShifts
	crew := meanCrew(s.ARVs)
	hours := 0.0
	for _, k := range s.KeySites {
		hours += k.HoursPerDay
	}
	patrolShifts := hours * crew / 24 * r.seatShifts
	exact := (arvShifts + patrolShifts) / r.available
	n := ceilInt(exact)
	return n, []Step{
		{Label: "officer-shifts a year for the ARVs' rostered shifts", Value: arvShifts, Unit: "shifts",
			Formula: "Σ crew × shifts rostered a day × 365.25", Source: "scenario: arvs"},
		{Label: "officer-shifts a year for key-site patrols", Value: patrolShifts, Unit: "shifts",
			Formula: Num(hours) + " h a day × crew " + Num(crew) + " / 24 × " + Num(r.seatShifts), Source: "scenario: key_sites"},
		{Label: "ARV officers needed for them", Value: float64(n), Unit: "officers",
			Formula: "⌈(" + Num(arvShifts) + " + " + Num(patrolShifts) + ") / " + Num(r.available) + "⌉", Source: "derived"},
	}, nil
}

// seatsOf returns the 24/7 seats the ARVs take: each crew × the share of
// the day's shifts it is rostered for.
func seatsOf(arvs []arv.ARV, r rota) float64 {
	seats := 0.0
	for _, a := range arvs {
		seats += float64(a.Crew) * float64(min(len(a.Shifts), r.shiftsPerDay)) / float64(r.shiftsPerDay)
	}
	return seats
}

// meanCrew returns the ARVs' mean crew (2 without ARVs, the county
// crew of facts §2.1).
func meanCrew(arvs []arv.ARV) float64 {
	if len(arvs) == 0 {
		return 2
	}
	n := 0
	for _, a := range arvs {
		n += a.Crew
	}
	return float64(n) / float64(len(arvs))
}

// officersFor returns the ARV officers the ARVs need on the rota,
// rounded up to whole teams.
func officersFor(arvs []arv.ARV, r rota) int {
	return ceilDiv(ceilInt(seatsOf(arvs, r)*r.perSeat), r.teams) * r.teams
}

// addARV adds an ARV at base, crewed and rostered as the last ARV (crew
// 2 on every shift without one), with the first free call sign ARVn.
func addARV(s *arv.Scenario, base string) error {
	found := false
	for _, b := range slices.Concat(s.Bases, s.StandbyPoints) {
		found = found || b.ID == base
	}
	if !found {
		return fmt.Errorf("plan: no base or standby point %q to add an ARV at", base)
	}
	a := arv.ARV{Base: base, Crew: 2}
	for _, sh := range s.Shifts.Shifts {
		a.Shifts = append(a.Shifts, sh.Name)
	}
	if n := len(s.ARVs); n > 0 {
		a.Crew, a.Shifts = s.ARVs[n-1].Crew, slices.Clone(s.ARVs[n-1].Shifts)
	}
	a.CallSign, _ = freeCallSign(s, "ARV", len(s.ARVs)+1)
	s.ARVs = append(s.ARVs, a)
	return nil
}

// freeCallSign returns the first call sign prefix+n, n ≥ from, that no
// ARV of s has, and its n.
func freeCallSign(s *arv.Scenario, prefix string, from int) (string, int) {
	for n := from; ; n++ {
		cs := fmt.Sprintf("%s%d", prefix, n)
		if !slices.ContainsFunc(s.ARVs, func(a arv.ARV) bool { return a.CallSign == cs }) {
			return cs, n
		}
	}
}

func describeARV(s *arv.Scenario, a arv.ARV) string {
	for _, b := range slices.Concat(s.Bases, s.StandbyPoints) {
		if b.ID == a.Base {
			return a.CallSign + " (" + b.Name + ")"
		}
	}
	return a.CallSign + " (" + a.Base + ")"
}

func describeARVs(s *arv.Scenario, arvs []arv.ARV) string {
	d := make([]string, len(arvs))
	for i, a := range arvs {
		d[i] = describeARV(s, a)
	}
	return strings.Join(d, ", ")
}

func buildBaseline(o WhatIfOptions, s *arv.Scenario) (built, error) {
	return built{s: s.Clone(), cost: CostModel{Known: true}, notes: []string{
		"The scenario as it stands; the other rows differ from it by one change each, simulated with the same seed.",
	}}, nil
}

// crewableARVs returns how many of the ARVs, in crewing order, officers
// keep crewed 24/7 on average: the longest prefix whose seats fit in
// officers / officers per seat.
func crewableARVs(arvs []arv.ARV, officers int, r rota) int {
	avail := float64(officers) / r.perSeat
	used := 0.0
	for i, a := range arvs {
		used += seatsOf([]arv.ARV{a}, r)
		if used > avail+1e-9 {
			return i
		}
	}
	return len(arvs)
}

func buildAFOLoss(o WhatIfOptions, s *arv.Scenario) (built, error) {
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	c := s.Clone()
	ratio := float64(AFOs2016) / AFOs2010
	officers := int(math.Round(float64(s.Officers.ARV) * ratio))
	keep := crewableARVs(s.ARVs, officers, r)
	var notes []string
	if keep == 0 {
		keep = 1
		notes = append(notes, fmt.Sprintf("%d officers cannot keep even one ARV crewed 24/7 (%s per seat); the first is kept so that the scenario runs, crewed when enough officers are present.", officers, Num(r.perSeat)))
	}
	dropped := slices.Clone(s.ARVs[keep:])
	c.ARVs = c.ARVs[:keep]
	c.Officers.ARV = officers
	c.MinimumComplement = min(c.MinimumComplement, keep)
	lost := s.Officers.ARV - officers
	b := built{s: c, cost: officerCost(o.costs(), -lost, -len(dropped))}
	b.steps = []Step{
		{Label: "national firearms officers, March 2010", Value: AFOs2010, Unit: "officers", Source: "facts §3.3: Home Office peak"},
		{Label: "national firearms officers, March 2016", Value: AFOs2016, Unit: "officers", Source: "facts §3.3"},
		{Label: "share kept", Value: ratio, Formula: "5,639 / 6,976", Source: "derived: a fall of 1,337, 19%"},
		{Label: "ARV officers after the same fall", Value: float64(officers), Unit: "officers",
			Formula: fmt.Sprintf("round(%d × %s)", s.Officers.ARV, Num(ratio)), Source: "assumption: the force loses the national share"},
		{Label: "seats they keep filled", Value: float64(officers) / r.perSeat, Unit: "seats",
			Formula: fmt.Sprintf("%d / %s", officers, Num(r.perSeat)), Source: "officers ÷ officers per seat (staffing)"},
		{Label: "ARVs crewed 24/7", Value: float64(keep), Unit: "ARVs", Source: "the ARVs whose seats fit, in crewing order"},
	}
	lostNote := fmt.Sprintf("What %s would have lost: %d of its %d ARV officers (%d left)", forceName(s), lost, s.Officers.ARV, officers)
	if len(dropped) > 0 {
		lostNote += fmt.Sprintf(", and with them %d of its %d ARVs crewed 24/7: %s.", len(dropped), len(s.ARVs), describeARVs(s, dropped))
	} else {
		lostNote += ", and no ARV: the remaining officers still crew all of them 24/7 on average."
	}
	b.notes = append([]string{lostNote}, notes...)
	b.notes = append(b.notes,
		"The national fall is applied to the force in proportion (assumption): forces lost different shares, and the national count includes protection and specialist officers.",
		"The national count recovered to 6,278 by March 2017 (facts §3.3): the 1,337 was the figure available in mid-2017.",
		"Other firearms officers (officers.afo) and key-site patrols are unchanged; patrols still take the remaining crews.",
	)
	return b, nil
}

// plural returns n and the noun, with an s unless n is 1: "1 ARV",
// "2 ARVs", "2.5 years".
func plural[T int | float64](n T, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%v %s", n, noun)
	}
	return fmt.Sprintf("%v %ss", n, noun)
}

func forceName(s *arv.Scenario) string {
	if s.Force.Name != "" {
		return s.Force.Name
	}
	return "the force"
}

func buildExtra(o WhatIfOptions, s *arv.Scenario) (built, error) {
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	c := s.Clone()
	c.Officers.ARV += ExtraOfficers
	added := []arv.ARV{}
	for len(c.ARVs) < 1000 {
		next := c.Clone()
		if err := addARV(next, o.addAt(next)); err != nil {
			return built{}, err
		}
		if crewableARVs(next.ARVs, next.Officers.ARV, r) < len(next.ARVs) {
			break
		}
		added = append(added, next.ARVs[len(next.ARVs)-1])
		c = next
	}
	b := built{s: c, cost: officerCost(o.costs(), ExtraOfficers, len(added))}
	applicants, err := Applicants(ExtraOfficers, o.stages())
	if err != nil {
		return built{}, err
	}
	before, after := float64(s.Officers.ARV)/r.perSeat, float64(c.Officers.ARV)/r.perSeat
	b.steps = []Step{
		{Label: "ARV officers", Value: float64(c.Officers.ARV), Unit: "officers",
			Formula: fmt.Sprintf("%d + %d", s.Officers.ARV, ExtraOfficers), Source: "facts §0: Kent's promise of 24 more firearms officers (2016)"},
		{Label: "seats kept filled, before", Value: before, Unit: "seats", Formula: fmt.Sprintf("%d / %s", s.Officers.ARV, Num(r.perSeat)), Source: "officers ÷ officers per seat (staffing)"},
		{Label: "seats kept filled, after", Value: after, Unit: "seats", Formula: fmt.Sprintf("%d / %s", c.Officers.ARV, Num(r.perSeat)), Source: "officers ÷ officers per seat (staffing)"},
		{Label: "ARVs added", Value: float64(len(added)), Unit: "ARVs", Source: "ARVs added while the seats kept filled on average can crew them"},
		{Label: "applicants the 24 need", Value: applicants, Unit: "applicants",
			Formula: "24 / the selection pass rate", Source: "selection pipeline (pass rates are assumptions)"},
	}
	if len(added) > 0 {
		b.notes = append(b.notes, fmt.Sprintf("The %d officers crew %s seats on average, so %s more: %s. Where they stand: %s.",
			c.Officers.ARV, Num(after), plural(len(added), "ARV"), describeARVs(c, added), o.addRule()))
	} else {
		b.notes = append(b.notes, fmt.Sprintf("The %d officers crew %s seats on average: not enough for another ARV; the extra officers make the existing ARVs more often fully crewed.", c.Officers.ARV, Num(after)))
	}
	b.notes = append(b.notes,
		fmt.Sprintf("Kent promised 24 more firearms officers in 2016 and struggled to appoint them: officers \"volunteer\" and cannot be mandated (facts §0). At the assumed pass rates the 24 need about %s applicants.", Num(math.Ceil(applicants))),
		"Wiltshire's chief constable also said 24 more armed and traffic officers were needed after Tri-Force; 15 firearms officers were proposed in 2019 (facts §3.4).",
		"The simulator shares the officers over the teams and crews ARVs in order while officers are present, so the last ARV added is crewed on fewer shifts than the first.",
	)
	return b, nil
}

func buildKeySites(o WhatIfOptions, s *arv.Scenario) (built, error) {
	if len(s.KeySites) == 0 {
		return built{notApply: "Not applicable: the scenario has no key-site patrols, and the files report none for this force (Wiltshire: geo §2 names no armed patrols; Stonehenge is in the county, geo §1.1, but no source reports armed patrols there). Sites are not invented without a source; add key_sites to the scenario to study them."}, nil
	}
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	c := s.Clone()
	c.KeySites = nil
	hours := 0.0
	var names []string
	for _, k := range s.KeySites {
		hours += k.HoursPerDay
		names = append(names, k.Name)
	}
	crew := meanCrew(s.ARVs)
	equiv := hours * crew / 24 * r.perSeat
	costs := o.costs()
	b := built{name: "Without the key-site patrols", s: c, cost: CostModel{Known: true, Steps: []Step{
		{Label: "change in spending", Value: 0, Unit: "£ a year", Source: "no officer is removed: the patrol time returns to response"},
	}}}
	b.steps = []Step{
		{Label: "patrol hours a day", Value: hours, Unit: "crew-hours", Formula: strings.Join(names, ", "), Source: "scenario: key_sites (hours are assumptions)"},
		{Label: "officer-hours a day", Value: hours * crew, Unit: "officer-hours", Formula: Num(hours) + " × crew " + Num(crew), Source: "derived"},
		{Label: "officers the patrols take, as 24/7 seats", Value: equiv, Unit: "officers",
			Formula: Num(hours) + " × " + Num(crew) + " / 24 × " + Num(r.perSeat), Source: "derived"},
		{Label: "value of that officer time", Value: equiv * costs.OfficerPerYear, Unit: "£ a year",
			Formula: Num(equiv) + " × " + money(costs.OfficerPerYear), Source: "assumption (GK): officer cost"},
	}
	b.notes = []string{
		fmt.Sprintf("Without the patrols at %s: the response the force buys back. The patrols take %s crew-hours a day, the time of %s officers (about %s a year).",
			strings.Join(names, ", "), Num(hours), Num(equiv), money(equiv*costs.OfficerPerYear)),
		"Kent's patrols at the Port of Dover, Bluewater and Canterbury Cathedral began in September 2016, first covered by overtime while new firearms officers were recruited (facts §0); the scenario takes them from the response ARVs.",
	}
	return b, nil
}

func buildOneMore(o WhatIfOptions, s *arv.Scenario) (built, error) {
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	c := s.Clone()
	if err := addARV(c, o.addAt(c)); err != nil {
		return built{}, err
	}
	c.Officers.ARV = max(s.Officers.ARV, officersFor(c.ARVs, r))
	a := c.ARVs[len(c.ARVs)-1]
	b := built{s: c, cost: officerCost(o.costs(), c.Officers.ARV-s.Officers.ARV, 1)}
	b.steps = []Step{
		{Label: "ARV officers for the ARVs, in whole teams", Value: float64(officersFor(c.ARVs, r)), Unit: "officers",
			Formula: fmt.Sprintf("⌈⌈%s seats × %s⌉ / %d⌉ × %d", Num(seatsOf(c.ARVs, r)), Num(r.perSeat), r.teams, r.teams), Source: "staffing: seats × officers per seat, in whole teams"},
		{Label: "ARV officers", Value: float64(c.Officers.ARV), Unit: "officers",
			Formula: fmt.Sprintf("max(%d, that)", s.Officers.ARV), Source: "the scenario's officers are kept when they suffice"},
	}
	b.notes = []string{
		fmt.Sprintf("Adds %s, with %d more ARV officers (%d → %d).", describeARV(c, a), c.Officers.ARV-s.Officers.ARV, s.Officers.ARV, c.Officers.ARV),
		"Where it stands: " + o.addRule() + ".",
	}
	return b, nil
}

func buildOneFewer(o WhatIfOptions, s *arv.Scenario) (built, error) {
	if len(s.ARVs) <= 1 {
		return built{notApply: "Not applicable: the scenario has one ARV; a force with none cannot be simulated."}, nil
	}
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	c := s.Clone()
	gone := c.ARVs[len(c.ARVs)-1]
	c.ARVs = c.ARVs[:len(c.ARVs)-1]
	c.Officers.ARV = min(s.Officers.ARV, officersFor(c.ARVs, r))
	c.MinimumComplement = min(c.MinimumComplement, len(c.ARVs))
	b := built{s: c, cost: officerCost(o.costs(), c.Officers.ARV-s.Officers.ARV, -1)}
	b.steps = []Step{
		{Label: "ARV officers for the ARVs, in whole teams", Value: float64(officersFor(c.ARVs, r)), Unit: "officers",
			Formula: fmt.Sprintf("⌈⌈%s seats × %s⌉ / %d⌉ × %d", Num(seatsOf(c.ARVs, r)), Num(r.perSeat), r.teams, r.teams), Source: "staffing: seats × officers per seat, in whole teams"},
		{Label: "ARV officers", Value: float64(c.Officers.ARV), Unit: "officers",
			Formula: fmt.Sprintf("min(%d, that)", s.Officers.ARV), Source: "derived"},
	}
	b.notes = []string{
		fmt.Sprintf("Removes %s, the last in the crewing order, and %d ARV officers (%d → %d).", describeARV(s, gone), s.Officers.ARV-c.Officers.ARV, s.Officers.ARV, c.Officers.ARV),
	}
	return b, nil
}

// apportion shares n among weights by the largest-remainder method: each
// gets the whole part of its quota n × weight / total, and the units
// left go to the largest remainders (the first listed on a tie). Zero
// total weight shares equally.
func apportion(weights []float64, n int) []int {
	out := make([]int, len(weights))
	if len(weights) == 0 || n <= 0 {
		return out
	}
	total := 0.0
	for _, w := range weights {
		total += max(w, 0)
	}
	rem := make([]float64, len(weights))
	left := n
	for i, w := range weights {
		q := float64(n) / float64(len(weights))
		if total > 0 {
			q = float64(n) * max(w, 0) / total
		}
		out[i] = int(math.Floor(q))
		rem[i] = q - float64(out[i])
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; left > 0; i = (i + 1) % len(order) {
		out[order[i]]++
		left--
	}
	return out
}

// maxPatrolCars bounds the armed patrol cars of the arm-every-officer
// what-if: each is a vehicle of the simulation (Kent's 3,200 officers
// give 149).
const maxPatrolCars = 5000

func buildArmAll(o WhatIfOptions, s *arv.Scenario) (built, error) {
	if len(s.DemandPoints) == 0 {
		return built{notApply: "Not applicable: the scenario has no demand points to station armed patrols at."}, nil
	}
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return built{}, err
	}
	costs := o.costs()
	force, forceSrc := ForceOfficers(s)
	if o.Staffing.ForceOfficers > 0 {
		force, forceSrc = o.Staffing.ForceOfficers, "option"
	}
	armedNow := s.Officers.ARV + s.Officers.AFO
	toArm := max(0, force-armedNow)
	response := int(math.Round(float64(force) * costs.ResponseShare))

	ab := s.Officers.Abstraction
	if o.Staffing.Abstraction != nil {
		ab = *o.Staffing.Abstraction
	}
	// Response officers are away for leave, sickness and courses as ARV
	// officers are, without the ARV firearms training; arming them adds
	// AFO training, and the initial course spread over an armed career.
	initialHours := AFOCourseWeeks * costs.CourseHoursPerWeek
	extraHours := costs.ArmedTrainingHoursPerYear + initialHours/costs.ArmedCareerYears
	baseShifts := ab.AnnualLeave + ab.Sickness + ab.Courses
	extraShifts := extraHours / r.hours
	availUnarmed := math.Max(0, 1-baseShifts/r.rostered)
	availArmed := math.Max(0, 1-(baseShifts+extraShifts)/r.rostered)
	onDutyUnarmed := float64(response) * availUnarmed / float64(r.teams)
	units := int(math.Floor(float64(response)*availArmed/float64(r.teams) + 1e-9))
	if units > maxPatrolCars {
		return built{notApply: fmt.Sprintf("Not applicable: %d armed patrol cars on duty is more than the %d this what-if builds for the simulator.", units, maxPatrolCars)}, nil
	}

	c := s.Clone()
	weights := make([]float64, len(s.DemandPoints))
	for i, d := range s.DemandPoints {
		weights[i] = float64(d.Population)
	}
	shares := apportion(weights, units)
	taken := map[string]bool{}
	for _, b := range slices.Concat(s.Bases, s.StandbyPoints) {
		taken[b.ID] = true
	}
	var shifts []string
	for _, sh := range s.Shifts.Shifts {
		shifts = append(shifts, sh.Name)
	}
	n := 1
	stations := 0
	for i, d := range s.DemandPoints {
		if shares[i] == 0 {
			continue
		}
		id := "patrol-" + d.ID
		for k := 2; taken[id]; k++ {
			id = fmt.Sprintf("patrol-%s-%d", d.ID, k)
		}
		taken[id] = true
		c.StandbyPoints = append(c.StandbyPoints, arv.Base{ID: id, Name: "Armed patrols, " + d.Name, At: d.At})
		stations++
		for j := 0; j < shares[i]; j++ {
			var cs string
			cs, n = freeCallSign(c, "P", n)
			n++
			c.ARVs = append(c.ARVs, arv.ARV{CallSign: cs, Base: id, Crew: 1, Shifts: slices.Clone(shifts)})
		}
	}
	// The simulator draws every officer's presence with the scenario's
	// availability: enough officers are added for the units to be crewed
	// on average, after the ARVs, which come first in the crewing order.
	simOfficers := ceilInt(float64(units) * r.perSeat)
	c.Officers.ARV += simOfficers

	perOfficerHours := extraHours
	perOfficer := perOfficerHours*costs.hourly() + costs.ArmedDirectPerYear + costs.ArmedKitPerYear
	b := built{s: c, needed: force}
	b.cost = CostModel{Known: true, PerYear: float64(toArm) * perOfficer, OneOff: float64(toArm) * initialHours * costs.hourly()}
	b.cost.Steps = []Step{
		{Label: "officers to arm", Value: float64(toArm), Unit: "officers",
			Formula: fmt.Sprintf("%s − %d already armed", Num(float64(force)), armedNow), Source: forceSrc + "; scenario: officers.arv + officers.afo"},
		{Label: "training time a year per armed officer", Value: perOfficerHours, Unit: "hours",
			Formula: fmt.Sprintf("%s h tests and requalification + %s h initial course / %s years", Num(costs.ArmedTrainingHoursPerYear), Num(initialHours), Num(costs.ArmedCareerYears)),
			Source:  "facts §2.3–2.4 (tests every four months, yearly requalification, 5-week AFO course); assumption: days per test, career length"},
		{Label: "cost a year per armed officer", Value: perOfficer, Unit: "£",
			Formula: fmt.Sprintf("%s h × %s + %s direct training + %s kit", Num(perOfficerHours), money2(costs.hourly()), money(costs.ArmedDirectPerYear), money(costs.ArmedKitPerYear)),
			Source:  "assumption (GK): officer-hour cost, direct training cost, kit"},
		{Label: "cost a year", Value: b.cost.PerYear, Unit: "£ a year", Formula: fmt.Sprintf("%s × %s", Num(float64(toArm)), money(perOfficer)), Source: "derived"},
		{Label: "converting today's officers (their course time)", Value: b.cost.OneOff, Unit: "£ once",
			Formula: fmt.Sprintf("%s × %s h × %s", Num(float64(toArm)), Num(initialHours), money2(costs.hourly())), Source: "derived"},
		{Label: "training hours a year taken from duty", Value: float64(toArm) * perOfficerHours, Unit: "hours",
			Formula: fmt.Sprintf("%s × %s", Num(float64(toArm)), Num(perOfficerHours)), Source: "derived"},
	}
	b.steps = []Step{
		{Label: "force officers", Value: float64(force), Unit: "officers", Source: forceSrc},
		{Label: "response officers", Value: float64(response), Unit: "officers",
			Formula: fmt.Sprintf("round(%s × %s)", Num(float64(force)), Num(costs.ResponseShare)), Source: "assumption (GK): Costs.ResponseShare"},
		{Label: "response availability, unarmed", Value: availUnarmed,
			Formula: fmt.Sprintf("1 − (%s leave + %s sickness + %s courses) / %s", Num(ab.AnnualLeave), Num(ab.Sickness), Num(ab.Courses), Num(r.rostered)),
			Source:  "assumption: the scenario's abstraction without ARV firearms training"},
		{Label: "extra abstraction when armed", Value: extraShifts, Unit: "shifts a year",
			Formula: fmt.Sprintf("%s h / %s h shifts", Num(extraHours), Num(r.hours)), Source: "facts §2.3–2.4 with the assumptions above"},
		{Label: "response availability, armed", Value: availArmed,
			Formula: fmt.Sprintf("1 − (%s + %s) / %s", Num(baseShifts), Num(extraShifts), Num(r.rostered)), Source: "derived"},
		{Label: "patrol cars on duty, unarmed", Value: onDutyUnarmed, Unit: "cars",
			Formula: fmt.Sprintf("%d × %s / %d teams", response, Num(availUnarmed), r.teams), Source: "assumption: single-crewed, the scenario's rota"},
		{Label: "armed patrol cars on duty", Value: float64(units), Unit: "cars",
			Formula: fmt.Sprintf("⌊%d × %s / %d⌋", response, Num(availArmed), r.teams), Source: "derived"},
		{Label: "patrol hours a year lost to firearms training", Value: float64(response) * extraHours, Unit: "hours",
			Formula: fmt.Sprintf("%d × %s", response, Num(extraHours)), Source: "derived"},
		{Label: "officers added to the simulator's teams for the patrol cars", Value: float64(simOfficers), Unit: "officers",
			Formula: fmt.Sprintf("⌈%d × %s⌉", units, Num(r.perSeat)), Source: "so the simulator crews the cars on average with the scenario's availability"},
	}
	b.notes = []string{
		fmt.Sprintf("%d single-crewed armed patrol cars at %d demand points (in proportion to population) answer alongside the ARVs; the nearest free armed unit goes.", units, stations),
		fmt.Sprintf("Firearms training takes %s hours a year from each armed patrol officer: about %s fewer patrol cars on duty than unarmed (%s against %s).",
			Num(extraHours), Num(onDutyUnarmed-float64(units)), Num(float64(units)), Num(onDutyUnarmed)),
		"Approximate: the cars wait at settlements when free (real patrols are spread and moving); they are never busy with other calls, which real response cars mostly are; incidents needing two ARVs get two single officers; authorisation and other delays are the scenario's; demand is unchanged (no deterrence or escalation).",
		"Approximate: the simulator draws the patrol officers' presence with the ARV officers' availability; the officers added are sized so that the mean number of cars crewed is right.",
		"Cost: every officer armed, not only response; central costs (armouries at every station, ranges, instructors' own training) are not included.",
	}
	return b, nil
}

func buildTaser(o WhatIfOptions, s *arv.Scenario) (built, error) {
	costs := o.costs()
	force, forceSrc := ForceOfficers(s)
	if o.Staffing.ForceOfficers > 0 {
		force, forceSrc = o.Staffing.ForceOfficers, "option"
	}
	front := int(math.Round(float64(force) * costs.FrontLineShare))
	armed := s.Officers.ARV + s.Officers.AFO
	toTrain := max(0, front-s.Officers.Taser-armed)
	c := s.Clone()
	c.Officers.Taser += toTrain
	h := costs.hourly()
	initHours := float64(toTrain) * costs.TaserInitialHours
	refHours := float64(toTrain) * costs.TaserRefresherHours
	devices := float64(toTrain) * costs.TaserDevice
	b := built{s: c}
	b.cost = CostModel{Known: true,
		PerYear: refHours*h + devices/costs.TaserDeviceYears,
		OneOff:  initHours*h + devices,
	}
	b.cost.Steps = []Step{
		{Label: "front-line officers", Value: float64(front), Unit: "officers",
			Formula: fmt.Sprintf("round(%s × %s)", Num(float64(force)), Num(costs.FrontLineShare)), Source: forceSrc + "; assumption: Costs.FrontLineShare"},
		{Label: "officers to train", Value: float64(toTrain), Unit: "officers",
			Formula: fmt.Sprintf("%s − %d Taser-trained − %d armed (who carry it already)", Num(float64(front)), s.Officers.Taser, armed),
			Source:  "scenario: officers.taser, officers.arv, officers.afo; ARV crews carry Taser (facts §2.1)"},
		{Label: "initial training", Value: initHours, Unit: "hours", Formula: fmt.Sprintf("%s × %s h", Num(float64(toTrain)), Num(costs.TaserInitialHours)), Source: "facts §2.5: at least 18 hours (3 days)"},
		{Label: "yearly refresher", Value: refHours, Unit: "hours a year", Formula: fmt.Sprintf("%s × %s h", Num(float64(toTrain)), Num(costs.TaserRefresherHours)), Source: "facts §2.5: at least 6 hours (1 day) a year"},
		{Label: "price of a Taser", Value: costs.TaserDevice, Unit: "£", Formula: "£6.7m / 8,155", Source: "facts §2.5 (2020 funding), derived"},
		{Label: "devices", Value: devices, Unit: "£ once", Formula: fmt.Sprintf("%s × %s", Num(float64(toTrain)), money2(costs.TaserDevice)), Source: "derived"},
		{Label: "one-off: devices and initial training time", Value: b.cost.OneOff, Unit: "£ once",
			Formula: fmt.Sprintf("%s + %s h × %s", money(devices), Num(initHours), money2(h)), Source: "assumption (GK): officer-hour cost"},
		{Label: "a year: refresher time and device replacement", Value: b.cost.PerYear, Unit: "£ a year",
			Formula: fmt.Sprintf("%s h × %s + %s / %s years", Num(refHours), money2(h), money(devices), Num(costs.TaserDeviceYears)), Source: "assumption (GK): device life"},
	}
	b.notes = []string{
		"No change to armed response: Taser is not a firearm, so the response figures are the baseline's.",
		fmt.Sprintf("%s officers trained: %s hours once and %s hours a year, the paid time of %s officers a year.",
			Num(float64(toTrain)), Num(initHours), Num(refHours), Num(refHours/costs.PaidHoursPerYear)),
		"Taser is voluntary: \"The carriage of Taser is a voluntary role\" and Kent would mandate no officer (facts §2.5); not every front-line officer would volunteer.",
	}
	return b, nil
}

// WithARVs returns a copy of s with k ARVs: the first k in crewing order
// when k ≤ len(s.ARVs), otherwise all of them and k − len(s.ARVs) more,
// added one by one at AddARVAt's base. Its ARV officers are what
// Staffing says the k ARVs need, in whole teams (not the scenario's own
// figure, so that each point of the curve is staffed by the same rule),
// and its minimum complement is at most k. It returns an error for k < 1
// or k > 1,000, or when the result does not validate.
func (o WhatIfOptions) WithARVs(s *arv.Scenario, k int) (*arv.Scenario, error) {
	if s == nil {
		return nil, errPlan("no scenario")
	}
	if k < 1 || k > 1000 {
		return nil, fmt.Errorf("plan: the ARVs must be between 1 and 1,000, got %d", k)
	}
	r, err := newRota(s, o.Staffing)
	if err != nil {
		return nil, err
	}
	c := s.Clone()
	if k <= len(c.ARVs) {
		c.ARVs = c.ARVs[:k]
	}
	for len(c.ARVs) < k {
		if err := addARV(c, o.addAt(c)); err != nil {
			return nil, err
		}
	}
	c.Officers.ARV = officersFor(c.ARVs, r)
	c.MinimumComplement = min(c.MinimumComplement, k)
	if errs := c.Validate(); len(errs) > 0 {
		return nil, fmt.Errorf("plan: the scenario with %d ARVs is not valid: %v", k, errs[0])
	}
	return c, nil
}
