package sim

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// Model is a scenario compiled for simulation: every location resolved,
// the demand sites weighted, the travel table computed. A Model is
// read-only once compiled and may be run many times, concurrently.
type Model struct {
	Scenario *arv.Scenario

	// Points are every location the model uses: bases and standby points
	// first, then demand sites, then key sites. Labels name them.
	Points []geo.Point
	Labels []string
	// Travel holds the road travel times in seconds between points:
	// Travel[i*len(Points)+j] from i to j (+Inf where there is no route).
	// float32 keeps a 3,000-point table to 36 MB; its 7 significant
	// digits are far finer than any road time.
	Travel []float32

	// Sites are the demand sites; their Weights add up to 1.
	Sites []Site
	// ARVs are the vehicles with their base's point index.
	ARVs []ARV
	// KeySites are the patrol commitments.
	KeySites []KeySite
	// Entries are the neighbours' entry points (point indexes, -1 where
	// a neighbour has none), in the scenario's order.
	Entries []int
	// ShiftStarts are the shift start times within the day, in seconds;
	// Teams the officers of each team of the rota.
	ShiftStarts []float64
	ShiftNames  []string
	// ShiftHours is the length of a shift in hours: a shift crews its ARVs
	// until the next shift starts or until it ends, whichever is first.
	ShiftHours float64
	Teams      []int
	// Availability is the chance a rostered officer is on duty.
	Availability float64

	// DroppedCells counts demand-grid cells left out because no road
	// reaches them.
	DroppedCells int
	// GridCells counts the demand-grid cells kept.
	GridCells int

	rate hourlyRate
	// Cumulative weights for drawing a site: the population sites and the
	// hotspots separately (hotShare is the hotspots' total).
	popCum, hotCum []float64
	popSites       []int // index into Sites of each popCum entry
	hotSites       []int
	hotShare       float64
}

// Site is a place incidents arise.
type Site struct {
	Point  int     // index into Model.Points
	Name   string  // the settlement's name, "grid cell 12", or the hotspot's name
	Group  string  // the name reported in per-settlement tables ("dispersed rural" for grid cells)
	Urban  bool    // the site's class
	Weight float64 // probability an incident arises here

	hotspot bool
}

// ARV is a vehicle as the model sees it.
type ARV struct {
	CallSign string
	Base     int    // point index of its base or standby point
	Crew     int    // officers needed
	Shifts   uint64 // bit k set when it is rostered on shift k
}

// KeySite is a daily patrol commitment.
type KeySite struct {
	Name     string
	Point    int
	Start    float64 // seconds after midnight
	Duration float64 // seconds
}

// DispersedGroup is the Site.Group of demand-grid cells.
const DispersedGroup = "dispersed rural"

// Compile resolves the scenario's locations with the router, builds the
// demand grid and computes the travel table. Problems with locations come
// back together as one error listing each with its field path.
func Compile(ctx context.Context, s *arv.Scenario, r arv.Router) (*Model, error) {
	if errs := s.Validate(); len(errs) > 0 {
		return nil, fieldErrors(errs)
	}
	m := &Model{Scenario: s, Availability: s.Availability()}
	var errs []arv.FieldError
	locate := func(path string, loc arv.Location, label string) int {
		p, err := r.Locate(string(loc))
		if err != nil {
			errs = append(errs, arv.FieldError{Path: path, Message: err.Error()})
			return -1
		}
		m.Points = append(m.Points, p)
		m.Labels = append(m.Labels, label)
		return len(m.Points) - 1
	}

	baseAt := map[string]int{}
	for i, b := range s.Bases {
		baseAt[b.ID] = locate(fmt.Sprintf("bases[%d].at", i), b.At, b.Name)
	}
	for i, b := range s.StandbyPoints {
		baseAt[b.ID] = locate(fmt.Sprintf("standby_points[%d].at", i), b.At, b.Name)
	}

	// Demand: population-weighted points and grid cells share what the
	// hotspots leave.
	hotShare := 0.0
	for _, h := range s.Demand.Hotspots {
		hotShare += h.Share
	}
	type weighted struct {
		site Site
		pop  float64
	}
	var pops []weighted
	var total float64
	var hull []geo.Point
	for i, d := range s.DemandPoints {
		pt := locate(fmt.Sprintf("demand_points[%d].at", i), d.At, d.Name)
		if pt < 0 {
			continue
		}
		hull = append(hull, m.Points[pt])
		pops = append(pops, weighted{Site{Point: pt, Name: d.Name, Group: d.Name, Urban: d.Class == arv.Urban}, float64(d.Population)})
		total += float64(d.Population)
	}
	if g := s.DemandGrid; g != nil && g.Population > 0 && len(errs) == 0 {
		cells := gridCells(hull, g.CellKm*1000)
		if len(m.Points)+len(cells) > MaxPoints {
			return nil, fieldErrors([]arv.FieldError{{Path: "demand_grid.cell_km", Message: fmt.Sprintf(
				"%g km cells make %d cells, more than the %d places a model can hold; use larger cells", g.CellKm, len(cells), MaxPoints)}})
		}
		var kept []geo.Point
		for _, c := range cells {
			if _, err := r.Locate(c.String()); err != nil {
				m.DroppedCells++
				continue
			}
			kept = append(kept, c)
		}
		if len(kept) == 0 {
			errs = append(errs, arv.FieldError{Path: "demand_grid", Message: fmt.Sprintf("no %g km cell of the area the demand points span can be reached by road", g.CellKm)})
		}
		for k, c := range kept {
			m.Points = append(m.Points, c)
			m.Labels = append(m.Labels, fmt.Sprintf("grid cell %d", k+1))
			pop := float64(g.Population) / float64(len(kept))
			pops = append(pops, weighted{Site{Point: len(m.Points) - 1, Name: fmt.Sprintf("grid cell %d", k+1), Group: DispersedGroup, Urban: g.Class == arv.Urban}, pop})
			total += pop
		}
		m.GridCells = len(kept)
	}
	popShare := max(0, 1-hotShare) // hotspot shares may add up to 1 + rounding
	for _, w := range pops {
		if total > 0 {
			w.site.Weight = popShare * w.pop / total
		}
		m.Sites = append(m.Sites, w.site)
	}
	if total == 0 && hotShare == 0 && len(errs) == 0 {
		errs = append(errs, arv.FieldError{Path: "demand_points", Message: "no demand site has any population, and there are no hotspots"})
	}
	for i, h := range s.Demand.Hotspots {
		pt := locate(fmt.Sprintf("demand.hotspots[%d].at", i), h.At, h.Name)
		if pt < 0 {
			continue
		}
		m.Sites = append(m.Sites, Site{Point: pt, Name: h.Name, Group: h.Name, Urban: h.Class == arv.Urban, Weight: h.Share, hotspot: true})
	}
	for i, k := range s.KeySites {
		pt := locate(fmt.Sprintf("key_sites[%d].at", i), k.At, k.Name)
		start, _ := arv.ClockMinutes(k.Start) // checked by Validate
		m.KeySites = append(m.KeySites, KeySite{Name: k.Name, Point: pt, Start: start * 60, Duration: k.HoursPerDay * 3600})
	}
	for i, nb := range s.MutualAid.Neighbours {
		pt := -1
		if nb.At != "" {
			pt = locate(fmt.Sprintf("mutual_aid.neighbours[%d].at", i), nb.At, nb.Name)
		}
		m.Entries = append(m.Entries, pt)
	}
	if len(errs) > 0 {
		return nil, fieldErrors(errs)
	}

	m.ShiftHours = s.Shifts.Hours
	shiftIndex := map[string]int{}
	for k, sh := range s.Shifts.Shifts {
		start, _ := arv.ClockMinutes(sh.Start)
		m.ShiftStarts = append(m.ShiftStarts, start*60)
		m.ShiftNames = append(m.ShiftNames, sh.Name)
		shiftIndex[sh.Name] = k
	}
	if len(m.ShiftStarts) > 64 {
		return nil, fieldErrors([]arv.FieldError{{Path: "shifts.shifts", Message: "at most 64 shifts a day"}})
	}
	for _, a := range s.ARVs {
		var mask uint64
		for _, name := range a.Shifts {
			mask |= 1 << shiftIndex[name]
		}
		m.ARVs = append(m.ARVs, ARV{CallSign: a.CallSign, Base: baseAt[a.Base], Crew: a.Crew, Shifts: mask})
	}
	// Officers are shared as evenly as the rota allows: with 42 officers
	// in 5 teams, two teams of 9 and three of 8.
	teams := s.Shifts.Teams
	for t := 0; t < teams; t++ {
		n := s.Officers.ARV / teams
		if t < s.Officers.ARV%teams {
			n++
		}
		m.Teams = append(m.Teams, n)
	}

	var err error
	if m.rate, err = newHourlyRate(s.Demand); err != nil {
		return nil, err
	}
	var pop, hot float64
	for i, st := range m.Sites {
		if st.hotspot {
			hot += st.Weight
			m.hotCum = append(m.hotCum, hot)
			m.hotSites = append(m.hotSites, i)
		} else {
			pop += st.Weight
			m.popCum = append(m.popCum, pop)
			m.popSites = append(m.popSites, i)
		}
	}
	m.hotShare = hot
	if pop == 0 {
		m.hotShare = 1
	}
	if !(pop+hot > 0) {
		return nil, fmt.Errorf("demand: the sites' weights add up to %g", pop+hot)
	}

	if len(m.Points) > MaxPoints {
		return nil, fmt.Errorf("the scenario has %d places (bases, demand sites, key sites), more than the %d a model can hold", len(m.Points), MaxPoints)
	}
	secs, err := r.Matrix(ctx, m.Points, m.Points)
	if err != nil {
		return nil, fmt.Errorf("travel times: %w", err)
	}
	if len(secs) != len(m.Points)*len(m.Points) {
		return nil, fmt.Errorf("travel times: router returned %d values for %d points", len(secs), len(m.Points))
	}
	m.Travel = make([]float32, len(secs))
	for i, v := range secs {
		m.Travel[i] = float32(v)
	}
	// Every site must be reachable from some base, or incidents there
	// could never be answered.
	var cut []string
	for _, st := range m.Sites {
		ok := false
		for _, a := range m.ARVs {
			if !math.IsInf(m.travel(a.Base, st.Point), 1) {
				ok = true
				break
			}
		}
		if !ok {
			cut = append(cut, st.Name)
		}
	}
	if len(cut) > 0 {
		return nil, fmt.Errorf("no ARV base can reach %s by road", strings.Join(cut, ", "))
	}
	return m, nil
}

func (m *Model) travel(from, to int) float64 { return float64(m.Travel[from*len(m.Points)+to]) }

// MaxPoints bounds the places a model may have (bases, demand sites, key
// sites, entries): the travel table grows with its square.
const MaxPoints = 3000

// fieldErrors joins field errors into one error, one per line.
func fieldErrors(errs []arv.FieldError) error {
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return &FieldErrors{Errs: errs, text: b.String()}
}

// FieldErrors is the error Compile returns for problems it can tie to
// scenario fields, so that callers can print them with file positions.
type FieldErrors struct {
	Errs []arv.FieldError
	text string
}

func (e *FieldErrors) Error() string { return e.text }

// gridCells returns the centres of cells of side cell metres, aligned to
// a grid over the bounding box of hull, that lie inside the convex hull
// of the points. With fewer than three points there is no area and no
// cell.
func gridCells(points []geo.Point, cell float64) []geo.Point {
	if len(points) < 3 || !(cell > 0) {
		return nil
	}
	b := geo.BoundOf(points...)
	pr := geo.NewProjection(b.Center())
	xy := make([][2]float64, len(points))
	for i, p := range points {
		xy[i][0], xy[i][1] = pr.Project(p)
	}
	h := convexHull(xy)
	if len(h) < 3 {
		return nil
	}
	x0, y0 := pr.Project(b.Min)
	x1, y1 := pr.Project(b.Max)
	var out []geo.Point
	for y := y0 + cell/2; y < y1; y += cell {
		for x := x0 + cell/2; x < x1; x += cell {
			if insideConvex(h, x, y) {
				out = append(out, pr.Unproject(x, y))
			}
		}
	}
	return out
}

// convexHull returns the hull of pts counter-clockwise (Andrew's monotone
// chain, O(n log n)).
func convexHull(pts [][2]float64) [][2]float64 {
	p := append([][2]float64(nil), pts...)
	sort.Slice(p, func(i, j int) bool {
		if p[i][0] != p[j][0] {
			return p[i][0] < p[j][0]
		}
		return p[i][1] < p[j][1]
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	var h [][2]float64
	for _, q := range p {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	lower := len(h) + 1
	for i := len(p) - 2; i >= 0; i-- {
		q := p[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	return h[:len(h)-1]
}

// insideConvex reports whether (x, y) lies inside the counter-clockwise
// convex polygon h.
func insideConvex(h [][2]float64, x, y float64) bool {
	for i := range h {
		a, b := h[i], h[(i+1)%len(h)]
		if (b[0]-a[0])*(y-a[1])-(b[1]-a[1])*(x-a[0]) < 0 {
			return false
		}
	}
	return true
}

// drawSite returns the site for two uniform numbers in [0, 1): u1 decides
// between the hotspots (with their total share) and the population, and
// picks the hotspot; u2 picks the population site, by inverting the
// cumulative weights. Adding a hotspot or changing its share therefore
// moves only the incidents it takes, and a small change of population
// weights moves few incidents to other sites (common random numbers).
func (m *Model) drawSite(u1, u2 float64) int {
	pick := func(cum []float64, idx []int, u float64) int {
		target := u * cum[len(cum)-1]
		i := sort.Search(len(cum), func(i int) bool { return cum[i] > target })
		return idx[min(i, len(cum)-1)]
	}
	if u1 < m.hotShare && len(m.hotCum) > 0 {
		return pick(m.hotCum, m.hotSites, u1/m.hotShare)
	}
	return pick(m.popCum, m.popSites, u2)
}
