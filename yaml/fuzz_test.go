package yaml

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func FuzzParseScenario(f *testing.F) {
	f.Add(mustRead(f, "small.yaml"))
	f.Add([]byte(setDoc))
	f.Add([]byte(""))
	f.Add([]byte("name: [\n"))
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\n"))
	f.Add([]byte("arvs:\n- {call_sign: A, crew: 1e3, shifts: [x]}\n-\n- crew: 017\n"))
	f.Add([]byte("demand:\n  hour_of_day: [1e-3, .inf, 1_0, 0x1F]\nsimulation: {seed: 18446744073709551615}\n"))
	f.Add([]byte("description: |\n  a\n\n  b\nforce: !!map {name: x}\n"))
	f.Add([]byte("- - - [[{a: b}]]\n"))
	f.Add([]byte("\x00\xff"))
	f.Add([]byte("\ufeffname: x\r\n---\r\nname: y\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseScenario(data, "fuzz.yaml")
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not a non-empty ErrorList: %v", err, err)
			}
			for _, e := range list {
				if !strings.HasPrefix(e.Error(), "fuzz.yaml") || e.Message == "" {
					t.Fatalf("error %q does not name the file or say what is wrong", e)
				}
			}
			if doc == nil {
				return
			}
		}
		errs := doc.Scenario.Validate()
		for _, fe := range errs {
			if line, col := doc.Position(fe.Path); line < 1 || col < 1 {
				t.Fatalf("Position(%q)=%d:%d", fe.Path, line, col)
			}
		}
		if err := doc.Errors(errs); (err == nil) != (len(errs) == 0) {
			t.Fatalf("Errors(%d problems)=%v", len(errs), err)
		}
		// Whatever parses writes back and reads back unchanged.
		out, err := Marshal(doc.Scenario)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := ParseScenario(out, "out.yaml")
		if err != nil {
			t.Fatalf("Marshal's output does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back.Scenario, doc.Scenario) {
			t.Fatalf("round trip changed the scenario:\n%+v\n%+v\n%s", doc.Scenario, back.Scenario, out)
		}
	})
}

func FuzzSet(f *testing.F) {
	f.Add([]byte(setDoc), "demand.incidents_per_year=300")
	f.Add([]byte(setDoc), "arvs[1].shifts=[a, b]")
	f.Add([]byte(setDoc), "force.name=a: b # c")
	f.Add([]byte(setDoc), "demand_grid.cell_km=5")
	f.Add([]byte(setDoc), "targets.share=0.5")
	f.Add(mustRead(f, "small.yaml"), "delays.mobilisation={dist: fixed, mean: 1, source: x}")
	f.Add([]byte("name: x"), "description=y")
	f.Fuzz(func(t *testing.T, data []byte, assignment string) {
		out, err := Set(data, []string{assignment})
		if err != nil {
			if out != nil {
				t.Fatal("Set returned text and an error")
			}
			return
		}
		// Set checks its own edits; the result parses.
		if _, err := parse(out, ""); err != nil {
			t.Fatalf("Set's output does not parse: %v\n%s", err, out)
		}
	})
}
