// Package sim is the discrete-event model of a force's armed response, run
// on the des kernel: armed incidents arise, the control room authorises an
// armed deployment, the nearest free crewed ARV drives to the scene by
// road, and the statistics a chief officer is asked about are collected.
//
// # The model
//
// Incidents arrive as a non-homogeneous Poisson process whose rate follows
// the scenario's hour-of-day and day-of-week profiles (a weekly table of 168
// hourly rates; time 0 is a Monday, 00:00). Each arises at a demand site,
// drawn with probability proportional to its population (settlements and
// the cells of the demand grid), plus the scenario's hotspots with their
// own shares.
//
// After call handling and authorisation the incident is dispatchable: the
// free crewed ARV with the shortest estimated time of arrival is sent
// (mobilisation plus road travel from where it is), two of them for the
// share of incidents that need two. A free ARV is one idle at its base or
// driving back to it; the position of a returning ARV is interpolated
// linearly in time between the incident it left and its base, and its
// travel time from there is interpolated the same way between the two
// rows of the travel table. When no ARV is free the incident waits in a
// first-come-first-served queue; an incident that has waited
// MutualAid.AfterMinutes without any own ARV is handed to the neighbour
// whose ARV arrives first. The response time is from the 999 call to the
// first armed officers on scene (own or neighbour). The ARVs stay until
// the on-scene time, counted from the first arrival, ends, then drive back
// to base, taking the oldest waiting incident on the way if there is one.
// A share of incidents is stood down before any ARV arrives.
//
// Crewing follows the shift pattern: at each shift start one team of the
// rota is on duty, and each of its officers is present with the
// probability 1 − abstraction / rostered shifts; the ARVs rostered for
// that shift are crewed in the scenario's order while officers remain. An
// ARV whose crew goes off duty finishes its job first. Key-site patrols
// take the nearest free crewed ARV off response for their hours each day.
//
// All randomness is drawn at the moment an incident arises, from streams
// dedicated to each purpose (des.Streams), so two scenarios run with the
// same seed see the same incidents (common random numbers). Travel times
// come from a table computed once (Model.Travel), never from a route
// query per event.
//
// # Replications
//
// Run executes independent replications in parallel, each with its own
// streams derived from (seed, replication), discards a warm-up period,
// and reports each statistic as the mean over replications with a 95%
// confidence interval from Student's t distribution.
package sim
