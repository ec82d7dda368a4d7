// Package road is the road-network engine: a directed graph of junctions
// and drivable road pieces in flat compressed-sparse-row (CSR) arrays, with
// integer travel times, snapping of arbitrary positions onto the network,
// strongly connected components, a reference Dijkstra and a versioned,
// checksummed binary file format.
//
// # Model
//
// A node is a junction, a dead end or a point where a road's attributes
// change. A segment is an undirected road piece between two nodes with its
// full shape (polyline), length, class and name. Each segment yields up to
// two directed edges, one per drivable direction; an edge's weight is its
// travel time in milliseconds. Edges are stored grouped by tail node:
// the edges leaving node u are FirstOut[u]..FirstOut[u+1]-1.
//
// Queries start and end anywhere on a segment, not only at nodes: Snap
// projects a position onto the nearest segment and returns the seeds
// (node, time offset) a search starts from or ends at, so a route from the
// middle of a long rural road is timed from where the caller is, not from
// the nearest junction.
//
// The package knows nothing about police or about OpenStreetMap: importers
// (road/osm, the built-in networks in atlas) fill a Builder, and speed-up
// techniques (road/ch) take a finished Graph.
//
// # Reference
//
// Dijkstra in this package is the correctness oracle for road/ch. It is a
// plain binary-heap Dijkstra (E. W. Dijkstra, "A note on two problems in
// connexion with graphs", Numerische Mathematik 1, 1959), O((V+E) log V).
package road
