package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/sqlstore"
)

//go:embed migration/*.sql
var migrations embed.FS

// Dialect is SQLite's dialect for sqlstore.
var Dialect = sqlstore.Dialect{Name: "sqlite", FormatError: FormatError}

// Open opens (creating if needed) the database file at path, applies the
// migrations and returns the store.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlite: give a database file path (in-memory databases are one per connection)")
	}
	params := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"} {
		params.Add("_pragma", p)
	}
	base := "file:" + escapePath(path)
	wparams := url.Values{"_txlock": {"immediate"}}
	for k, v := range params {
		wparams[k] = v
	}
	write, err := sql.Open("sqlite", base+"?"+wparams.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One writer: SQLite allows one at a time, and queueing in the pool
	// is fairer than retrying on SQLITE_BUSY.
	write.SetMaxOpenConns(1)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	sub, err := fs.Sub(migrations, "migration")
	if err != nil {
		write.Close()
		return nil, err
	}
	if err := sqlstore.Migrate(ctx, write, Dialect, sub); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	rparams := url.Values{}
	for k, v := range params {
		rparams[k] = v
	}
	rparams.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", base+"?"+rparams.Encode())
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	read.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	return sqlstore.New(write, read, Dialect), nil
}

// escapePath makes a file path safe in a file: URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// FormatError turns a UNIQUE or PRIMARY KEY constraint failure into
// ECONFLICT.
func FormatError(err error) error {
	var e *sqlite3.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3lib.SQLITE_CONSTRAINT_UNIQUE, sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &arv.Error{Code: arv.ECONFLICT, Message: "That record already exists."}
		}
	}
	return err
}
