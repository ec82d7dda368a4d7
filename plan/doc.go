// Package plan is the planning application: Planner.Run answers the
// planning questions for one scenario, and Plan.Report, Plan.WriteJSON
// and CSVFiles present the answer (the HTML report of package report,
// JSON for tools, a CSV per table). "arv plan" and the server's planning
// page both call it. It is the one place the engines meet: the
// simulator (sim), the location models (locate), the hypercube queueing
// model (hypercube), the road graph and its isochrones (road,
// road/isochrone) and the report (report).
//
// # The plan
//
// Run simulates the baseline; builds the location problem (candidates.go:
// the scenario's bases and standby points, the police sites and a
// major-road junction per 5 km cell of the road graph, the demand
// settlements; the demand sites of the compiled model) and solves
// maximal covering, expected covering and p-median, each with its bound
// (standby.go); runs the what-ifs and the curve of 1 to n+2 ARVs;
// simulates each distinct standby answer and recommends the one with
// most incidents within target whose 90th percentile is no worse than
// today's; does the staffing and selection arithmetic and finds the full
// complement; solves the hypercube model for the ARVs at their bases
// (workload.go); and computes the drive-time bands from the recommended
// standby points (isochrones.go). Every simulation uses the same options
// and seed. A router that is not a road graph (a straight-line stand-in
// in tests) gives a plan without junctions, police sites, roads or
// isochrones.
//
// It also holds the force-planning calculations that are not engines:
// how many officers keep a number of ARVs crewed around the clock, how
// many applicants the selection pipeline needs, and the what-ifs of the
// public debate on armed policing, run through the simulator with common
// random numbers.
//
// Every number the package uses comes from the project's research files
// (shared/domain/armed-policing-facts.md, "facts §N", and
// shared/domain/geography.md, "geo §N") or is labelled an assumption in
// its comment, in the Source of the Step that prints it, and in
// docs/planning.md. GK marks general knowledge found in neither file.
//
// # Staffing
//
// An ARV with a crew of c needs c seats filled at every moment. With a
// rota of T teams and S shifts a day, each shift worked by one team, a
// seat needs S × 365.25 officer-shifts a year and each officer is
// rostered for S × 365.25 / T of them. Leave, sickness, training and
// courses take A of those away, so each officer fills
//
//	available = S × 365.25 / T − A
//
// officer-shifts a year, and a seat needs
//
//	officers per seat = S × 365.25 / available = T / availability,
//
// where availability = available / rostered is the chance that a
// rostered officer is on duty: the same figure the simulator uses
// (arv.Scenario.Availability). Staffing multiplies by the seats and
// rounds up, to whole officers and to whole teams. Crewable is the
// inverse: the ARVs N officers keep crewed on average, and the chance
// that a shift has enough officers for k of them. That chance uses the
// simulator's own model: N officers shared as evenly as the rota allows
// over T teams, each present on a shift independently with probability
// availability, so the officers present are binomial and k crews of c
// need at least k × c of them.
//
// The average rule and the chance differ: officers who are present
// beyond the crews needed on one shift cannot fill the gaps of another,
// so a force staffed exactly by the average rule has its full complement
// on barely more than half of its shifts. Both are reported.
//
// # Selection
//
// Selection turns an establishment into applicants a year: vacancies =
// officers × annual attrition, divided by the product of the pass rates
// of the stages (sift, fitness test, psychological and medical
// assessment, interview, initial firearms course, ARV course,
// accreditation), and adds up the weeks from application to crewing an
// ARV. The files give the fitness standards and course lengths but no
// pass rates: every default rate is an assumption, said so in its
// Source.
//
// # What-ifs
//
// WhatIfs lists, in a fixed order, the changes the public debate asks
// about: the 2010–2016 national loss of firearms officers scaled to the
// force, 24 more firearms officers, the key-site patrols, one ARV more or
// fewer, arming every officer and Taser for every front-line officer.
// Each transforms a deep copy of the scenario (arv.Scenario.Clone) into one the
// simulator can run, and carries the officers it needs, its cost a year
// where the inputs exist (Costs, every figure labelled) and notes on what
// is approximate. WhatIfOptions.Run applies each, compiles it with the caller's
// compile function (which holds the road network) and simulates it with
// the same options and seed: the incidents, their delays and the
// officers' presence are drawn the same way in every run (common random
// numbers, see package sim), so differences between rows are the
// what-if's and not noise. WhatIfOptions.WithARVs and RunARVCurve give
// the marginal value of each ARV.
//
// Functions return errors for impossible input (no teams, more
// abstraction than rostered time, pass rates outside 0..1); none panics
// on caller input.
package plan
