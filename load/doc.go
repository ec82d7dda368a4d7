// Package load reads a scenario and makes it ready to simulate: a
// built-in scenario by name or a scenario file, with --set edits applied
// to its text, decoded strictly and validated, its road network opened
// (a built-in strategic network, contracted on the spot, or a graph file
// built by "arv graph build", found relative to the scenario file), every
// location resolved on that network, and the simulation model compiled
// (demand grid and travel table).
//
// When anything is wrong, Scenario returns one error, *Problems, listing
// every problem as "file:line:column: setting: message" with the line of
// the original text even after edits moved lines; a bad edit itself is a
// *yaml.SetError.
//
// It is where the scenario files, the road engine and the simulator
// meet, for the command and for the server's planning page alike.
package load
