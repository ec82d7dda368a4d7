package load

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/yaml"
)

// writeWiltshire writes the built-in Wiltshire scenario to a file, with
// old replaced by new, and returns its path.
func writeWiltshire(t *testing.T, old, new string) string {
	t.Helper()
	data, _ := scenarios.Get("wiltshire")
	text := strings.Replace(string(data), old, new, 1)
	if old != new && text == string(data) {
		t.Fatalf("wiltshire.yaml has no %q", old)
	}
	path := filepath.Join(t.TempDir(), "test.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestScenario(t *testing.T) {
	ctx := context.Background()
	ls, err := Scenario(ctx, "Wiltshire ", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ls.Source != "wiltshire (built-in)" || ls.Doc == nil || ls.Scenario != ls.Doc.Scenario || ls.Router == nil || ls.Model == nil {
		t.Fatalf("loaded %+v", ls)
	}
	// Every location resolves on the router.
	for _, d := range ls.Scenario.DemandPoints {
		if _, err := ls.Router.Locate(string(d.At)); err != nil {
			t.Errorf("demand point %s: %v", d.ID, err)
		}
	}

	// A base that does not exist is one problem, on its line, after an
	// edit that moved no line.
	path := writeWiltshire(t, "base: wp_hq_devizes", "base: nowhere")
	ls, err = Scenario(ctx, path, []string{"simulation.seed=7"})
	var p *Problems
	if ls != nil || !errors.As(err, &p) || len(p.List) != 1 {
		t.Fatalf("Scenario: %v, %v; want one problem", ls, err)
	}
	if want := path + " has 1 problem:\n" + path + ":113:"; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q, want it to start %q", err, want)
	}

	// An edit applies; the source is the file.
	path = writeWiltshire(t, "", "")
	ls, err = Scenario(ctx, path, []string{"simulation.seed=7"})
	if err != nil {
		t.Fatal(err)
	}
	if ls.Source != path || ls.Scenario.Simulation.Seed != 7 {
		t.Fatalf("Source %q, seed %d", ls.Source, ls.Scenario.Simulation.Seed)
	}

	// A bad edit is a SetError; an unknown reference names the
	// built-in scenarios.
	var se *yaml.SetError
	if _, err := Scenario(ctx, path, []string{"no.such.key=1"}); !errors.As(err, &se) {
		t.Errorf("bad edit: %v, want a *yaml.SetError", err)
	}
	if _, err := Scenario(ctx, "atlantis", nil); err == nil || !strings.Contains(err.Error(), "kent, wiltshire") {
		t.Errorf("unknown scenario: %v", err)
	}
	if _, err := Scenario(ctx, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}

	// A cancelled load stops.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Scenario(cancelled, "kent", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestOriginalLine(t *testing.T) {
	a := []byte("1\n2\n3\n4\n5\n")
	e := diffLines(a, []byte("1\n2\nx\ny\n3\n4\n5\n")) // two lines added after line 2
	if e != (lineEdit{start: 3, old: 0, new: 2}) {
		t.Fatalf("diffLines=%+v", e)
	}
	for edited, want := range map[int]int{1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 7: 5} {
		if got := originalLine(edited, []lineEdit{e}); got != want {
			t.Errorf("originalLine(%d)=%d, want %d", edited, got, want)
		}
	}
	// Three lines become one, then a line is added at the start.
	e1 := diffLines(a, []byte("1\nx\n5\n"))
	e2 := diffLines([]byte("1\nx\n5\n"), []byte("0\n1\nx\n5\n"))
	for edited, want := range map[int]int{1: 1, 2: 1, 3: 2, 4: 5} {
		if got := originalLine(edited, []lineEdit{e1, e2}); got != want {
			t.Errorf("two edits: originalLine(%d)=%d, want %d", edited, got, want)
		}
	}
}
