// Command arv is the armed-response planning and operations tool.
//
// Usage:
//
//	arv <command> [flags]
//
// Run "arv help" for the list of commands and "arv <command> -h" for the
// flags of one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Version is the release, set at build time with
// -ldflags "-X main.Version=v1.2.3"; when empty the module version from
// the build information is used.
var Version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(m.exitCode(err))
}

// Main runs arv commands. Its fields are the process's environment, so
// tests can run commands in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StderrIsTerminal enables in-place progress lines.
	StderrIsTerminal bool
	// Now is the clock for dates written into outputs; nil: time.Now.
	Now func() time.Time
}

// now returns the time on m's clock.
func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		StderrIsTerminal: isTerminal(os.Stderr),
		Now:              time.Now,
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, m *Main, args []string) error
}

var commands = map[string]command{
	"graph":     {"build, inspect and configure road graph files", runGraph},
	"plan":      {"plan standby locations, staffing and what-ifs; write the HTML report", runPlan},
	"route":     {"fastest blue-light route between two places", runRoute},
	"scenario":  {"check, show and list scenarios", runScenario},
	"serve":     {"run the operations server (JSON API) on SQLite or PostgreSQL", runServe},
	"user":      {"add users and set passwords on the operations database", runUser},
	"audit":     {"verify the operations audit log's hash chain", runAudit},
	"incidents": {"export closed incidents for planning (CSV)", runIncidents},
	"simulate":  {"simulate the armed response: how long until armed officers arrive", runSimulate},
	"table":     {"travel-time matrix (minutes) between two lists of places", runTable},
	"isochrone": {"areas reachable within given minutes, as GeoJSON", runIsochrone},
	"version":   {"print the version", runVersion},
}

// usageError is a mistake in how a command was called: it exits with
// status 2 and shows the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				if err := c.run(ctx, m, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
					return err
				}
				return nil
			}
		}
		m.usage(m.Stdout)
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q", args[0])
	}
	err := c.run(ctx, m, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		name := args[0]
		if name == "graph" && len(args) > 1 && !strings.HasPrefix(args[1], "-") {
			name += " " + args[1]
		}
		return &cmdError{name: name, err: err}
	}
	return nil
}

type cmdError struct {
	name string
	err  error
}

func (e *cmdError) Error() string { return "arv " + e.name + ": " + e.err.Error() }
func (e *cmdError) Unwrap() error { return e.err }

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "arv plans and runs a British-model armed response.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: arv <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "arv <command> -h" for a command's flags. With no --graph, commands use`)
	fmt.Fprintln(w, "the built-in Wiltshire strategic road network.")
}

// exitCode prints err and returns the process status: 0 success, 1 an
// error, 2 a usage mistake, 130 interrupted.
func (m *Main) exitCode(err error) int {
	var ue *usageError
	var ce *cmdError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "arv: interrupted")
		return 130
	case errors.As(err, &ue):
		if errors.As(err, &ce) {
			fmt.Fprintln(m.Stderr, err)
			fmt.Fprintf(m.Stderr, "Run \"arv %s -h\" for usage.\n", ce.name)
		} else {
			fmt.Fprintln(m.Stderr, "arv:", err)
			fmt.Fprintln(m.Stderr, `Run "arv help" for usage.`)
		}
		return 2
	}
	fmt.Fprintln(m.Stderr, err)
	return 1
}

// flagSet is a command's flags and the usage text it prints for -h.
type flagSet struct {
	*flag.FlagSet
	usage string
	out   io.Writer
	// args is the number of positional arguments allowed.
	args int
}

// newFlagSet returns the flags of a command: parse reports mistakes as
// usage errors and prints the usage to stdout only when -h asks for it.
func (m *Main) newFlagSet(name, usage string) *flagSet {
	fs := flag.NewFlagSet("arv "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // printed by parse, once, on -h
	return &flagSet{FlagSet: fs, usage: usage, out: m.Stdout}
}

// explicit reports whether the flag name was given on the command line.
func (fs *flagSet) explicit(name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parse parses args. -h prints the usage and returns flag.ErrHelp; a
// mistake returns a usage error.
func (fs *flagSet) parse(args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(fs.out, "Usage: arv %s\n\n", fs.usage)
		fs.SetOutput(fs.out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return err
	}
	if err != nil {
		return usagef("%v", err)
	}
	if fs.NArg() > fs.args {
		return usagef("unexpected argument %q", fs.Arg(fs.args))
	}
	return nil
}

func runVersion(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("version", "version")
	if err := fs.parse(args); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "arv", version())
	return nil
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
