package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/arv-project/arv/internal/fixtures"
)

// run runs arv in-process and returns stdout, stderr and the exit status.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	err := m.Run(context.Background(), args)
	code := m.exitCode(err)
	return out.String(), errb.String(), code
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := run(t, args...)
	if code != 0 {
		t.Fatalf("arv %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

func TestRouteBuiltin(t *testing.T) {
	out := mustRun(t, "route", "--from", "Swindon", "--to", "salisbury")
	// Swindon to Salisbury on the built-in network: the fastest chain of
	// the file's links (A346/A345 through Marlborough, Pewsey, Upavon,
	// Amesbury) sums to 71.4 km (geography.md §3).
	for _, want := range []string{"Time      57:07 (m:ss)", "Distance  71.4 km", "Note      Built-in strategic road network"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRouteFormats(t *testing.T) {
	var r routeReport
	out := mustRun(t, "route", "--from", "51.3570,-1.9785", "--to", "Tidworth", "--format", "json")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Seconds <= 0 || r.DistanceKm <= 0 || len(r.Geometry) < 2 || r.Note == "" {
		t.Fatalf("report %+v", r)
	}
	if g0 := r.Geometry[0]; g0 != r.From.Snapped {
		t.Fatalf("geometry starts at %v, not at the snapped start %v", g0, r.From.Snapped)
	}
	out = mustRun(t, "route", "--from", "Mere", "--to", "Highworth", "--format", "geojson")
	fc, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 3 || fc.Features[0].Geometry.GeoJSONType() != "LineString" {
		t.Fatalf("features %d, first %s", len(fc.Features), fc.Features[0].Geometry.GeoJSONType())
	}
	if fc.ExtraMembers["note"] == nil {
		t.Fatal("GeoJSON lacks the network's note")
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nonsense"}, 2, `unknown command "nonsense"`},
		{[]string{"route", "--from", "Swindon"}, 2, "--from and --to are required"},
		{[]string{"route", "--from", "Swindon", "--to", "Devizes", "--format", "xml"}, 2, "unknown --format"},
		{[]string{"route", "--from", "Swindon", "--to", "Devizes", "--graph", "x.arvg", "--network", "kent"}, 2, "not both"},
		{[]string{"route", "--from", "Swindon", "--to", "Devizes", "--network", "devon"}, 2, "devon"},
		{[]string{"route", "--from", "Swindn", "--to", "Devizes"}, 1, `did you mean "Swindon"`},
		{[]string{"route", "--from", "91,0", "--to", "Devizes"}, 1, "outside latitude"},
		{[]string{"route", "--from", "55.9533,-3.1883", "--to", "Devizes"}, 1, "km from the nearest road, beyond the 20000 m limit"},
		{[]string{"route", "--from", "Swindon", "--to", "Devizes", "--graph", "/nonexistent.arvg"}, 1, "no such file"},
		{[]string{"isochrone", "--from", "Devizes", "--minutes", "10,-5"}, 2, "between 0 and 1440"},
		{[]string{"graph", "build", "--osm", "x.pbf"}, 2, "--osm and --out are required"},
		{[]string{"graph", "frobnicate"}, 2, "unknown subcommand"},
		{[]string{"table", "--sources", "a.csv"}, 2, "--sources and --targets are required"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errs, code := run(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errs, tc.code, tc.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	out := mustRun(t, "help")
	for _, c := range []string{"graph", "route", "table", "isochrone"} {
		if !strings.Contains(out, c) {
			t.Errorf("help lacks %s", c)
		}
	}
	if out := mustRun(t, "route", "-h"); !strings.Contains(out, "--from") && !strings.Contains(out, "-from") {
		t.Errorf("route -h: %s", out)
	}
	if out := mustRun(t, "graph", "profile"); !strings.Contains(out, "speeds_kmh") {
		t.Errorf("graph profile: %s", out)
	}
}

func TestIsochroneBuiltin(t *testing.T) {
	out := mustRun(t, "isochrone", "--from", "Wiltshire Police HQ (Devizes)", "--minutes", "20,10")
	fc, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 3 {
		t.Fatalf("%d features, want two bands and the start", len(fc.Features))
	}
	a10 := fc.Features[0].Properties.MustFloat64("area_km2")
	a20 := fc.Features[1].Properties.MustFloat64("area_km2")
	// Bands come sorted and nest; 10 minutes at 35–95 km/h reaches well
	// beyond 10 km² and far short of the county's 3,485 km² (geography.md §1.1).
	if fc.Features[0].Properties.MustFloat64("minutes") != 10 || !(a10 > 10 && a10 < a20 && a20 < 3485) {
		t.Fatalf("areas 10 min %.0f km², 20 min %.0f km²", a10, a20)
	}
}

func TestTableBuiltin(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.csv")
	dst := filepath.Join(dir, "dst.csv")
	os.WriteFile(src, []byte("name,location\nHQ,Wiltshire Police HQ (Devizes)\nGablecross,wp_gablecross\n"), 0o644)
	os.WriteFile(dst, []byte("name,lat,lon\nMere,51.0889,-2.2669\nHighworth,51.6305,-1.7110\nHQ,51.3570,-1.9785\n"), 0o644)
	out := mustRun(t, "table", "--sources", src, "--targets", dst)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "minutes,Mere,Highworth,HQ" {
		t.Fatalf("table:\n%s", out)
	}
	if !strings.HasPrefix(lines[1], "HQ,") || !strings.HasSuffix(lines[1], ",0.00") {
		t.Fatalf("HQ to itself should be 0.00 minutes: %s", lines[1])
	}
	// Bad rows are all reported with their lines.
	os.WriteFile(dst, []byte("name,location\nA,Nowhereville\nB,52.0\nC,Mere\n"), 0o644)
	_, errs, code := run(t, "table", "--sources", src, "--targets", dst)
	if code != 1 || !strings.Contains(errs, "dst.csv:2") || !strings.Contains(errs, "dst.csv:3") || strings.Contains(errs, "dst.csv:4") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	os.WriteFile(dst, []byte("town,where\nMere,x\n"), 0o644)
	if _, errs, _ := run(t, "table", "--sources", src, "--targets", dst); !strings.Contains(errs, "neither lat,lon nor location") {
		t.Fatalf("stderr %s", errs)
	}
}

// TestRutlandEndToEnd builds a graph file from the real Rutland extract and
// runs every command on it.
func TestRutlandEndToEnd(t *testing.T) {
	pbf := fixtures.Rutland.Path(t)
	arvg := filepath.Join(t.TempDir(), "rutland.arvg")
	out := mustRun(t, "graph", "build", "--osm", pbf, "--out", arvg)
	for _, want := range []string{"Kept", "Dropped", "turn restrictions", "Wrote", "© OpenStreetMap contributors"} {
		if !strings.Contains(out, want) {
			t.Errorf("graph build output lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, "graph", "info", arvg); !strings.Contains(out, "rutland-latest") {
		t.Errorf("graph info: %s", out)
	}
	out = mustRun(t, "route", "--graph", arvg, "--from", "Oakham", "--to", "Uppingham")
	if !strings.Contains(out, "A6003") || !strings.Contains(out, "OpenStreetMap") {
		t.Errorf("route:\n%s", out)
	}
	iso := filepath.Join(t.TempDir(), "iso.geojson")
	mustRun(t, "isochrone", "--graph", arvg, "--from", "Uppingham", "--minutes", "5,10", "--out", iso)
	b, err := os.ReadFile(iso)
	if err != nil {
		t.Fatal(err)
	}
	if fc, err := geojson.UnmarshalFeatureCollection(b); err != nil || len(fc.Features) != 3 {
		t.Fatalf("isochrone file: %v", err)
	}
	// A corrupt graph file is refused with its name.
	os.WriteFile(arvg, []byte("not a graph"), 0o644)
	if _, errs, code := run(t, "route", "--graph", arvg, "--from", "Oakham", "--to", "Uppingham"); code != 1 || !strings.Contains(errs, "rutland.arvg") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
