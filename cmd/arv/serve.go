package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/demo"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
)

var _ arv.Router = (*ch.Router)(nil)

const serveUsage = `serve [--demo] [--db FILE | --postgres DSN [--schema NAME]] [--addr HOST:PORT]
         [--scenario NAME|FILE] [--ratify-within DURATION] [--tls-proxy]
         [--generate RATE] [--authorisers ITFC,TFC,SFC]
         [--iopc-refer-within DURATION] [--sign-off-roles ROLES]
         [--submit-unfinished-year]
         [--late-entry-after DURATION]

Runs the operations server: officers and accreditations, rosters with
minimum-complement alerts, incidents with the authorisation record,
dispatch by road travel time, the hash-chained audit log and statistics
returns, as a JSON API under /api/v1. The force's targets, complement and
road network come from the scenario (default: the built-in Wiltshire).

--demo fills an empty database with the scenario's force (ARVs, officers
with accreditations, a 28-day roster) and gives each demo user, one per
role, a new password, printed at start.

--authorisers lists the command accreditations that may authorise armed
deployment (default ITFC,TFC,SFC: APP armed policing, command, leaves the
ITFC, TFC and SFC each able to authorise); ratifying always needs an SFC.

--generate RATE (with --demo; default 6/h, 0 turns it off) records made-up incidents,
marked "Demo:", at RATE a wall-clock hour on average (such as 6/h) and
plays them through decision, dispatch, arrival, ratification and
stand-down as the demo users, 10 times faster than real: a 20-minute drive
takes 2 minutes. Add ",speedup=N" to change that, ",seed=N" to repeat the
calls of a run (the seed is printed at start). Incidents the generator
records are marked demo and never count in returns, reports or the
planning export.

--iopc-refer-within (default 24h) is when the IOPC referral is expected
after a discharge causing death or serious injury; --sign-off-roles
(default sfc) says who signs deployment logs off (docs/operations.md).
--submit-unfinished-year lets the annual return be submitted before its
financial year ends on 31 March (default: only once the year has ended).`

// mapLines returns the roads for the control-room map: every segment, or
// the major roads only on a large graph (as the plan report does).
func mapLines(g *road.Graph) []arvhttp.MapLine {
	major := g.NumSegments() > 20000
	out := make([]arvhttp.MapLine, 0, g.NumSegments())
	for sgi := range g.SegFrom {
		c := g.SegClass[sgi]
		isMajor := c != road.ClassOther && c <= road.ClassSecondary
		if major && (c == road.ClassOther || c > road.ClassTertiary) {
			continue
		}
		out = append(out, arvhttp.MapLine{Points: g.SegmentShape(int32(sgi)), Major: isMajor})
	}
	return out
}

// defaultDemoRate is the demo's incident generator rate: about one
// made-up incident every ten minutes, each played ten times faster than
// real (assumption: enough to watch the board move; Wiltshire's real rate
// is 204 a year, docs/scenarios.md).
const defaultDemoRate = "6/h"

// generateFlag is the value of --generate: RATE[,speedup=N][,seed=N]
// (demo.ParseRate).
type generateFlag struct {
	demo.Rate
	text string
}

func (g *generateFlag) String() string { return g.text }

// Set parses the flag's value.
func (g *generateFlag) Set(s string) error {
	r, err := demo.ParseRate(s)
	if err != nil {
		return err
	}
	*g = generateFlag{Rate: r, text: s}
	return nil
}

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("serve", serveUsage)
	sf := addStoreFlags(fs)
	addr := fs.String("addr", arvhttp.DefaultAddr, "listen `address`")
	ref := fs.String("scenario", "wiltshire", "built-in scenario `name` or scenario file: the force's targets, complement and road network")
	withDemo := fs.Bool("demo", false, "seed an empty database with the scenario's demo force and print demo sign-ins")
	ratify := fs.Duration("ratify-within", arv.DefaultRatifyWithin, "time the strategic firearms commander has to ratify an authorisation")
	authorisers := fs.String("authorisers", "ITFC,TFC,SFC", "command `tickets` that may authorise armed deployment, comma-separated")
	lateAfter := fs.Duration("late-entry-after", arv.DefaultLateEntryAfter, "how long before its record a call time may be without a late-entry reason")
	secure := fs.Bool("tls-proxy", false, "clients reach the server over TLS (through a proxy): mark the session cookie Secure")
	discharge := addDischargeFlags(fs)
	unfinished := fs.Bool("submit-unfinished-year", false, "allow the annual return to be submitted before its financial year has ended")
	var gen generateFlag
	fs.Var(&gen, "generate", "with --demo, record made-up incidents at `RATE` an hour, such as 6/h (options: ,speedup=N,seed=N); 0: off")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *ratify < time.Minute || *ratify > 24*time.Hour {
		return usagef("--ratify-within %s: give between 1m and 24h", *ratify)
	}
	who, err := arv.ParseAccreditations(*authorisers)
	if err != nil {
		return usagef("--authorisers: %s", arv.ErrorMessage(err))
	}
	if err := discharge.check(); err != nil {
		return err
	}
	if *lateAfter < time.Minute || *lateAfter > 7*24*time.Hour {
		return usagef("--late-entry-after %s: give between 1m and 168h", *lateAfter)
	}
	if gen.PerHour > 0 && !*withDemo {
		return usagef("--generate records made-up incidents: give it with --demo only")
	}
	if *withDemo && !fs.explicit("generate") {
		// The demo's board moves by itself (issue 7).
		gen.Set(defaultDemoRate) // parses: TestParseRate
	}
	ls, err := m.loadScenario(ctx, *ref, nil)
	if err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	configureStore(st.Store, ls.Scenario, ls.Router, m)
	st.RatifyWithin = *ratify
	st.Authorisers = who
	discharge.apply(st.Store)
	st.SubmitUnfinishedYear = *unfinished
	st.LateEntryAfter = *lateAfter

	var passwords map[string]string
	if *withDemo {
		if _, err := demo.Seed(ctx, st.Store, ls.Scenario, ls.Router.Locate, m.now(), m.Stderr); err != nil {
			return err
		}
		if passwords, err = demo.SetPasswords(ctx, st.Store); err != nil {
			return err
		}
	}

	srv := arvhttp.NewServer()
	srv.Services, srv.Events, srv.Now, srv.Addr, srv.Secure = st.Store, st.Events, m.now, *addr, *secure
	srv.Roads = mapLines(ls.Router.Road())
	srv.Planner = newServerPlanner(m, ls.Scenario.Name)
	if err := srv.Open(); err != nil {
		return err
	}
	defer srv.Close()
	alertCtx, stopAlerts := context.WithCancel(ctx)
	defer stopAlerts()
	go st.WatchAlerts(alertCtx, 30*time.Second)

	w := m.Stdout
	fmt.Fprintf(w, "arv serve: %s on %s\n", ls.Scenario.Force.Name, st.Where)
	fmt.Fprintf(w, "  road network: %s; targets %.0f min urban, %.0f min rural; minimum complement %s\n",
		ls.Source, ls.Scenario.Targets.UrbanMinutes, ls.Scenario.Targets.RuralMinutes, describeComplement(st.MinComplement))
	fmt.Fprintf(w, "  Control room: %s/  (sign in with a user below)\n", srv.URL())
	fmt.Fprintf(w, "  API: %s/api/v1 (health: %s/healthz)\n", srv.URL(), srv.URL())
	if passwords != nil {
		fmt.Fprintln(w, "\nDemo sign-ins (new passwords at every --demo start):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  role\tusername\tpassword")
		for _, u := range demo.Users {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Role.Title(), u.Username, passwords[u.Username])
		}
		tw.Flush()
		fmt.Fprintf(w, "\nSign in:  curl -c jar -H 'Content-Type: application/json' -d '{\"username\":\"handler\",\"password\":\"%s\"}' %s/api/v1/login\n", passwords["handler"], srv.URL())
	}
	if passwords == nil {
		if users, err := st.FindUsers(arv.NewContextWithUser(ctx, arv.SystemUser)); err == nil && len(users) == 0 {
			fmt.Fprintln(w, "\nNo users yet: add the first administrator with")
			fmt.Fprintf(w, "  arv user add %s --username NAME --name \"FULL NAME\" --role administrator\n", sf.describe())
			fmt.Fprintln(w, "or start with --demo for the demo force and one user per role.")
		}
	}
	defer startGenerator(ctx, m, st.Store, ls, gen.Rate)()
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
	if f, ok := w.(*os.File); ok {
		f.Sync()
	}
	<-ctx.Done()
	fmt.Fprintln(m.Stderr, "arv serve: stopping")
	return nil
}

// startGenerator starts the incident generator when rate is on, printing
// its settings and seed, and returns what stops it and waits for it. It
// never stops the server: when the generator cannot start, it says why
// on stderr and the server runs without it.
func startGenerator(ctx context.Context, m *Main, svc arv.Services, ls *load.Loaded, rate demo.Rate) (stop func()) {
	if rate.PerHour <= 0 {
		return func() {}
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	g, err := demo.NewGenerator(ctx, svc, ls.Scenario, ls.Model, ls.Router.Locate, demo.Options{Rate: rate, Now: m.now, Log: log})
	if err != nil {
		fmt.Fprintf(m.Stderr, "arv serve: --generate: %v; serving without generated incidents\n", err)
		return func() {}
	}
	fmt.Fprintf(m.Stdout, "\nGenerating incidents (marked \"Demo:\"): %g an hour on average, played %gx faster (a 20-minute drive takes %s), seed %d.\n",
		g.PerHour(), g.Speedup(), g.Scale(20).Round(time.Second), g.Seed())
	gctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if v := recover(); v != nil {
				log.Error("generator: panic; no more incidents", "panic", v, "stack", string(debug.Stack()))
			}
		}()
		g.Run(gctx)
	}()
	return func() { cancel(); <-done }
}
