package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/road/osm"
)

const graphUsage = `graph <build|info|profile> [flags]

  build    import an OpenStreetMap extract and write a routable graph file
  info     describe a graph file
  profile  print the default blue-light vehicle profile (YAML), to copy and edit`

func runGraph(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 {
		return usagef("give a subcommand: build, info or profile")
	}
	switch args[0] {
	case "build":
		return runGraphBuild(ctx, m, args[1:])
	case "info":
		return runGraphInfo(ctx, m, args[1:])
	case "profile":
		fs := m.newFlagSet("graph profile", "graph profile > bluelight.yaml")
		if err := fs.parse(args[1:]); err != nil {
			return err
		}
		_, err := m.Stdout.Write(osm.DefaultProfileYAML())
		return err
	case "-h", "--help", "help":
		fmt.Fprintf(m.Stdout, "Usage: arv %s\n", graphUsage)
		return nil
	}
	return usagef("unknown subcommand %q (build, info or profile)", args[0])
}

const graphBuildUsage = `graph build --osm FILE --out FILE.arvg [--profile FILE.yaml] [--name NAME]

Reads an OpenStreetMap extract (.osm.pbf, .osm or .osm.bz2), keeps the roads
a blue-light car may use, keeps the largest strongly connected component,
builds the contraction hierarchy and writes one graph file.`

func runGraphBuild(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("graph build", graphBuildUsage)
	in := fs.String("osm", "", "OpenStreetMap `file` to import")
	out := fs.String("out", "", "graph `file` to write (.arvg)")
	profPath := fs.String("profile", "", "vehicle profile `file` (YAML; default: the built-in blue-light profile, see \"arv graph profile\")")
	name := fs.String("name", "", "network `name` recorded in the file (default: the OSM file's name)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usagef("--osm and --out are required")
	}
	if abs1, err1 := filepath.Abs(*in); err1 == nil {
		if abs2, err2 := filepath.Abs(*out); err2 == nil && abs1 == abs2 {
			return usagef("--out would overwrite the --osm input")
		}
	}
	opt := osm.Options{Name: *name}
	if *profPath != "" {
		p, err := osm.ReadProfile(*profPath)
		if err != nil {
			return err
		}
		opt.Profile = p
	}
	var inSize int64
	if fi, err := os.Stat(*in); err == nil {
		inSize = fi.Size()
	}
	pr := m.newProgress()
	opt.Progress = func(stage string, done, total int64) { pr.update(stage, done, total, "bytes") }
	t0 := time.Now()
	g, st, err := osm.ImportFile(ctx, *in, opt)
	if err != nil {
		pr.abandon()
		return err
	}
	pr.finish()
	t1 := time.Now()
	h, err := ch.Build(ctx, g, &ch.Options{Progress: func(done, total int) {
		pr.update("contracting", int64(done), int64(total), "nodes")
	}})
	if err != nil {
		pr.abandon()
		return err
	}
	pr.finish()
	t2 := time.Now()
	pr.update("writing "+*out, 0, 0, "")
	if err := ch.WriteFile(*out, h); err != nil {
		pr.abandon()
		return err
	}
	pr.finish()
	t3 := time.Now()
	var outSize int64
	if fi, err := os.Stat(*out); err == nil {
		outSize = fi.Size()
	}

	w := m.Stdout
	prof := opt.Profile
	if prof == nil {
		prof = osm.DefaultProfile()
	}
	fmt.Fprintf(w, "Read       %s (%.1f MB, %s): %s nodes, %s ways, %s relations\n",
		filepath.Base(*in), float64(inSize)/1e6, st.Format, thousands(st.Nodes), thousands(st.Ways), thousands(st.Relations))
	fmt.Fprintf(w, "Roads      %s highway ways, %s drivable under profile %q; %d blocking barriers\n",
		thousands(int64(st.HighwayWays)), thousands(int64(st.RoutableWays)), prof.Name, st.Barriers)
	if st.Skipped > 0 {
		fmt.Fprintf(w, "Skipped    %s road pieces that would take over a day to drive (check the maxspeed of OSM ways %s)\n",
			thousands(int64(st.Skipped)), joinIDs(st.SkippedWays))
	}
	if st.MissingNodes > 0 {
		fmt.Fprintf(w, "Clipped    %s references to nodes outside the extract (ways cut at the boundary)\n", thousands(int64(st.MissingNodes)))
	}
	c := st.Component
	fmt.Fprintf(w, "Kept       %s nodes, %s edges, %s segments: the largest strongly connected component\n",
		thousands(int64(g.NumNodes())), thousands(int64(g.NumEdges())), thousands(int64(g.NumSegments())))
	fmt.Fprintf(w, "Dropped    %s nodes and %s segments (%.1f km of road) in %s smaller components that cannot be reached both ways\n",
		thousands(int64(c.DroppedNodes)), thousands(int64(c.DroppedSegments)), c.DroppedLength/1000, thousands(int64(max(c.Components-1, 0))))
	fmt.Fprintf(w, "Ignored    %s turn restrictions (not applied: see docs/ARCHITECTURE.md)\n", thousands(int64(st.TurnRestrictions)))
	fmt.Fprintf(w, "Places     %s named places and police stations\n", thousands(int64(st.Places)))
	fmt.Fprintf(w, "Hierarchy  %s arcs, %s of them shortcuts\n", thousands(int64(h.NumArcs())), thousands(int64(h.NumShortcuts())))
	fmt.Fprintf(w, "Time       import %.2f s, contraction %.2f s, write %.2f s; peak memory %.0f MB\n",
		t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds(), float64(peakRSS())/1e6)
	fmt.Fprintf(w, "Wrote      %s (%.1f MB)\n", *out, float64(outSize)/1e6)
	fmt.Fprintf(w, "Data       %s\n", g.Meta.Attribution)
	return nil
}

func runGraphInfo(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("graph info", "graph info FILE.arvg")
	fs.args = 1
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give one graph file")
	}
	path := fs.Arg(0)
	t0 := time.Now()
	h, err := ch.ReadFile(path)
	if err != nil {
		return err
	}
	load := time.Since(t0)
	g := h.Road
	w := m.Stdout
	b := g.Bound()
	fmt.Fprintf(w, "Network    %s\n", describe(g))
	fmt.Fprintf(w, "Profile    %s\n", g.Meta.Profile)
	fmt.Fprintf(w, "Size       %s nodes, %s edges, %s segments, %s hierarchy arcs\n",
		thousands(int64(g.NumNodes())), thousands(int64(g.NumEdges())), thousands(int64(g.NumSegments())), thousands(int64(h.NumArcs())))
	fmt.Fprintf(w, "Extent     %.4f,%.4f to %.4f,%.4f (lat,lon)\n", b.Min.Lat, b.Min.Lon, b.Max.Lat, b.Max.Lon)
	var kinds []string
	count := map[string]int{}
	for _, p := range g.Places {
		if count[p.Kind] == 0 {
			kinds = append(kinds, p.Kind)
		}
		count[p.Kind]++
	}
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
	}
	fmt.Fprintf(w, "Places     %d (%s)\n", len(g.Places), strings.Join(parts, ", "))
	fmt.Fprintf(w, "Loaded     in %v\n", load.Round(time.Millisecond))
	notes(w, g)
	return nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}
