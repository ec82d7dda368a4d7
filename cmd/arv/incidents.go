package main

import (
	"context"
	"fmt"
	"io"

	"github.com/arv-project/arv"
)

const incidentsUsage = `incidents export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]
                 [--db FILE | --postgres DSN [--schema NAME]]

Writes the closed (stood-down) incidents called on London days --from
through --to, demo incidents left out, as CSV for planning: incident_id,
call_at (RFC 3339 with the London offset), lat, lon, class (urban or
rural), response_minutes (call to first arrival; empty if nobody
arrived), arvs_sent, on_scene_minutes (first arrival to stand-down;
empty if nobody arrived), pre_planned (true or false). The columns are
documented in docs/operations.md. Writes to standard output without
--out.`

func runIncidents(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "-h" && args[0] != "--help") {
		return usagef("incidents: give export")
	}
	if args[0] == "export" {
		args = args[1:]
	}
	fs := m.newFlagSet("incidents export", incidentsUsage)
	sf := addStoreFlags(fs)
	from := fs.String("from", "", "first London `day` to export, YYYY-MM-DD")
	to := fs.String("to", "", "last London `day` to export, YYYY-MM-DD")
	out := fs.String("out", "", "write the CSV to `file` instead of standard output")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usagef("--from and --to are required")
	}
	fromDay, err := arv.ParseDate(*from)
	if err != nil {
		return usagef("--from: %s", arv.ErrorMessage(err))
	}
	toDay, err := arv.ParseDate(*to)
	if err != nil {
		return usagef("--to: %s", arv.ErrorMessage(err))
	}
	st, err := sf.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// The command line acts as the system, as the other commands do.
	rows, err := st.ExportIncidents(arv.NewContextWithUser(ctx, arv.SystemUser), fromDay, toDay)
	if err != nil {
		return err
	}
	if *out == "" {
		return arv.WriteExportCSV(m.Stdout, rows)
	}
	if err := writeFile(*out, func(w io.Writer) error { return arv.WriteExportCSV(w, rows) }); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "arv incidents export: %d incidents from %s to %s written to %s\n", len(rows), fromDay, toDay, *out)
	return nil
}
