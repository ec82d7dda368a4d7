package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/sim"
	"github.com/arv-project/arv/yaml"
)

// Loaded is a scenario ready to simulate: parsed, validated, with its
// network open and every location resolved.
type Loaded struct {
	Scenario *arv.Scenario
	// Doc is the parsed file, which places settings in it.
	Doc *yaml.Document
	// Router is the scenario's road network.
	Router *ch.Router
	// Model is the compiled simulation model: demand grid, travel table.
	Model *sim.Model
	// Source says where the scenario came from: "wiltshire (built-in)"
	// or the file's path.
	Source string
}

// Problems is every problem found in a scenario, each placed in its
// file.
type Problems struct {
	// Source is the scenario's name in messages.
	Source string
	// List holds the problems in the order of their lines.
	List yaml.ErrorList
}

func (p *Problems) Error() string {
	return fmt.Sprintf("%s has %s:\n%s", p.Source, plural(len(p.List), "problem"), p.List.Error())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Scenario loads a built-in scenario by name, or else a scenario file,
// applies the edits in sets ("key=value", as yaml.Set takes them), parses
// and validates it, opens its road network (a graph file relative to the
// scenario file's directory), resolves every location on it and compiles
// the simulation model. When anything is wrong it returns one error
// (*Problems) listing every problem as "file:line:column: setting:
// message"; a *yaml.SetError when an edit itself is wrong; or an error
// about the reference. It returns ctx.Err() when cancelled.
func Scenario(ctx context.Context, ref string, sets []string) (*Loaded, error) {
	data, file, dir, err := read(ref)
	if err != nil {
		return nil, err
	}
	edited, lines, err := applySets(data, sets)
	if err != nil {
		if doc, perr := yaml.ParseScenario(data, file); doc == nil {
			// The file itself does not parse: report that, not the edit.
			return nil, problems(file, perr, nil)
		}
		return nil, err
	}
	doc, err := yaml.ParseScenario(edited, file)
	if doc == nil {
		return nil, problems(file, err, lines)
	}
	var list yaml.ErrorList
	errors.As(err, &list)
	s := doc.Scenario

	// Problems the parser found leave their settings at zero: leave out
	// what Validate says about those.
	var fes []arv.FieldError
	for _, fe := range s.Validate() {
		if !slices.ContainsFunc(list, func(e *yaml.Error) bool { return within(fe.Path, e.Path) }) {
			fes = append(fes, fe)
		}
	}
	rt, netErrs, err := openScenarioNetwork(ctx, s, dir, fes)
	if err != nil {
		return nil, err
	}
	fes = append(fes, netErrs...)
	if rt != nil {
		fes = append(fes, locateAll(rt, s)...)
	}
	if e := doc.Errors(fes); e != nil {
		var more yaml.ErrorList
		errors.As(e, &more)
		list = append(list, more...)
	}
	if len(list) > 0 {
		return nil, problems(file, list, lines)
	}
	// Compiling finds what only the whole model shows: no populated site,
	// a demand grid no road reaches or too fine, places no base reaches.
	model, err := sim.Compile(ctx, s, rt)
	if err != nil {
		var fe *sim.FieldErrors
		if errors.As(err, &fe) {
			if e := doc.Errors(fe.Errs); e != nil {
				return nil, problems(file, e, lines)
			}
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	source := file
	if _, ok := scenarios.Get(ref); ok {
		source = strings.ToLower(strings.TrimSpace(ref)) + " (built-in)"
	}
	return &Loaded{Scenario: s, Doc: doc, Router: rt, Model: model, Source: source}, nil
}

// read returns the text of a built-in scenario or a file, the name to
// use in messages, and the directory graph paths are relative to.
func read(ref string) (data []byte, file, dir string, err error) {
	if data, ok := scenarios.Get(ref); ok {
		return data, strings.ToLower(strings.TrimSpace(ref)) + " (built-in)", "", nil
	}
	f, err := os.Open(ref)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", "", fmt.Errorf("no built-in scenario or file %q (built-in scenarios: %s)", ref, strings.Join(scenarios.Names(), ", "))
		}
		return nil, "", "", err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, "", "", fmt.Errorf("%s is a directory, not a scenario file", ref)
	}
	// One byte more than the limit, so that ParseScenario says the file
	// is too large.
	data, err = io.ReadAll(io.LimitReader(f, yaml.MaxScenarioSize+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("read %s: %w", ref, err)
	}
	return data, ref, filepath.Dir(ref), nil
}

// lineEdit records that lines [start, start+old) of a text became lines
// [start, start+new) after an edit.
type lineEdit struct{ start, old, new int }

// applySets applies the edits one at a time and records which lines
// each changed, so that problems found in the edited text can be placed
// in the original.
func applySets(data []byte, sets []string) ([]byte, []lineEdit, error) {
	var edits []lineEdit
	for _, a := range sets {
		next, err := yaml.Set(data, []string{a})
		if err != nil {
			return nil, nil, err
		}
		edits = append(edits, diffLines(data, next))
		data = next
	}
	return data, edits, nil
}

// diffLines returns the one run of lines (from 1) in which a and b
// differ, as the lines before and after it that they share.
func diffLines(a, b []byte) lineEdit {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	pre := 0
	for pre < len(la) && pre < len(lb) && bytes.Equal(la[pre], lb[pre]) {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && bytes.Equal(la[len(la)-1-suf], lb[len(lb)-1-suf]) {
		suf++
	}
	return lineEdit{start: pre + 1, old: len(la) - pre - suf, new: len(lb) - pre - suf}
}

// originalLine maps a line of the edited text back to the original:
// lines an edit wrote map to the first line it replaced.
func originalLine(line int, edits []lineEdit) int {
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		switch {
		case line < e.start:
		case line >= e.start+e.new:
			line += e.old - e.new
		default:
			line = e.start
		}
	}
	return line
}

// problems returns the problems in err (a yaml.ErrorList) with their
// lines placed in the original text.
func problems(file string, err error, edits []lineEdit) error {
	var list yaml.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	for _, e := range list {
		if e.Line > 0 {
			e.Line = originalLine(e.Line, edits)
		}
	}
	slices.SortStableFunc(list, func(a, b *yaml.Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return &Problems{Source: file, List: list}
}

// within reports whether path is parent or a setting inside it.
func within(path, parent string) bool {
	if parent == "" {
		return false
	}
	if !strings.HasPrefix(path, parent) {
		return false
	}
	rest := path[len(parent):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// openScenarioNetwork opens the road network the scenario names. It
// returns problems with the network's settings as field errors, and
// does not try when Validate has already found some (in fes). Its error
// is for an interruption only.
func openScenarioNetwork(ctx context.Context, s *arv.Scenario, dir string, fes []arv.FieldError) (*ch.Router, []arv.FieldError, error) {
	for _, fe := range fes {
		if within(fe.Path, "network") {
			return nil, nil, nil
		}
	}
	ref := s.Network
	path := "network.graph"
	if ref.Builtin != "" {
		path = "network.builtin"
		if !slices.Contains(atlas.Names(), ref.Builtin) {
			return nil, []arv.FieldError{{Path: path, Message: fmt.Sprintf("unknown built-in network %q (built-in: %s)", ref.Builtin, strings.Join(atlas.Names(), ", "))}}, nil
		}
	}
	rt, err := Network(ctx, ref, dir)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, []arv.FieldError{{Path: path, Message: err.Error()}}, nil
	}
	return rt, nil, nil
}

// locateAll resolves every location of the scenario on the network and
// returns a problem for each that cannot be used. Empty locations are
// left to Validate.
func locateAll(rt *ch.Router, s *arv.Scenario) []arv.FieldError {
	var fes []arv.FieldError
	at := func(path string, loc arv.Location) {
		if strings.TrimSpace(string(loc)) == "" {
			return
		}
		if _, err := rt.Locate(string(loc)); err != nil {
			fes = append(fes, arv.FieldError{Path: path, Message: err.Error()})
		}
	}
	for i, d := range s.DemandPoints {
		at(fmt.Sprintf("demand_points[%d].at", i), d.At)
	}
	for i, b := range s.Bases {
		at(fmt.Sprintf("bases[%d].at", i), b.At)
	}
	for i, b := range s.StandbyPoints {
		at(fmt.Sprintf("standby_points[%d].at", i), b.At)
	}
	for i, k := range s.KeySites {
		at(fmt.Sprintf("key_sites[%d].at", i), k.At)
	}
	for i, h := range s.Demand.Hotspots {
		at(fmt.Sprintf("demand.hotspots[%d].at", i), h.At)
	}
	for i, n := range s.MutualAid.Neighbours {
		if n.At != "" {
			at(fmt.Sprintf("mutual_aid.neighbours[%d].at", i), n.At)
		}
	}
	return fes
}
