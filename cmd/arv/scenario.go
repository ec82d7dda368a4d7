package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/scenarios"
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
	var p *load.Problems
	if errors.As(err, &p) {
		for _, e := range p.List {
			fmt.Fprintln(m.Stdout, e)
		}
		return fmt.Errorf("%s in %s", plural(len(p.List), "problem"), p.Source)
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

// loadScenario loads a scenario by name or file with the --set edits in
// sets (load.Scenario); a wrong edit is a usage mistake.
func (m *Main) loadScenario(ctx context.Context, ref string, sets []string) (*load.Loaded, error) {
	ls, err := load.Scenario(ctx, ref, sets)
	var se *yaml.SetError
	if errors.As(err, &se) {
		return nil, usagef("--set %s: %s", se.Assignment, se.Message)
	}
	return ls, err
}
