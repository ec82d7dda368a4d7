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
// driving back to it; the travel time of a returning ARV is interpolated
// linearly in time between the rows of the travel table for the incident
// it left and for its base. When no ARV is free the incident waits in a
// queue: a newly free ARV goes to the oldest incident that has no ARV at
// all, else to the oldest still waiting for its second. An incident that
// has waited MutualAid.AfterMinutes without any own ARV is handed to the
// neighbour whose ARV would arrive first (its time to its entry point
// plus the road from there). The response time is from the 999 call to
// the first armed officers on scene (own or neighbour). The ARVs stay
// until the on-scene time, counted from the first arrival, ends, then
// drive back to base, taking a waiting incident instead if there is one.
// A share of incidents is stood down before any ARV arrives.
//
// Crewing follows the shift pattern: at each shift start one team of the
// rota is on duty, and each of its officers is present with the
// probability 1 − abstraction / rostered shifts; the ARVs rostered for
// that shift are crewed in the scenario's order while officers remain,
// until the next shift starts or the shift's hours are over, whichever is
// first (a gap leaves the ARVs uncrewed). An ARV whose crew goes off duty
// finishes its job first. Key-site patrols take the nearest free crewed
// ARV off response for their hours each day; a patrol left when its crew
// goes off duty passes to the next free ARV.
//
// All randomness is drawn at the moment an incident arises, one uniform
// number per quantity from a stream dedicated to it (des.Streams), turned
// into a variate by inverting its distribution; an officer's presence on a
// shift is a hash of the seed, the shift and the officer's place in the
// team. So two scenarios run with the same seed see the same incidents
// and the same officers, as far as their differences allow (common random
// numbers). Travel times come from a table computed once (Model.Travel),
// never from a route query per event.
//
// Simplifications: an ARV sent to a key-site patrol counts as there at
// once; mobilisation is added even for a crew already driving back; an
// ARV stood down on its way is taken to be at the nearer end of its trip.
//
// # Replications
//
// Run executes independent replications in parallel, each with its own
// streams derived from (seed, replication), discards a warm-up period,
// and reports each statistic as the mean over replications with a 95%
// confidence interval from Student's t distribution.
package sim
