package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/sim"
)

const simulateUsage = `simulate [--scenario NAME|FILE] [--years N] [--reps N] [--seed S] [--set key=value ...] [--json | --csv]

Simulates the force's armed response and answers "how long until armed
officers arrive": response times (call to first armed officers on scene)
with 95% confidence intervals, the share within the urban and rural
targets, per settlement, how often no ARV is free, ARV utilisation, mutual
aid, and time below the minimum complement. With no flags it runs the
built-in Wiltshire scenario with its own settings ("arv scenario show
wiltshire" prints them).`

// simFlags are the simulation flags simulate and plan share.
type simFlags struct {
	years *float64
	reps  *int
	seed  *uint64
}

func addSimFlags(fs *flagSet) simFlags {
	return simFlags{
		years: fs.Float64("years", 0, "simulated `years` per replication after the warm-up (default: the scenario's)"),
		reps:  fs.Int("reps", 0, "number of `replications` (default: the scenario's)"),
		seed:  fs.Uint64("seed", 0, "random `seed` (default: the scenario's); the same seed gives the same output"),
	}
}

// options returns the scenario's simulation settings with the flags
// given on the command line applied, or a usage error.
func (f simFlags) options(fs *flagSet, s *arv.Scenario) (sim.Options, error) {
	opt := sim.OptionsFor(s)
	if fs.explicit("years") {
		opt.Years = *f.years
	}
	if fs.explicit("reps") {
		opt.Replications = *f.reps
	}
	if fs.explicit("seed") {
		opt.Seed = *f.seed
	}
	switch {
	case !(opt.Years > 0 && opt.Years <= 1000):
		return opt, usagef("--years must be between 0 and 1000, got %g", opt.Years)
	case opt.Replications < 1 || opt.Replications > 10000:
		return opt, usagef("--reps must be between 1 and 10000, got %d", opt.Replications)
	}
	return opt, nil
}

func runSimulate(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("simulate", simulateUsage)
	ref := fs.String("scenario", "wiltshire", "built-in scenario `name` or scenario file")
	sf := addSimFlags(fs)
	warmup := fs.Float64("warmup", 0, "warm-up `days` discarded at the start of each replication (default: the scenario's)")
	workers := fs.Int("workers", 0, "replications run at once (default: the number of CPUs)")
	var sets repeatedFlag
	fs.Var(&sets, "set", "override a scenario value, `key=value` (repeatable), e.g. --set demand.incidents_per_year=300")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	asCSV := fs.Bool("csv", false, "print the result as CSV")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("give --json or --csv, not both")
	}
	ls, err := m.loadScenario(ctx, *ref, sets)
	if err != nil {
		return err
	}
	s := ls.Scenario
	opt, err := sf.options(fs, s)
	if err != nil {
		return err
	}
	if fs.explicit("warmup") {
		opt.WarmupDays = *warmup
	}
	opt.Workers = *workers
	if !(opt.WarmupDays >= 0 && opt.WarmupDays <= 3650) {
		return usagef("--warmup must be between 0 and 3650 days, got %g", opt.WarmupDays)
	}

	t0 := time.Now()
	model := ls.Model
	bar := m.newBar("simulating", opt.Replications)
	opt.Progress = bar.set
	res, err := sim.Run(ctx, model, opt)
	bar.stop()
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)

	switch {
	case *asJSON:
		return writeJSON(m.Stdout, res)
	case *asCSV:
		return writeResultCSV(m.Stdout, res)
	}
	writeResultText(m.Stdout, ls, model, res)
	g := ls.Router.Road()
	notes(m.Stdout, g)
	// Timing goes to stderr so that stdout is the same for the same seed.
	fmt.Fprintf(m.Stderr, "arv: %s events in %.2f s (%.1f million a second on %d workers)\n",
		thousands(res.Events), elapsed.Seconds(), float64(res.Events)/elapsed.Seconds()/1e6, workersOf(opt))
	return nil
}

func workersOf(opt sim.Options) int {
	if opt.Workers > 0 {
		return min(opt.Workers, opt.Replications)
	}
	return min(runtime.GOMAXPROCS(0), opt.Replications)
}

// ci formats an estimate as "mean (low–high)".
func ci(e sim.Estimate, format string) string {
	if math.IsNaN(e.Mean) {
		return "–"
	}
	if e.N < 2 {
		return fmt.Sprintf(format, e.Mean)
	}
	return fmt.Sprintf(format+" ("+format+"–"+format+")", e.Mean, e.Low, e.High)
}

func pctCI(e sim.Estimate) string {
	return ci(sim.Estimate{Mean: 100 * e.Mean, Low: 100 * e.Low, High: 100 * e.High, N: e.N}, "%.1f%%")
}

func writeResultText(w io.Writer, ls *load.Loaded, model *sim.Model, res *sim.Result) {
	s := ls.Scenario
	fmt.Fprintf(w, "%s: simulated armed response (scenario %s)\n", s.Force.Name, ls.Source)
	fmt.Fprintf(w, "%d replications of %g years after a %g-day warm-up, seed %d. Figures are means over replications with 95%% confidence intervals.\n\n",
		res.Replications, res.Years, res.WarmupDays, res.Seed)

	fmt.Fprintln(w, "Response time, 999 call to first armed officers on scene (minutes)")
	tw := newTable(w, "", "mean", "median", "90th percentile", "95th percentile", "within target")
	row := func(name string, r sim.ResponseStats) {
		tw.row(name, ci(r.Mean, "%.1f"), ci(r.Median, "%.1f"), ci(r.P90, "%.1f"), ci(r.P95, "%.1f"), pctCI(r.WithinTarget))
	}
	row("All", res.All)
	row(fmt.Sprintf("Urban (target %g min)", s.Targets.UrbanMinutes), res.Urban)
	row(fmt.Sprintf("Rural (target %g min)", s.Targets.RuralMinutes), res.Rural)
	tw.flush()
	fmt.Fprintf(w, "The force aims for %.0f%% of incidents within target.\n\n", 100*s.Targets.Share)

	fmt.Fprintln(w, "Force")
	tw = newTable(w, "", "")
	tw.row("Armed incidents a year", ci(res.IncidentsPerYear, "%.0f"))
	tw.row("Time with no ARV free to send", pctCI(res.AllBusy))
	tw.row("Incidents handed to mutual aid, a year", ci(res.MutualAidPerYear, "%.1f"))
	tw.row(fmt.Sprintf("Time below the minimum complement of %d ARVs, minutes a year", s.MinimumComplement), ci(res.BelowMinimumMinutesPerYear, "%.0f"))
	if len(s.KeySites) > 0 {
		tw.row("Key-site patrol hours a year with no ARV free to take them", ci(res.KeySiteUncoveredHoursPerYear, "%.0f"))
	}
	tw.flush()
	fmt.Fprintln(w)

	fmt.Fprintln(w, "ARVs")
	if len(s.KeySites) > 0 {
		tw = newTable(w, "call sign", "base", "crewed", "utilisation", "key-site patrol")
	} else {
		tw = newTable(w, "call sign", "base", "crewed", "utilisation")
	}
	for _, a := range res.ARVs {
		cells := []string{a.CallSign, a.Base, pctCI(a.Crewed), pctCI(a.Utilisation)}
		if len(s.KeySites) > 0 {
			cells = append(cells, pctCI(a.Patrol))
		}
		tw.row(cells...)
	}
	tw.flush()
	fmt.Fprintln(w, "Crewed: share of the time it had a crew. Utilisation: share of its crewed time driving to or at incidents.")
	fmt.Fprintln(w)

	fmt.Fprintln(w, "Settlements (all replications pooled; minutes)")
	tw = newTable(w, "", "class", "incidents", "mean", "90th percentile", "within target")
	for _, g := range res.Groups {
		if g.Incidents == 0 {
			tw.row(g.Name, g.Class, "0", "–", "–", "–")
			continue
		}
		tw.row(g.Name, g.Class, thousands(int64(g.Incidents)), fmt.Sprintf("%.1f", g.Mean), fmt.Sprintf("%.1f", g.P90),
			fmt.Sprintf("%.0f%% (%.0f–%.0f%%)", 100*g.WithinTarget, 100*g.WithinTargetLow, 100*g.WithinTargetHigh))
	}
	tw.flush()
	if model.GridCells > 0 {
		fmt.Fprintf(w, "%s: residents outside the listed settlements, spread over %d grid cells", sim.DispersedGroup, model.GridCells)
		if model.DroppedCells > 0 {
			fmt.Fprintf(w, " (%d cells no road reaches left out)", model.DroppedCells)
		}
		fmt.Fprintln(w, ".")
	}
	fmt.Fprintln(w)

	o := res.Outcomes
	fmt.Fprintf(w, "Incidents after the warm-ups: %s; answered by own ARVs %s, by mutual aid %s, stood down before arrival %s, ARV on its way at the end %s, waiting at the end %s.\n",
		thousands(int64(o.Incidents)), thousands(int64(o.Responded)), thousands(int64(o.MutualAid)),
		thousands(int64(o.StoodDown)), thousands(int64(o.EnRoute)), thousands(int64(o.Waiting)))
}

// table writes aligned columns: the first column left-aligned, the others
// right-aligned.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{w: w}
	if strings.Join(header, "") != "" {
		t.rows = append(t.rows, header)
	}
	return t
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) flush() {
	width := map[int]int{}
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(t.w, strings.TrimRight(b.String(), " "))
	}
	t.rows = nil
}

// writeResultCSV writes the result in long form: one row per figure.
func writeResultCSV(w io.Writer, res *sim.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "name", "figure", "mean", "low", "high"})
	for _, r := range [][2]string{
		{"scenario", res.Scenario}, {"seed", strconv.FormatUint(res.Seed, 10)},
		{"replications", strconv.Itoa(res.Replications)}, {"years", strconv.FormatFloat(res.Years, 'f', -1, 64)},
		{"warmup_days", strconv.FormatFloat(res.WarmupDays, 'f', -1, 64)},
	} {
		cw.Write([]string{"run", "", r[0], r[1], "", ""})
	}
	f := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	est := func(section, name, figure string, e sim.Estimate) {
		cw.Write([]string{section, name, figure, f(e.Mean), f(e.Low), f(e.High)})
	}
	for _, r := range []struct {
		name string
		s    sim.ResponseStats
	}{{"all", res.All}, {"urban", res.Urban}, {"rural", res.Rural}} {
		est("response_minutes", r.name, "mean", r.s.Mean)
		est("response_minutes", r.name, "median", r.s.Median)
		est("response_minutes", r.name, "p90", r.s.P90)
		est("response_minutes", r.name, "p95", r.s.P95)
		est("response_minutes", r.name, "within_target", r.s.WithinTarget)
	}
	est("force", "", "incidents_per_year", res.IncidentsPerYear)
	est("force", "", "no_arv_free", res.AllBusy)
	est("force", "", "mutual_aid_per_year", res.MutualAidPerYear)
	est("force", "", "below_minimum_minutes_per_year", res.BelowMinimumMinutesPerYear)
	est("force", "", "key_site_uncovered_hours_per_year", res.KeySiteUncoveredHoursPerYear)
	for _, a := range res.ARVs {
		est("arv", a.CallSign, "crewed", a.Crewed)
		est("arv", a.CallSign, "utilisation", a.Utilisation)
		est("arv", a.CallSign, "patrol", a.Patrol)
	}
	for _, g := range res.Groups {
		cw.Write([]string{"settlement", g.Name, "incidents", strconv.Itoa(g.Incidents), "", ""})
		cw.Write([]string{"settlement", g.Name, "mean_minutes", f(g.Mean), "", ""})
		cw.Write([]string{"settlement", g.Name, "p90_minutes", f(g.P90), "", ""})
		cw.Write([]string{"settlement", g.Name, "within_target", f(g.WithinTarget), f(g.WithinTargetLow), f(g.WithinTargetHigh)})
	}
	o := res.Outcomes
	for _, r := range []struct {
		name string
		n    int
	}{
		{"incidents", o.Incidents}, {"responded", o.Responded}, {"mutual_aid", o.MutualAid},
		{"stood_down", o.StoodDown}, {"en_route_at_end", o.EnRoute}, {"waiting_at_end", o.Waiting},
	} {
		cw.Write([]string{"outcomes", "", r.name, strconv.Itoa(r.n), "", ""})
	}
	cw.Flush()
	return cw.Error()
}

// bar is a progress bar on stderr that appears only once work has taken
// more than a second.
type bar struct {
	m     *Main
	label string
	total int
	mu    sync.Mutex
	done  int
	shown bool
	last  int // the count last printed, off a terminal
	start time.Time
	quit  chan struct{}
	wg    sync.WaitGroup
}

func (m *Main) newBar(label string, total int) *bar {
	b := &bar{m: m, label: label, total: total, start: time.Now(), quit: make(chan struct{})}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-b.quit:
				return
			case <-t.C:
				b.draw(false)
			}
		}
	}()
	return b
}

func (b *bar) set(done, total int) {
	b.mu.Lock()
	b.done = max(b.done, done)
	b.mu.Unlock()
}

func (b *bar) draw(final bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.start) < time.Second && !b.shown {
		return
	}
	b.shown = true
	const width = 30
	fill := width * b.done / max(b.total, 1)
	line := fmt.Sprintf("arv: %s [%s%s] %d/%d replications", b.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill), b.done, b.total)
	if b.m.StderrIsTerminal {
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(b.m.Stderr, "\r\033[K%s%s", line, end)
	} else if b.done != b.last && (final || b.done%max(1, b.total/4) == 0) {
		b.last = b.done
		fmt.Fprintln(b.m.Stderr, line)
	}
}

func (b *bar) stop() {
	close(b.quit)
	b.wg.Wait()
	if b.shown {
		b.draw(true)
	}
}
