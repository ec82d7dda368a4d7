package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/postgres"
	"github.com/arv-project/arv/sqlite"
)

// storeFlags choose the operations database: the embedded SQLite file by
// default, or a PostgreSQL server.
type storeFlags struct {
	db       *string
	postgres *string
	schema   *string
}

func addStoreFlags(fs *flagSet) storeFlags {
	return storeFlags{
		db:       fs.String("db", "arv.db", "SQLite database `file` (created if missing)"),
		postgres: fs.String("postgres", "", "use the PostgreSQL database at `DSN` (postgres://user@host:5432/db) instead of --db"),
		schema:   fs.String("schema", "", "PostgreSQL `schema` (default: the server's search path)"),
	}
}

// openedStore is an open operations store and what closes it.
type openedStore struct {
	*sqlstore.Store
	Events *inmem.EventService
	// Where says which database, for messages.
	Where string
	close func() error
}

func (o *openedStore) Close() error { return o.close() }

// describe returns the flags that select the same database, for
// messages that suggest another command.
func (f storeFlags) describe() string {
	if *f.postgres != "" {
		out := "--postgres '" + redactDSN(*f.postgres) + "'"
		if *f.schema != "" {
			out += " --schema " + *f.schema
		}
		return out
	}
	return "--db " + *f.db
}

// open opens the chosen database, applying migrations.
func (f storeFlags) open(ctx context.Context) (*openedStore, error) {
	ev := inmem.NewEventService()
	if *f.postgres != "" {
		db, err := postgres.Open(ctx, *f.postgres, *f.schema, ev)
		if err != nil {
			return nil, err
		}
		where := "PostgreSQL " + redactDSN(*f.postgres)
		if *f.schema != "" {
			where += " schema " + *f.schema
		}
		return &openedStore{Store: db.Store, Events: ev, Where: where, close: db.Close}, nil
	}
	s, err := sqlite.Open(ctx, *f.db)
	if err != nil {
		return nil, err
	}
	s.Events = ev
	return &openedStore{Store: s, Events: ev, Where: *f.db + " (SQLite)", close: s.Close}, nil
}

// openExisting opens a database that must already exist, for commands
// that read one (audit verify, incidents export): a missing SQLite file is
// an error, not a new empty database.
func (f storeFlags) openExisting(ctx context.Context) (*openedStore, error) {
	if *f.postgres == "" {
		if _, err := os.Stat(*f.db); err != nil {
			return nil, fmt.Errorf("%s: no such database (give --db FILE or --postgres DSN)", *f.db)
		}
	}
	return f.open(ctx)
}

// redactDSN hides a password in a DSN for messages.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.Index(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return dsn[:i+3] + rest[:c] + ":***" + rest[at:]
			}
		}
	}
	return dsn
}

// configureStore sets the force's rules on a store from its scenario.
func configureStore(st *sqlstore.Store, s *arv.Scenario, router arv.Router, m *Main) {
	st.Now = m.now
	st.Router = router
	st.Classify = s.UrbanClassifier(router.Locate)
	st.UrbanTarget, st.RuralTarget = s.Targets.UrbanMinutes, s.Targets.RuralMinutes
	st.MinComplement = arv.Complement{ARVs: s.MinimumComplement, OfficersPerARV: s.Crew()}
}

func describeComplement(c arv.Complement) string {
	return fmt.Sprintf("%d ARVs of %d officers", c.ARVs, c.OfficersPerARV)
}
