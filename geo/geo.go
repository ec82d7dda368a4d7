package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// EarthRadius is the mean radius of the earth in metres (IUGG R1), the
// radius used for every great-circle distance in this package.
const EarthRadius = 6371008.8

// Point is a WGS84 position in degrees.
type Point struct {
	Lat float64 `json:"lat"` // latitude, degrees north, in [-90, 90]
	Lon float64 `json:"lon"` // longitude, degrees east, in [-180, 180]
}

// Valid reports whether p is a finite position within the WGS84 ranges.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// String formats p as "lat,lon" with 6 decimals (about 0.1 m).
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', 6, 64) + "," + strconv.FormatFloat(p.Lon, 'f', 6, 64)
}

// ErrNotPoint is returned by ParsePoint when the text is not "LAT,LON".
var ErrNotPoint = errors.New("geo: not a LAT,LON pair")

// ParsePoint parses "LAT,LON" in decimal degrees, such as "51.357,-1.9785".
// Spaces around either number are ignored. It returns ErrNotPoint (wrapped)
// when the text does not have that shape and a descriptive error when a
// number is out of range.
func ParsePoint(s string) (Point, error) {
	lat, lon, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("%w: %q", ErrNotPoint, s)
	}
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil {
		return Point{}, fmt.Errorf("%w: %q", ErrNotPoint, s)
	}
	p := Point{Lat: la, Lon: lo}
	if !p.Valid() {
		return Point{}, fmt.Errorf("geo: %q is outside latitude -90..90, longitude -180..180", s)
	}
	return p, nil
}

// Distance returns the great-circle (haversine) distance between a and b
// in metres on a sphere of radius EarthRadius.
func Distance(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s1 := math.Sin(dLat / 2)
	s2 := math.Sin(dLon / 2)
	h := s1*s1 + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*s2*s2
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Interpolate returns the point a fraction f of the way from a to b, linear
// in degrees (adequate for the short road segments it is used on).
func Interpolate(a, b Point, f float64) Point {
	return Point{Lat: a.Lat + (b.Lat-a.Lat)*f, Lon: a.Lon + (b.Lon-a.Lon)*f}
}

// Bound is a latitude/longitude box. The zero Bound is empty: extending it
// with a point gives a box around that point alone.
type Bound struct {
	Min, Max Point // south-west and north-east corners
	nonEmpty bool
}

// BoundOf returns the smallest Bound holding every point.
func BoundOf(points ...Point) Bound {
	var b Bound
	for _, p := range points {
		b = b.Extend(p)
	}
	return b
}

// Empty reports whether b holds no point.
func (b Bound) Empty() bool { return !b.nonEmpty }

// Extend returns b grown to hold p.
func (b Bound) Extend(p Point) Bound {
	if !b.nonEmpty {
		return Bound{Min: p, Max: p, nonEmpty: true}
	}
	b.Min.Lat = math.Min(b.Min.Lat, p.Lat)
	b.Min.Lon = math.Min(b.Min.Lon, p.Lon)
	b.Max.Lat = math.Max(b.Max.Lat, p.Lat)
	b.Max.Lon = math.Max(b.Max.Lon, p.Lon)
	return b
}

// Contains reports whether p lies in b (edges included).
func (b Bound) Contains(p Point) bool {
	return b.nonEmpty && p.Lat >= b.Min.Lat && p.Lat <= b.Max.Lat && p.Lon >= b.Min.Lon && p.Lon <= b.Max.Lon
}

// Center returns the midpoint of b in degrees.
func (b Bound) Center() Point {
	return Point{Lat: (b.Min.Lat + b.Max.Lat) / 2, Lon: (b.Min.Lon + b.Max.Lon) / 2}
}

// Pad returns b grown by m metres on every side.
func (b Bound) Pad(m float64) Bound {
	if !b.nonEmpty {
		return b
	}
	dLat := m / EarthRadius * 180 / math.Pi
	c := math.Cos(b.Center().Lat * math.Pi / 180)
	dLon := dLat / math.Max(c, 0.01)
	b.Min.Lat, b.Max.Lat = math.Max(-90, b.Min.Lat-dLat), math.Min(90, b.Max.Lat+dLat)
	b.Min.Lon, b.Max.Lon = math.Max(-180, b.Min.Lon-dLon), math.Min(180, b.Max.Lon+dLon)
	return b
}

// Projection is a local equirectangular projection to metres around an
// origin. Over a county (100 km) its distance error against the great
// circle stays under 0.5%, which is what snapping and rasterising need.
type Projection struct {
	Origin Point
	kx, ky float64 // metres per degree of longitude and latitude
}

// NewProjection returns the projection centred on origin.
func NewProjection(origin Point) Projection {
	ky := EarthRadius * math.Pi / 180
	return Projection{Origin: origin, kx: ky * math.Cos(origin.Lat*math.Pi/180), ky: ky}
}

// Project returns p as x (east) and y (north) metres from the origin.
func (pr Projection) Project(p Point) (x, y float64) {
	return (p.Lon - pr.Origin.Lon) * pr.kx, (p.Lat - pr.Origin.Lat) * pr.ky
}

// Unproject is the inverse of Project.
func (pr Projection) Unproject(x, y float64) Point {
	return Point{Lat: pr.Origin.Lat + y/pr.ky, Lon: pr.Origin.Lon + x/pr.kx}
}
