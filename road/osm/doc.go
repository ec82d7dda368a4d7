// Package osm converts OpenStreetMap data (.osm.pbf, .osm XML or
// .osm.bz2) into a road.Graph, using a Profile that decides which ways
// and nodes a vehicle may use and how fast it drives them.
//
// # Profiles
//
// A Profile is read from YAML. The built-in one (DefaultProfile, its file
// DefaultProfileYAML) is a police car on an emergency, blue-light run;
// users change it by editing a copy of that file and loading it with
// ReadProfile. The importer asks the profile about every highway way
// (Profile.Way: routable or not, speed in each direction, class, name)
// and every tagged node (Profile.BlocksPassage: whether a barrier stops
// the car).
//
// A way's speed in each direction follows one rule:
//
//	speed = min(class speed, posted limit × emergency factor, cap)
//
// where the class speed (Profile.Speeds, by highway=* value) stands in
// for the posted limit when that is unknown. Posted limits are read from
// maxspeed and related tags (WayMaxspeed, ParseMaxspeed), including
// British implicit limits such as "GB:nsl_single" and "national".
//
// # Turn restrictions
//
// Turn restrictions (type=restriction relations: no_right_turn,
// only_straight_on and the like) are not applied. The road engine is
// node-based: its graph, and the contraction hierarchy built over it,
// has junctions as nodes and road pieces as edges, so it cannot say that
// arriving at a junction along one road forbids leaving along another.
// That needs an edge-based graph (nodes for road pieces, edges for
// permitted turns), several times larger. For county-scale response-time
// estimates the effect is small: a banned turn usually costs a short
// detour around a block. Emergency vehicles also frequently have
// exemptions: the traffic orders that create turn bans often except
// police, fire and ambulance purposes. The importer counts the
// restriction relations it ignores and reports the count, so that the
// omission is visible.
//
// # Not modelled
//
// Conditional and time-dependent tags (…:conditional, opening hours),
// directional access (oneway:bus, motor_vehicle:forward), ferries, and
// traffic signals and turn costs are not modelled.
package osm
