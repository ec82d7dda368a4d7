package http

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"sync"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// The control-room map: the road layer, the map page and its live
// fragment (GET /map/live).

// MapLine is a road drawn on the control-room map.
type MapLine struct {
	Points []geo.Point
	// Major roads (motorway to secondary) are drawn wider.
	Major bool
}

// mapFrame projects positions into the map's SVG: an equirectangular
// projection scaled by the cosine of the middle latitude, 1000 units wide.
type mapFrame struct {
	minLat, maxLat, minLon, maxLon, k, cos float64
	W, H                                   float64
}

func newMapFrame(lines []MapLine) *mapFrame {
	f := &mapFrame{minLat: 90, maxLat: -90, minLon: 180, maxLon: -180}
	for _, l := range lines {
		for _, p := range l.Points {
			f.minLat, f.maxLat = min(f.minLat, p.Lat), max(f.maxLat, p.Lat)
			f.minLon, f.maxLon = min(f.minLon, p.Lon), max(f.maxLon, p.Lon)
		}
	}
	if f.minLat > f.maxLat {
		return nil
	}
	f.cos = math.Cos((f.minLat + f.maxLat) / 2 * math.Pi / 180)
	w := max((f.maxLon-f.minLon)*f.cos, 1e-6)
	f.k = 1000 / w
	f.W, f.H = 1000, math.Max((f.maxLat-f.minLat)*f.k, 100)
	return f
}

func (f *mapFrame) xy(p geo.Point) (float64, float64) {
	return (p.Lon - f.minLon) * f.cos * f.k, (f.maxLat - p.Lat) * f.k
}

// roadLayer is the roads as two SVG paths, built once.
type roadLayer struct {
	once         sync.Once
	frame        *mapFrame
	major, minor template.HTMLAttr
}

func (s *Server) roads() *roadLayer {
	s.roadLayer.once.Do(func() {
		f := newMapFrame(s.Roads)
		if f == nil {
			return
		}
		var major, minor strings.Builder
		for _, l := range s.Roads {
			b := &minor
			if l.Major {
				b = &major
			}
			for i, p := range l.Points {
				x, y := f.xy(p)
				if i == 0 {
					fmt.Fprintf(b, "M%.1f %.1f", x, y)
				} else {
					fmt.Fprintf(b, "L%.1f %.1f", x, y)
				}
			}
		}
		s.roadLayer.frame = f
		s.roadLayer.major = template.HTMLAttr(`d="` + major.String() + `"`)
		s.roadLayer.minor = template.HTMLAttr(`d="` + minor.String() + `"`)
	})
	return &s.roadLayer
}

// mapMark is an ARV or an incident placed on the map.
type mapMark struct {
	X, Y  float64
	Label string
	Class string
	Href  string
	Title string
}

type mapView struct {
	W, H float64
	// R is the radius of a mark and Font the label size, in map units:
	// about 1/90 and 1/50 of the larger side, so marks read the same on
	// a tall county and a wide one.
	R, Font      float64
	Major, Minor template.HTMLAttr
	Units        []mapMark
	Incidents    []mapMark
}

// mapData places the open incidents and the ARVs.
func (s *Server) mapData(r *http.Request) (*mapView, error) {
	layer := s.roads()
	if layer.frame == nil {
		return nil, arv.Errorf(arv.ENOTIMPLEMENTED, "This server has no road map loaded.")
	}
	d, err := s.board(r.Context())
	if err != nil {
		return nil, err
	}
	side := max(layer.frame.W, layer.frame.H)
	v := &mapView{W: layer.frame.W, H: layer.frame.H, R: side / 90, Font: side / 50, Major: layer.major, Minor: layer.minor}
	for _, i := range d.Incidents {
		x, y := layer.frame.xy(i.Location)
		v.Incidents = append(v.Incidents, mapMark{X: x, Y: y, Label: fmt.Sprint(i.ID), Class: "incident", Href: fmt.Sprintf("/incidents/%d", i.ID),
			Title: fmt.Sprintf("Incident %d: %s (%s)", i.ID, i.Description, statusText(i))})
	}
	for _, u := range d.Units {
		x, y := layer.frame.xy(u.Position)
		v.Units = append(v.Units, mapMark{X: x, Y: y, Label: u.CallSign, Class: "unit unit-" + string(u.Status),
			Title: fmt.Sprintf("%s: %s, %s", u.CallSign, u.Status, u.Base)})
	}
	return v, nil
}

func (s *Server) pageMap(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.mapData(r)
	if err != nil {
		return err
	}
	p.Title, p.Data, p.Script = "Map", v, "board.js"
	s.render(w, r, "map", http.StatusOK, p)
	return nil
}

func (s *Server) pageMapLive(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.mapData(r)
	if err != nil {
		return err
	}
	p.Data = v
	s.render(w, r, "maplive", http.StatusOK, p)
	return nil
}
