// Package geo holds geographic value types and the few spherical-earth
// calculations the engines need: great-circle distance, bounding boxes and a
// local equirectangular projection for metric work over a county-sized area.
//
// Points are latitude/longitude in degrees (WGS84). Distances are metres.
// The package imports only the standard library; conversion to and from
// GeoJSON lives with the commands that print it.
package geo
