package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

const tableUsage = `table --sources FILE.csv --targets FILE.csv [--graph FILE | --network NAME] [--out FILE.csv]

Writes a CSV matrix of blue-light travel times in minutes, one row per source
and one column per target; a cell is empty where there is no route.

Each input CSV has a header row and either the columns name,lat,lon or the
columns name,location where location is LAT,LON or a place name:

    name,lat,lon                 name,location
    HQ,51.3570,-1.9785           HQ,Wiltshire Police HQ (Devizes)
    Tidworth,51.2390,-1.6630     Mere,Mere`

func runTable(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("table", tableUsage)
	var nf networkFlags
	nf.register(fs)
	srcPath := fs.String("sources", "", "CSV `file` of sources (rows)")
	dstPath := fs.String("targets", "", "CSV `file` of targets (columns)")
	outPath := fs.String("out", "", "write the matrix to `file` instead of standard output")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *srcPath == "" || *dstPath == "" {
		return usagef("--sources and --targets are required")
	}
	rt, err := nf.load(ctx)
	if err != nil {
		return err
	}
	g := rt.Road()
	srcNames, src, err := readPoints(g, &nf, *srcPath)
	if err != nil {
		return err
	}
	dstNames, dst, err := readPoints(g, &nf, *dstPath)
	if err != nil {
		return err
	}
	times, err := rt.Table(ctx, src, dst)
	if err != nil {
		return err
	}
	write := func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		cw := csv.NewWriter(bw)
		cw.Write(append([]string{"minutes"}, dstNames...))
		row := make([]string, len(dst)+1)
		for i := range src {
			row[0] = srcNames[i]
			for j := range dst {
				t := times[i*len(dst)+j]
				if t == road.Unreachable {
					row[j+1] = ""
				} else {
					row[j+1] = strconv.FormatFloat(minutes(t), 'f', 2, 64)
				}
			}
			cw.Write(row)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}
	if *outPath != "" {
		err = writeFile(*outPath, write)
	} else {
		err = write(m.Stdout)
	}
	if err != nil {
		return err
	}
	notes(m.Stderr, g)
	return nil
}

// readPoints reads a CSV of named positions and snaps them. All bad rows
// are reported together, each with its file and line.
func readPoints(g *road.Graph, nf *networkFlags, path string) ([]string, []road.Snap, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: empty file: expected a header row (name,lat,lon or name,location)", path)
	} else if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "latitude":
			h = "lat"
		case "longitude", "lng":
			h = "lon"
		case "place":
			h = "location"
		}
		col[h] = i
	}
	_, hasLat := col["lat"]
	_, hasLon := col["lon"]
	_, hasLoc := col["location"]
	if !(hasLat && hasLon) && !hasLoc {
		return nil, nil, fmt.Errorf("%s:1: header %q has neither lat,lon nor location columns", path, strings.Join(header, ","))
	}
	var names []string
	var snaps []road.Snap
	var problems []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, fmt.Sprintf("%s:%d: %v", path, pe.StartLine, pe.Err))
				continue
			}
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		var loc location
		if hasLat && hasLon && (get("lat") != "" || !hasLoc) {
			p, perr := geo.ParsePoint(get("lat") + "," + get("lon"))
			if perr != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: bad lat,lon %q,%q", path, line, get("lat"), get("lon")))
				continue
			}
			loc = location{Label: p.String(), Point: p}
		} else {
			loc, err = resolve(g, get("location"))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %v", path, line, err))
				continue
			}
		}
		name := get("name")
		if name == "" {
			name = loc.Label
		}
		s, err := g.Snap(loc.Point, nf.snapLimit)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: %v", path, line, name, err))
			continue
		}
		names = append(names, name)
		snaps = append(snaps, s)
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("%d row(s) could not be used:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	if len(snaps) == 0 {
		return nil, nil, fmt.Errorf("%s: no rows after the header", path)
	}
	return names, snaps, nil
}
