// Package isochrone turns one-to-all travel times on a road network into
// isochrone polygons: the areas reachable from a source within 10, 20 or
// 30 minutes.
//
// The input is a road.Graph, the snapped source position and the travel
// time in milliseconds from it to every node, as a one-to-all search
// (Dijkstra, or a contraction-hierarchy PHAST sweep) produces them.
// Compute returns one Band per time limit: polygons with holes in WGS84,
// wound as RFC 7946 GeoJSON wants them, and their area. The package
// draws nothing and writes no GeoJSON; callers convert the rings.
//
// # Model
//
// Time along the road. A point at fraction f of segment s is reached at
// the earlier of times[SegFrom]+f·Time[SegFwd] and
// times[SegTo]+(1-f)·Time[SegBwd], using only the directions that may be
// driven. On the source's own segment a point may also be reached by
// driving straight from the source, at |f - Offset| of the edge time in
// the drivable direction, plus the access leg when the graph times one
// (Meta.AccessKmh), as road.Graph.SourceSeeds times the seeds. Time is
// thus linear along stretches of road, split wherever its slope changes.
// Segments whose ends are both reached too late are skipped without
// looking at their shapes.
//
// Beside the road. A point p off the road counts as reached within limit
// L if some road point q, reached at t(q), lies within
//
//	r(q) = min(MaxOffRoad, (L - t(q))·OffRoadKmh)
//
// of it: the last stretch is covered in a straight line at the off-road
// speed, but never further than MaxOffRoad. The position the source was
// snapped from is itself reached at time 0.
//
// # Method
//
// Field. For each limit the package computes, at the vertices of a square
// grid in a local equirectangular projection (geo.Projection) over the
// road reached within the largest limit, padded by MaxOffRoad,
//
//	F(p) = min over road points q of |p - q| - r(q),
//
// which is negative exactly where p is reached. F is continuous even
// where MaxOffRoad rather than time bounds the area, and changes by at
// most one metre per metre, so linear interpolation between vertices puts
// boundaries to a small fraction of a cell. (A single field of times, set
// to infinity beyond MaxOffRoad, would jump there, and its contours would
// fall up to a cell short, in steps.)
//
// Stamping. The least of |p - q| - r(q) over a straight stretch of road is
// reached at one of its ends or inside it, where it has a closed form: so
// every reached node, bend and change of slope is stamped as a disc, once
// however many roads meet there, and every stretch as a strip beside it.
// A stamp writes only the vertices within its reach plus one cell, the
// only ones whose exact value a boundary can need. A vertex with F of
// minus one cell or less is deep inside, and its value no longer matters;
// a first cheap pass marks such vertices round every node, and stamps
// whose whole footprint is deep inside, in saturation blocks of 4×4
// vertices, are skipped. In a dense network most of the work is then in
// the few minutes of travel before each limit. The grid rows are shared
// out in bands among up to Options.Workers goroutines; the result does not
// depend on their number.
//
// Contours. Marching squares traces the zero contour of each limit with
// linear interpolation along cell edges; a saddle is resolved by the mean
// of its four corners, the same way for every limit, so bands nest. A
// ring of never-reached vertices round the grid closes every contour. The
// contours are walked with the reached area on their left, which makes
// outer rings counter-clockwise and holes clockwise; each hole is put in
// the smallest outer ring that contains it. Areas are taken on the sphere
// (Ring.Area).
//
// # Assumptions and trade-offs
//
// Off-road speed. The default, when the graph does not time access legs,
// is DefaultOffRoadKmh (10 km/h): the walk from the kerb or the crawl up a
// private drive. Graphs with Meta.AccessKmh (sparse strategic networks
// that leave minor roads out) use that speed instead, so that an
// isochrone agrees with the times routes report for positions off the
// network. Straight off-road legs may cross rivers, railways and
// motorways: the model knows no obstacles.
//
// Off-road distance. On a full road network a point far from any road is
// a field or a lake, and calling it reached because it is close in time
// would be wrong, so MaxOffRoad defaults to DefaultMaxOffRoad (300 m) or
// two cells, whichever is more (a narrower strip than two cells would be
// lost between grid vertices). On a sparse network the minor roads are
// missing rather than absent, so the default is the graph's snap limit:
// anything the router would accept as a position counts.
//
// Resolution. The grid's cell size trades detail for time and memory. The
// default puts AutoGridCells (300) cells across the reached area, never
// finer than MinAutoCellSize (50 m): a 30-minute isochrone of a 50 km
// county gets cells of about 170 m, which resolves villages and the gaps
// between main roads but not single streets. Boundaries are placed to a
// small fraction of a cell, but features narrower than a cell, such as
// the strip beside a lone road reached just before the limit, may vanish
// or merge. Work grows with the road reached in the minutes before each
// limit, with the number of limits and with finer cells. On a synthetic
// 70,000-node network over 50×50 km (see BenchmarkCompute), 10-, 20- and
// 30-minute bands take about 40 ms on two cores (under 30 ms at best),
// one 30-minute band about 25 ms, and 100 m cells about a quarter more.
//
// Projection. The projection is centred on the source and accurate to
// about 0.5% over 100 km; shapes far from the source, near the poles or
// across the antimeridian are distorted.
package isochrone
