// Package scenarios holds the built-in scenarios, YAML files embedded in
// the binary: "wiltshire", Wiltshire Police's armed response on the
// built-in Wiltshire network (the default of "arv simulate"), and "kent",
// Kent Police's 81 armed officers of June 2017 with their armed patrols at
// Canterbury Cathedral, the Port of Dover and Bluewater.
//
// Every figure in the files carries a comment giving its source, a section
// of shared/domain/armed-policing-facts.md or shared/domain/geography.md,
// or "assumption:" with the reasoning; docs/scenarios.md shows the
// arithmetic (demand scaled from the national Home Office series, officers
// per round-the-clock seat from the rota and abstraction) and lists what
// the scenarios leave out. The tests decode each file strictly into
// arv.Scenario, validate it, resolve every location on its built-in
// network, and check the key figures against the table in
// docs/scenarios.md, so the file and its documentation cannot drift apart
// silently.
//
// Get returns the YAML source, comments included, so that a user can copy
// a scenario and edit it:
//
//	src, ok := scenarios.Get("wiltshire")
package scenarios
