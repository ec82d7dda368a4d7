// Package arv is the domain of the armed-response planning and operations
// system: the vocabulary shared by the engines, the storage and the
// interfaces.
//
// Britain polices largely unarmed. Each force keeps a small pool of
// volunteer firearms officers who crew Armed Response Vehicles (ARVs), and a
// control-room commander authorises every armed deployment. arv answers the
// planning questions (how long until armed officers reach any point of the
// county, how many officers keep a full complement on duty) and runs the
// armed response on the night (the nearest crewed, accredited ARV by road,
// the authorisation record, the audit trail).
//
// The root package holds domain types, rules and service interfaces and
// imports only the standard library and geo. The engines are libraries
// that know nothing of police: geo (positions), road (the road graph),
// road/osm (OpenStreetMap import), road/ch (contraction hierarchies),
// road/isochrone (reachable areas). atlas holds the built-in geography of
// the force areas. Everything is wired together in cmd/arv; see
// docs/ARCHITECTURE.md.
package arv
