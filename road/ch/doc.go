// Package ch speeds up shortest-path queries on a road.Graph with
// contraction hierarchies (R. Geisberger, P. Sanders, D. Schultes and
// D. Delling, "Contraction Hierarchies: Faster and Simpler Hierarchical
// Routing in Road Networks", WEA 2008, LNCS 5038).
//
// # Preprocessing
//
// Build contracts the nodes one at a time in order of importance. Removing
// node v adds a shortcut u→w for every pair of neighbours whose only
// shortest path runs through v; a bounded Dijkstra (the witness search)
// looks for another path first and skips the shortcut when it finds one.
// A node's importance is a weighted sum of its edge difference (shortcuts
// added minus arcs removed), the number of its neighbours already
// contracted, the change in the number of original edges its shortcuts
// stand for, and its level in the hierarchy so far; it is kept up to date
// lazily (the node with the smallest priority is recomputed before it is
// taken). The node's position in this order is its rank.
//
// Nodes are renumbered by rank, and each node's arcs are stored together
// in one CSR array: its Up arcs, to higher-ranked nodes, then its Down
// arcs, from higher-ranked nodes into it. A shortcut records the node it
// bypasses, so a route can be unpacked into road edges again.
//
// # Queries
//
// A point-to-point query runs two Dijkstra searches that only climb in rank,
// forward from the source over Up and backward from the target over Down,
// with stall-on-demand pruning; the best meeting node gives the distance.
// A Query keeps its arrays between calls and allocates nothing once warm.
//
// OneToAll uses PHAST (D. Delling, A. Goldberg, A. Nowatzyk and R. Werneck,
// "PHAST: Hardware-Accelerated Shortest Path Trees", IPDPS 2011): an upward
// search from the source, then one sweep over all nodes in descending rank
// relaxing the Down arcs. Tables use the bucket method (S. Knopp, P.
// Sanders, D. Schultes, F. Schulz and D. Wagner, "Computing Many-to-Many
// Shortest Paths Using Highway Hierarchies", ALENEX 2007) for small
// tables and a PHAST sweep per row for large ones.
//
// Every answer equals plain Dijkstra on the same road.Graph; the tests check
// that on real OpenStreetMap extracts and on random graphs.
package ch
