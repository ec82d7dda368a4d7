package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/plan"
	"github.com/arv-project/arv/report"
)

const planUsage = `plan [--scenario NAME|FILE] [--out report.html] [--json FILE] [--csv DIR] [--keep BASE ...]
         [--years N] [--reps N] [--seed S] [--set key=value ...]

Answers the planning questions for a force and writes them as one
self-contained HTML report (it opens offline: no CDN, no map tiles):
where ARVs should stand (maximal covering, p-median and expected covering
location models, each with its optimality gap), how busy each ARV is (the
hypercube queueing model beside the simulator), how many officers keep a
full complement and how many applicants that takes, and the what-ifs of
the public debate side by side with the baseline, all simulated with the
same seed. --json writes every simulation and solution, --csv one CSV
per table. Progress goes to stderr, the headline answers to stdout.`

func runPlan(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("plan", planUsage)
	ref := fs.String("scenario", "wiltshire", "built-in scenario `name` or scenario file")
	out := fs.String("out", "", "HTML report `file` (default: <scenario>-plan.html)")
	jsonOut := fs.String("json", "", "also write every simulation and solution as JSON to `file`")
	csvDir := fs.String("csv", "", "also write each table as a CSV file into `directory`")
	sf := addSimFlags(fs)
	var sets, keep repeatedFlag
	fs.Var(&sets, "set", "override a scenario value, `key=value` (repeatable)")
	fs.Var(&keep, "keep", "a `base` (id or name) that keeps an ARV in every standby answer (repeatable)")
	if err := fs.parse(args); err != nil {
		return err
	}
	t0 := time.Now()
	pr := m.newProgress()
	defer pr.abandon()
	pr.update("loading the scenario", 0, 0, "")
	ls, err := m.loadScenario(ctx, *ref, sets)
	if err != nil {
		return err
	}
	opt, err := sf.options(fs, ls.Scenario)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = ls.Scenario.Name + "-plan.html"
	}
	// Refuse a destination that cannot be written, or a base that is
	// not there, before the work.
	for _, f := range []string{*out, *jsonOut} {
		if fi, err := os.Stat(filepath.Dir(f)); f != "" && (err != nil || !fi.IsDir()) {
			return usagef("cannot write %s: directory %s does not exist", f, filepath.Dir(f))
		}
	}
	if _, err := plan.KeepBases(ls.Scenario, keep); err != nil {
		return usagef("--%s", arv.ErrorMessage(err))
	}

	planner := plan.Planner{Router: ls.Router, Model: ls.Model, Options: opt, Keep: keep, Source: ls.Source, Now: m.now}
	p, err := planner.Run(ctx, ls.Scenario, func(stage, detail string) {
		if detail == "" {
			pr.update(stage, 0, 0, "")
		} else {
			pr.note(stage, detail)
		}
	})
	if err != nil {
		return err
	}
	pr.finish()

	data := p.Report()
	if err := writeFile(*out, func(w io.Writer) error { return report.Render(w, data) }); err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := writeFile(*jsonOut, p.WriteJSON); err != nil {
			return err
		}
	}
	if *csvDir != "" {
		if err := os.MkdirAll(*csvDir, 0o755); err != nil {
			return err
		}
		for _, c := range plan.CSVFiles(data) {
			if err := writeFile(filepath.Join(*csvDir, c.Name), c.Write); err != nil {
				return err
			}
		}
	}
	printPlanSummary(m, p, data, *out, time.Since(t0))
	return nil
}

// printPlanSummary prints the headline answers and the what-if table.
func printPlanSummary(m *Main, p *plan.Plan, d *report.Data, out string, took time.Duration) {
	w := m.Stdout
	fmt.Fprintf(w, "%s: armed response plan (scenario %s)\n\n", p.Scenario.Force.Name, p.Source)
	for _, h := range d.Headline {
		fmt.Fprintf(w, "  %-42s %s (%s)\n", h.Question, h.Answer, h.Detail)
	}
	fmt.Fprintln(w)
	tw := newTable(w, "option", "median", "90th percentile", "urban within", "rural within", "officers", "cost a year")
	for _, r := range d.WhatIfs {
		if r.NotApplicable {
			tw.row(r.Name, "n/a", "", "", "", "", "")
			continue
		}
		tw.row(r.Name, fmt.Sprintf("%.1f", r.Median), fmt.Sprintf("%.1f", r.P90), fmt.Sprintf("%.0f%%", 100*r.UrbanWithin),
			fmt.Sprintf("%.0f%%", 100*r.RuralWithin), thousands(int64(r.Officers)), moneyChange(r.CostPerYear))
	}
	tw.flush()
	fmt.Fprintf(w, "\nWrote %s in %.1f s.\n", out, took.Seconds())
}
