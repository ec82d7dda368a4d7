package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/sim"
	"github.com/arv-project/arv/yaml"
)

const scenarioUsage = `scenario <list|show|check> [flags]

  list                                   the built-in scenarios
  show NAME                              print a built-in scenario (YAML with comments), to copy and edit
  check NAME|FILE [--set key=value ...]  read, validate and locate a scenario, listing every problem`

func runScenario(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 {
		return usagef("give a subcommand: list, show or check")
	}
	switch args[0] {
	case "list":
		return runScenarioList(m, args[1:])
	case "show":
		return runScenarioShow(m, args[1:])
	case "check":
		return runScenarioCheck(ctx, m, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(m.Stdout, "Usage: arv %s\n", scenarioUsage)
		return nil
	}
	return usagef("unknown subcommand %q (list, show or check)", args[0])
}

func runScenarioList(m *Main, args []string) error {
	fs := m.newFlagSet("scenario list", "scenario list\n\nLists the built-in scenarios with the start of their descriptions.")
	if err := fs.parse(args); err != nil {
		return err
	}
	names := scenarios.Names()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		data, _ := scenarios.Get(n)
		about := "(does not parse; run \"arv scenario check " + n + "\")"
		if doc, err := yaml.ParseScenario(data, n); err == nil {
			about = summaryLine(doc.Scenario.Description)
		}
		fmt.Fprintf(m.Stdout, "%-*s  %s\n", width, n, about)
	}
	return nil
}

// summaryLine returns the first line of a description, cut at its first
// sentence or about 100 characters when it is longer.
func summaryLine(desc string) string {
	const maxLen = 100
	s, _, _ := strings.Cut(strings.TrimSpace(desc), "\n")
	if utf8.RuneCountInString(s) <= maxLen {
		return s
	}
	if i := strings.Index(s, ". "); i > 0 && utf8.RuneCountInString(s[:i]) < maxLen {
		return s[:i+1]
	}
	r := []rune(s)[:maxLen]
	if i := strings.LastIndexByte(string(r), ' '); i > maxLen/2 {
		return strings.TrimRight(string(r)[:i], " ,;:") + "..."
	}
	return string(r) + "..."
}

func runScenarioShow(m *Main, args []string) error {
	fs := m.newFlagSet("scenario show", "scenario show NAME > FILE.yaml\n\nPrints a built-in scenario, with its comments, to copy and edit.")
	fs.args = 1
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give the name of a built-in scenario: %s", strings.Join(scenarios.Names(), ", "))
	}
	data, ok := scenarios.Get(fs.Arg(0))
	if !ok {
		return usagef("unknown scenario %q (built-in: %s)", fs.Arg(0), strings.Join(scenarios.Names(), ", "))
	}
	_, err := m.Stdout.Write(data)
	return err
}

const scenarioCheckUsage = `scenario check NAME|FILE [--set key=value ...]

Reads a built-in scenario or a scenario file, applies the --set edits,
validates it, opens its road network, checks that every location is
on it and builds the simulation model (demand grid, travel table). Prints every problem as "file:line:column: setting: message" and
exits with status 1 if there are any; otherwise prints a summary and OK.`

func runScenarioCheck(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("scenario check", scenarioCheckUsage)
	var sets repeatedFlag
	fs.Var(&sets, "set", "change a scenario value, `key=value` (repeatable), e.g. --set demand.incidents_per_year=300")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return usagef("give a built-in scenario (%s) or a scenario file", strings.Join(scenarios.Names(), ", "))
	case 1:
	default:
		return usagef("unexpected argument %q", pos[1])
	}
	ls, err := m.loadScenario(ctx, pos[0], sets)
	var p *scenarioProblems
	if errors.As(err, &p) {
		for _, e := range p.list {
			fmt.Fprintln(m.Stdout, e)
		}
		return fmt.Errorf("%s in %s", plural(len(p.list), "problem"), p.source)
	}
	if err != nil {
		return err
	}
	s := ls.Scenario
	w := m.Stdout
	if strings.HasPrefix(ls.Source, s.Name+" ") {
		fmt.Fprintf(w, "Scenario   %s\n", ls.Source)
	} else {
		fmt.Fprintf(w, "Scenario   %s (%s)\n", s.Name, ls.Source)
	}
	fmt.Fprintf(w, "Force      %s: %s km², %s residents\n", s.Force.Name, thousands(int64(math.Round(s.Force.AreaKm2))), thousands(int64(s.Force.Population)))
	fmt.Fprintf(w, "Network    %s\n", describe(ls.Router.Road()))
	fmt.Fprintf(w, "Demand     %s, %s incidents a year\n", plural(len(s.DemandPoints), "demand point"), strconv.FormatFloat(s.Demand.IncidentsPerYear, 'f', -1, 64))
	fmt.Fprintf(w, "ARVs       %s at %s, %s ARV officers in %s\n", plural(len(s.ARVs), "ARV"), plural(len(s.Bases)+len(s.StandbyPoints), "base"), thousands(int64(s.Officers.ARV)), plural(s.Shifts.Teams, "team"))
	if len(sets) > 0 {
		fmt.Fprintf(w, "Changed    %s\n", strings.Join(sets, ", "))
	}
	fmt.Fprintln(w, "OK")
	return nil
}

// repeatedFlag is a flag that may be given several times, such as
// --set: each value is appended.
type repeatedFlag []string

var _ flag.Value = (*repeatedFlag)(nil)

// String implements flag.Value.
func (f *repeatedFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(*f, " ")
}

// Set implements flag.Value.
func (f *repeatedFlag) Set(v string) error {
	*f = append(*f, v)
	return nil
}

// parseInterspersed parses flags given before, between and after
// positional arguments, and returns the positional arguments: the flag
// package stops at the first of them ("check wiltshire --set x=1").
// Arguments after "--" are all positional.
func parseInterspersed(fs *flagSet, args []string) ([]string, error) {
	allowed := fs.args
	fs.args = math.MaxInt
	defer func() { fs.args = allowed }()
	var pos []string
	for {
		if err := fs.parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// loadedScenario is a scenario ready to simulate: parsed, validated, with
// its network open and every location resolved.
type loadedScenario struct {
	Scenario *arv.Scenario
	Doc      *yaml.Document
	Router   *ch.Router
	Model    *sim.Model // compiled: demand grid, travel table
	Source   string     // "wiltshire (built-in)" or the file path
}

// scenarioProblems is every problem found in a scenario, each placed in
// its file.
type scenarioProblems struct {
	source string
	list   yaml.ErrorList
}

func (p *scenarioProblems) Error() string {
	return fmt.Sprintf("%s has %s:\n%s", p.source, plural(len(p.list), "problem"), p.list.Error())
}

// loadScenario loads a built-in scenario by name, or else a scenario
// file, applies the --set edits in sets, parses and validates it, opens
// its road network (a graph file relative to the scenario file's
// directory) and resolves every location on it. When anything is wrong
// it returns one error (*scenarioProblems) listing every problem as
// "file:line:column: setting: message", or an error about the reference
// or the edits themselves.
func (m *Main) loadScenario(ctx context.Context, ref string, sets []string) (*loadedScenario, error) {
	data, file, dir, err := readScenario(ref)
	if err != nil {
		return nil, err
	}
	edited, lines, err := applySets(data, sets)
	if err != nil {
		var se *yaml.SetError
		if doc, perr := yaml.ParseScenario(data, file); doc == nil {
			// The file itself does not parse: report that, not the edit.
			return nil, problems(file, perr, nil)
		}
		if errors.As(err, &se) {
			return nil, usagef("--set %s: %s", se.Assignment, se.Message)
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
	return &loadedScenario{Scenario: s, Doc: doc, Router: rt, Model: model, Source: source}, nil
}

// readScenario returns the text of a built-in scenario or a file, the
// name to use in messages, and the directory graph paths are relative
// to.
func readScenario(ref string) (data []byte, file, dir string, err error) {
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
	return &scenarioProblems{source: file, list: list}
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
	rt, err := openNetwork(ctx, ref, dir)
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
