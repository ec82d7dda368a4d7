package osm

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	osmdata "github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// Attribution is the notice every result derived from OpenStreetMap data
// must carry (Open Database Licence 1.0, section 4.3).
const Attribution = "© OpenStreetMap contributors, ODbL 1.0"

// Format is an OpenStreetMap file format.
type Format int

// The formats Import reads. FormatAuto detects the format from the file's
// first bytes.
const (
	FormatAuto Format = iota
	FormatPBF
	FormatXML
	FormatXMLBzip2
)

func (f Format) String() string {
	switch f {
	case FormatPBF:
		return "pbf"
	case FormatXML:
		return "osm-xml"
	case FormatXMLBzip2:
		return "osm-xml-bzip2"
	}
	return "auto"
}

// Options tune an import. The zero value uses the default blue-light
// profile and every core.
type Options struct {
	// Profile decides which ways may be driven and how fast. Default:
	// DefaultProfile().
	Profile *Profile
	// Procs is the number of goroutines decoding PBF blocks. Default:
	// runtime.GOMAXPROCS(0).
	Procs int
	// Progress, when set, is called with the current stage and the bytes
	// of the file read so far out of total (total is 0 for stages that do
	// not read the file).
	Progress func(stage string, done, total int64)
	// Name labels the graph (Meta.Name). Default: the file name without
	// its extensions.
	Name string
}

// Stats describes what an import read and kept.
type Stats struct {
	Format           Format
	Nodes            int64 // OSM nodes read
	Ways             int64 // OSM ways read
	Relations        int64 // OSM relations read
	HighwayWays      int   // ways with a highway=* tag
	RoutableWays     int   // ways the profile lets the vehicle drive
	TurnRestrictions int   // type=restriction relations, read but not applied
	MissingNodes     int   // references from routable ways to nodes absent from the file (clipped extracts)
	Barriers         int   // blocking barriers on routable ways
	Places           int   // named places and police stations kept
	// Skipped counts road pieces left out because they cannot be timed
	// (too long for their speed: over a day to drive); SkippedWays lists
	// the OSM ids of up to ten of their ways, to check and fix.
	Skipped     int
	SkippedWays []int64
	// Component reports the largest strongly connected component kept and
	// what was dropped.
	Component road.ComponentStats
}

// ErrNoRoads is returned (wrapped) when a file holds no road the profile
// lets the vehicle drive.
var ErrNoRoads = errors.New("no drivable roads")

// ImportFile reads an OpenStreetMap file (.osm.pbf, .osm or .osm.bz2) and
// returns the road graph of its largest strongly connected component.
// Errors name the file and say what is wrong with it.
func ImportFile(ctx context.Context, path string, opt Options) (*road.Graph, Stats, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, Stats{}, err
	}
	if fi.IsDir() {
		return nil, Stats{}, fmt.Errorf("%s: is a directory, not an OpenStreetMap file", path)
	}
	src := source{
		name: path,
		size: fi.Size(),
		open: func() (io.ReadCloser, error) { return os.Open(path) },
	}
	return importSource(ctx, src, opt)
}

// Import is ImportFile over data held in memory; name is used in errors
// and as the default graph name.
func Import(ctx context.Context, name string, data []byte, opt Options) (*road.Graph, Stats, error) {
	src := source{
		name: name,
		size: int64(len(data)),
		open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
	return importSource(ctx, src, opt)
}

type source struct {
	name string
	size int64
	open func() (io.ReadCloser, error)
}

// sniff detects the format from the first bytes of the file.
func (src source) sniff() (Format, error) {
	f, err := src.open()
	if err != nil {
		return FormatAuto, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case n == 0:
		return FormatAuto, errors.New("empty file")
	case bytes.HasPrefix(head, []byte("BZh")):
		return FormatXMLBzip2, nil
	case n >= 6 && bytes.Contains(head[4:], []byte("OSMHeader")):
		return FormatPBF, nil
	}
	text := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	if bytes.HasPrefix(text, []byte("<?xml")) || bytes.HasPrefix(text, []byte("<osm")) {
		return FormatXML, nil
	}
	return FormatAuto, errors.New("not an OpenStreetMap file: expected PBF (.osm.pbf), XML (.osm) or bzip2-compressed XML (.osm.bz2)")
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type scanner interface {
	Scan() bool
	Object() osmdata.Object
	Err() error
}

// pass opens the file and calls fn for each object; skipNodes and
// skipWays let PBF decoding skip what the pass does not need.
func (src source) pass(ctx context.Context, format Format, opt Options, stage string, skipNodes, skipWays bool, fn func(osmdata.Object)) error {
	f, err := src.open()
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	var sc scanner
	var scannedBytes func() int64
	switch format {
	case FormatPBF:
		procs := opt.Procs
		if procs <= 0 {
			procs = runtime.GOMAXPROCS(0)
		}
		s := osmpbf.New(ctx, cr, procs)
		defer s.Close()
		s.SkipNodes, s.SkipWays, s.SkipRelations = skipNodes, skipWays, skipWays
		sc, scannedBytes = s, s.FullyScannedBytes
	case FormatXML:
		s := osmxml.New(ctx, bufio.NewReaderSize(cr, 1<<16))
		defer s.Close()
		sc, scannedBytes = s, func() int64 { return cr.n }
	case FormatXMLBzip2:
		s := osmxml.New(ctx, bufio.NewReaderSize(bzip2.NewReader(bufio.NewReaderSize(cr, 1<<16)), 1<<16))
		defer s.Close()
		sc, scannedBytes = s, func() int64 { return cr.n }
	}
	k := 0
	for sc.Scan() {
		fn(sc.Object())
		if k++; k%65536 == 0 && opt.Progress != nil {
			opt.Progress(stage, scannedBytes(), src.size)
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s: %w", format, err)
	}
	if opt.Progress != nil {
		opt.Progress(stage, src.size, src.size)
	}
	return nil
}

// placeKinds are the place=* values kept as named places.
var placeKinds = map[string]bool{
	"city": true, "town": true, "village": true, "hamlet": true,
	"suburb": true, "quarter": true, "neighbourhood": true,
}

type wayRecord struct {
	id         int64
	start, end int32 // refs[start:end]
	info       WayInfo
}

type policeWay struct {
	start, end int32 // policeRefs[start:end]
	name       string
}

func importSource(ctx context.Context, src source, opt Options) (g *road.Graph, st Stats, err error) {
	defer func() {
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%s: %w", src.name, err)
		}
	}()
	prof := opt.Profile
	if prof == nil {
		prof = DefaultProfile()
	}
	if err := prof.Validate(); err != nil {
		return nil, st, fmt.Errorf("profile: %w", err)
	}
	format, err := src.sniff()
	if err != nil {
		return nil, st, err
	}
	st.Format = format
	if format == FormatPBF {
		if opt.Progress != nil {
			opt.Progress("checking", 0, src.size)
		}
		f, err := src.open()
		if err != nil {
			return nil, st, err
		}
		procs := opt.Procs
		if procs <= 0 {
			procs = runtime.GOMAXPROCS(0)
		}
		_, err = checkPBF(ctx, f, procs)
		f.Close()
		if err != nil {
			if ctx.Err() != nil {
				return nil, st, ctx.Err()
			}
			return nil, st, fmt.Errorf("corrupt PBF: %w", err)
		}
	}

	// Pass 1: ways (routable roads and police buildings) and relations.
	var (
		refs       []int64
		ways       []wayRecord
		policeRefs []int64
		police     []policeWay
	)
	err = src.pass(ctx, format, opt, "reading ways", true, false, func(o osmdata.Object) {
		switch o := o.(type) {
		case *osmdata.Way:
			st.Ways++
			if o.Tags.Find("highway") != "" {
				st.HighwayWays++
				if info, ok := prof.Way(o.Tags); ok && len(o.Nodes) >= 2 {
					st.RoutableWays++
					start := int32(len(refs))
					for _, n := range o.Nodes {
						refs = append(refs, int64(n.ID))
					}
					ways = append(ways, wayRecord{int64(o.ID), start, int32(len(refs)), info})
				}
			}
			if o.Tags.Find("amenity") == "police" {
				if name := o.Tags.Find("name"); name != "" && len(o.Nodes) > 0 {
					start := int32(len(policeRefs))
					for _, n := range o.Nodes {
						policeRefs = append(policeRefs, int64(n.ID))
					}
					police = append(police, policeWay{start, int32(len(policeRefs)), name})
				}
			}
		case *osmdata.Relation:
			st.Relations++
			if o.Tags.Find("type") == "restriction" {
				st.TurnRestrictions++
			}
		}
	})
	if err != nil {
		return nil, st, err
	}
	if st.RoutableWays == 0 {
		return nil, st, fmt.Errorf("%w: of %d ways, %d have a highway tag and none is one a car may use under profile %q",
			ErrNoRoads, st.Ways, st.HighwayWays, prof.Name)
	}

	// The nodes the graph needs, sorted, and how often each is used; way
	// ends count twice so that they always become graph nodes.
	ids := make([]int64, 0, len(refs)+len(policeRefs))
	ids = append(ids, refs...)
	ids = append(ids, policeRefs...)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	index := func(id int64) int {
		i, ok := slices.BinarySearch(ids, id)
		if !ok {
			return -1
		}
		return i
	}
	uses := make([]uint8, len(ids))
	bump := func(i int) {
		if uses[i] < 255 {
			uses[i]++
		}
	}
	for _, w := range ways {
		for k, r := range refs[w.start:w.end] {
			i := index(r)
			bump(i)
			if k == 0 || int32(k) == w.end-w.start-1 {
				bump(i)
			}
		}
	}

	// Pass 2: node positions, barriers, places.
	lat := make([]float64, len(ids))
	lon := make([]float64, len(ids))
	have := make([]bool, len(ids))
	blocked := make([]bool, len(ids))
	var places []road.Place
	err = src.pass(ctx, format, opt, "reading nodes", false, true, func(o osmdata.Object) {
		n, ok := o.(*osmdata.Node)
		if !ok {
			return
		}
		st.Nodes++
		if len(n.Tags) > 0 {
			if p, ok := nodePlace(n); ok {
				places = append(places, p)
			}
		}
		i := index(int64(n.ID))
		if i < 0 {
			return
		}
		p := geo.Point{Lat: n.Lat, Lon: n.Lon}
		if !p.Valid() {
			return // treated as missing
		}
		lat[i], lon[i], have[i] = n.Lat, n.Lon, true
		if uses[i] > 0 && len(n.Tags) > 0 && n.Tags.Find("barrier") != "" && prof.BlocksPassage(n.Tags) {
			blocked[i] = true
			st.Barriers++
		}
	})
	if err != nil {
		return nil, st, err
	}
	for _, pw := range police {
		var c geo.Point
		k := 0
		for _, r := range policeRefs[pw.start:pw.end] {
			if i := index(r); i >= 0 && have[i] {
				c.Lat += lat[i]
				c.Lon += lon[i]
				k++
			}
		}
		if k > 0 {
			places = append(places, road.Place{Name: pw.name, Kind: "police", Point: geo.Point{Lat: c.Lat / float64(k), Lon: c.Lon / float64(k)}})
		}
	}

	if opt.Progress != nil {
		opt.Progress("building graph", 0, 0)
	}
	var b road.Builder
	name := opt.Name
	if name == "" {
		name = baseName(src.name)
	}
	b.Meta = road.Meta{
		Name:        name,
		Source:      filepath.Base(src.name),
		Attribution: Attribution,
		Profile:     prof.Name,
	}
	graphNode := make([]int32, len(ids))
	for i := range graphNode {
		graphNode[i] = -1
	}
	pt := func(i int) geo.Point { return geo.Point{Lat: lat[i], Lon: lon[i]} }
	nodeFor := func(i int) int32 {
		if blocked[i] {
			return b.AddNode(pt(i)) // a private copy: nothing passes a barrier
		}
		if graphNode[i] < 0 {
			graphNode[i] = b.AddNode(pt(i))
		}
		return graphNode[i]
	}
	var way int64 // the way being cut into segments, for reports
	var addSeg func(from, to int32, via []int, info WayInfo)
	addSeg = func(from, to int32, via []int, info WayInfo) {
		if from == to {
			// A loop back to its start: split it at a middle shape point
			// so no segment is a self-loop.
			if len(via) == 0 {
				return
			}
			m := len(via) / 2
			mid := nodeFor(via[m])
			addSeg(from, mid, via[:m], info)
			addSeg(mid, to, via[m+1:], info)
			return
		}
		shape := make([]geo.Point, len(via))
		for k, i := range via {
			shape[k] = pt(i)
		}
		if err := b.AddSegment(road.Segment{
			From: from, To: to, Via: shape,
			ForwardKmh: info.ForwardKmh, BackwardKmh: info.BackwardKmh,
			Class: info.Class, Name: info.Name,
		}); err != nil {
			// Only an untimeable piece can fail here (the profile gives
			// valid speeds): leave it out and say which way it was.
			st.Skipped++
			if len(st.SkippedWays) < 10 && !slices.Contains(st.SkippedWays, way) {
				st.SkippedWays = append(st.SkippedWays, way)
			}
		}
	}
	var via []int
	for _, w := range ways {
		way = w.id
		cur := int32(-1)
		prev := -1
		via = via[:0]
		wr := refs[w.start:w.end]
		for k, r := range wr {
			i := index(r)
			if !have[i] {
				st.MissingNodes++
				// The way leaves the extract: end the piece at the last
				// node present.
				if cur >= 0 && len(via) > 0 {
					last := via[len(via)-1]
					addSeg(cur, nodeFor(last), via[:len(via)-1], w.info)
				}
				cur, prev, via = -1, -1, via[:0]
				continue
			}
			if i == prev {
				continue // repeated node
			}
			prev = i
			if cur < 0 {
				cur = nodeFor(i)
				continue
			}
			if uses[i] >= 2 || blocked[i] || k == len(wr)-1 {
				end := nodeFor(i)
				addSeg(cur, end, via, w.info)
				via = via[:0]
				cur = end
				if blocked[i] {
					cur = nodeFor(i)
				}
				continue
			}
			via = append(via, i)
		}
		if cur >= 0 && len(via) > 0 {
			last := via[len(via)-1]
			addSeg(cur, nodeFor(last), via[:len(via)-1], w.info)
		}
	}
	sort.SliceStable(places, func(i, j int) bool { return places[i].Name < places[j].Name })
	for _, p := range places {
		b.AddPlace(p)
	}
	st.Places = len(places)
	full := b.Graph()
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	if opt.Progress != nil {
		opt.Progress("connectivity", 0, 0)
	}
	g, st.Component = road.LargestComponent(full)
	if g.NumEdges() == 0 {
		return nil, st, fmt.Errorf("%w: the %d routable ways have no two connected junctions (are their nodes in the file?)", ErrNoRoads, st.RoutableWays)
	}
	return g, st, nil
}

// nodePlace returns the named place or police station a node stands for.
func nodePlace(n *osmdata.Node) (road.Place, bool) {
	name := n.Tags.Find("name")
	if name == "" {
		return road.Place{}, false
	}
	p := road.Place{Name: name, Point: geo.Point{Lat: n.Lat, Lon: n.Lon}}
	if !p.Point.Valid() {
		return road.Place{}, false
	}
	if kind := n.Tags.Find("place"); placeKinds[kind] {
		p.Kind = kind
		if pop, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(n.Tags.Find("population")), ",", "")); err == nil && pop > 0 {
			p.Population = pop
		}
		return p, true
	}
	if n.Tags.Find("amenity") == "police" {
		p.Kind = "police"
		return p, true
	}
	return road.Place{}, false
}

// baseName returns a file's name without directory or OSM extensions.
func baseName(path string) string {
	b := filepath.Base(path)
	for _, ext := range []string{".bz2", ".pbf", ".xml", ".osm"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}
