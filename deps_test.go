package arv_test

import (
	"os/exec"
	"strings"
	"testing"
)

// module is this module's import path.
const module = "github.com/arv-project/arv"

// allowed lists, per package, the non-standard imports it may use ("" is
// the root package arv). Engines
// are libraries that know nothing of police (docs/ARCHITECTURE.md): they
// import the standard library, geo and road only; adapters and the domain
// follow the same table. A package missing from the table fails the test,
// so every new package must take a stance.
var allowed = map[string][]string{
	"":                         {"geo"},
	"yaml":                     {"", "github.com/goccy/go-yaml", "internal/yamlsafe"},
	"internal/yamlsafe":        {"github.com/goccy/go-yaml"},
	"scenarios":                {},
	"des":                      {},
	"sim":                      {"", "geo", "des", "gonum.org/v1/gonum"},
	"plan":                     {"", "geo", "sim", "locate", "hypercube", "report", "road", "road/isochrone"},
	"load":                     {"", "yaml", "atlas", "road/ch", "sim", "scenarios"},
	"demo":                     {"", "geo", "sim"},
	"locate":                   {},
	"hypercube":                {},
	"report":                   {"geo"},
	"geo":                      {},
	"road":                     {"geo", "road/internal/minheap"},
	"road/ch":                  {"geo", "road", "road/internal/minheap", "internal/atomicfile"},
	"road/isochrone":           {"geo", "road"},
	"road/osm":                 {"geo", "road", "github.com/paulmach/osm", "github.com/goccy/go-yaml", "internal/yamlsafe"},
	"road/internal/testgraphs": {"geo", "road"},
	"road/internal/minheap":    {},
	"internal/fixtures":        {"road", "road/osm"},
	"internal/browsertest":     {"github.com/chromedp"},
	"atlas":                    {"geo", "road"},
	"internal/sqlstore":        {"", "geo", "golang.org/x/crypto"},
	"internal/arvtest":         {"", "geo"},
	"internal/atomicfile":      {},
	"sqlite":                   {"", "internal/sqlstore", "modernc.org/sqlite"},
	"postgres":                 {"", "internal/sqlstore", "github.com/jackc/pgx/v5"},
	"inmem":                    {""},
	"http":                     {"", "geo", "golang.org/x/crypto"},
	// cmd/arv is wiring: the adapters it opens, the libraries it calls
	// (load, plan, demo), the road packages of "arv graph", "arv route",
	// "arv table" and "arv isochrone", and orb for GeoJSON. The engines
	// plan joins (locate, hypercube, des) are not on the list.
	"cmd/arv": {"", "geo", "atlas", "http", "inmem", "internal/sqlstore", "sqlite", "postgres", "load", "plan", "demo", "report",
		"road", "road/ch", "road/isochrone", "road/osm", "scenarios", "sim", "yaml", "internal/atomicfile", "github.com/paulmach/orb"},
}

func TestDependencyRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(f[0], module), "/")
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %q has no entry in the dependency rules", f[0])
			continue
		}
		for _, imp := range f[1:] {
			first, _, _ := strings.Cut(imp, "/")
			if !strings.Contains(first, ".") {
				continue // standard library
			}
			if !permitted(rules, imp) {
				t.Errorf("%s imports %s, which the dependency rules forbid", f[0], imp)
			}
		}
	}
}

func permitted(rules []string, imp string) bool {
	for _, r := range rules {
		switch {
		case strings.Contains(r, "."): // third-party module prefix
			if imp == r || strings.HasPrefix(imp, r+"/") {
				return true
			}
		case r == "" && imp == module, r != "" && imp == module+"/"+r:
			return true
		}
	}
	return false
}
