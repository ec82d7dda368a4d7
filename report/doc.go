// Package report writes the armed-response planning report: one
// self-contained HTML file that a firearms planning lead can take to a
// chief officer.
//
// The caller fills a Data, with the answers at the top, the map of the
// force area, the options compared, the coverage curve, ARV utilisation,
// the hypercube-against-simulator check, the staffing and selection
// arithmetic, further tables and notes, and calls Render. The package
// takes plain data: it imports only the standard library and geo, and
// knows nothing of the optimiser, the queueing model or the simulator
// that produced the figures. Every section is optional; an empty one is
// left out.
//
// # The file
//
// The output is one HTML5 file built with html/template from an embedded
// template and style sheet. The map and every chart are inline SVG drawn
// here: there are no scripts, no web fonts, no map tiles, no images and
// no reference to anything outside the file, so it opens offline and
// can be mailed or archived as it is. Hover tooltips use SVG <title>
// elements, which browsers show natively. The style sheet uses system
// fonts, keeps to sober colours, and has print rules for A4 (figures and
// table rows are not split across pages; colours print as shown).
//
// Every string from Data is plain text and escaped; a force name holding
// "<script>" is shown as those characters. Numbers that are NaN or
// infinite are shown as "–" and left out of charts. Render returns an
// error only for nil Data or a failing writer; it never panics on odd
// data (no roads, one point, an empty or zero-size area, NaN values).
//
// # The map
//
// Positions are drawn in an equirectangular projection around the
// centre of the area, longitude scaled by the cosine of the latitude
// (as geo.Projection does), fitted to a fixed 1000×720 view box with a
// margin, and clipped to the map frame. The figure carries a scale bar
// in kilometres, a north arrow and a legend listing what is present.
// Demand points are circles whose area is proportional to their weight,
// coloured on a colour-blind-safe scale by their response time against
// their target (within; up to 1.5 times; beyond; not reached). Bases
// are squares, standby points diamonds; labels are placed beside their
// markers and skipped when they would overlap one another, and demand
// points are labelled only when their circles are large.
//
// # Charts
//
// The response-time chart draws the cumulative distribution of each
// option from 0 to 60 minutes with the targets as vertical lines and the
// required share as a horizontal one; lines differ in colour (the
// Okabe–Ito palette) and in dash pattern, so they survive grey printing.
// The coverage chart draws the optimised, expected (MEXCLP) and
// simulated coverage against the number of ARVs. Utilisation is drawn as
// bars, and the hypercube comparison as paired dots with a table.
//
// # Filling Data from the other packages
//
// An isochrone.Band converts field by field; its rings are []geo.Point
// underneath, so they assign directly:
//
//	for _, b := range bands {
//		rb := report.Band{Minutes: b.Limit.Minutes()}
//		for _, pg := range b.Polygons {
//			var rings [][]geo.Point
//			for _, r := range pg {
//				rings = append(rings, r)
//			}
//			rb.Polygons = append(rb.Polygons, rings)
//		}
//		d.Map.Isochrones = append(d.Map.Isochrones, rb)
//	}
//
// Roads come from a road.Graph segment by segment (g.SegmentShape(s) and
// the segment's class's String), and targets from the scenario with
// report.Targets(sc.Targets).
package report
