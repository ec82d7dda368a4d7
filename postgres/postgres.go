package postgres

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/sqlstore"
)

//go:embed migration/*.sql
var migrations embed.FS

// MaxPayload is the largest NOTIFY payload sent; PostgreSQL's limit is
// 8000 bytes. An event whose data is larger goes without it, and boards
// fetch the entity.
const MaxPayload = 7900

// DB is an open PostgreSQL store and its change listener.
type DB struct {
	// Store serves the arv services.
	*sqlstore.Store
	// Events is the local fan-out fed by the listener.
	Events arv.EventService

	cfg     *pgx.ConnConfig
	channel string
	cancel  context.CancelFunc
	done    chan struct{}
	ready   chan struct{}
	once    sync.Once
	logger  *slog.Logger
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), uses schema (created if missing; "" for the server's default
// search path), applies the migrations and starts listening for changes,
// which it publishes to events.
func Open(ctx context.Context, dsn, schema string, events arv.EventService) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if schema != "" {
		if !validSchema.MatchString(schema) {
			return nil, fmt.Errorf("postgres: schema %q: use lower-case letters, digits and underscores", schema)
		}
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("postgres: connect: %w", err)
		}
		_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize())
		conn.Close(ctx)
		if err != nil && !isDuplicate(err) {
			return nil, fmt.Errorf("postgres: create schema: %w", err)
		}
		cfg.RuntimeParams["search_path"] = schema
	}
	channel := "arv_events"
	if schema != "" {
		channel += "_" + schema
	}
	d := sqlstore.Dialect{
		Name:        "postgres",
		Dollar:      true,
		Serialize:   `SELECT pg_advisory_xact_lock(hashtext(current_schema()))`,
		FormatError: FormatError,
		Notify: func(ctx context.Context, tx *sql.Tx, e arv.Event) error {
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if len(b) > MaxPayload {
				e.Data = nil
				if b, err = json.Marshal(e); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, string(b))
			return err
		},
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	sub, err := fs.Sub(migrations, "migration")
	if err == nil {
		err = sqlstore.Migrate(ctx, db, d, sub)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := sqlstore.New(db, db, d)
	s.Events = events
	lctx, cancel := context.WithCancel(context.Background())
	out := &DB{Store: s, Events: events, cfg: cfg, channel: channel, cancel: cancel, done: make(chan struct{}), ready: make(chan struct{}), logger: slog.Default().With("component", "postgres")}
	go out.listen(lctx)
	select {
	case <-out.ready:
	case <-ctx.Done():
		out.Close()
		return nil, ctx.Err()
	case <-time.After(10 * time.Second):
		out.Close()
		return nil, errors.New("postgres: the change listener did not start within 10 s")
	}
	return out, nil
}

var validSchema = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,40}$`)

// listen receives NOTIFYs and publishes them, reconnecting after errors.
func (d *DB) listen(ctx context.Context) {
	defer close(d.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := d.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		d.logger.Warn("change listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (d *DB) listenOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, d.cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{d.channel}.Sanitize()); err != nil {
		return err
	}
	d.once.Do(func() { close(d.ready) })
	// Changes made while the listener was away were not heard: caches
	// must reread.
	d.Store.Invalidate()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		d.Store.Invalidate()
		var e arv.Event
		if err := json.Unmarshal([]byte(n.Payload), &e); err != nil {
			d.logger.Warn("ignoring a malformed change notification", "err", err)
			continue
		}
		if d.Events != nil {
			d.Events.Publish(e)
		}
	}
}

// Close stops the listener and closes the database. Safe to call twice.
func (d *DB) Close() error {
	d.cancel()
	<-d.done
	var err error
	d.once.Do(func() { close(d.ready) })
	if d.Store != nil {
		err = d.Store.Write.Close()
		d.Store = nil
	}
	return err
}

// DropSchema removes a schema and everything in it (tests).
func DropSchema(ctx context.Context, dsn, schema string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	return err
}

func isDuplicate(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "42P06")
}

// FormatError turns a unique-constraint failure (SQLSTATE 23505) into
// ECONFLICT.
func FormatError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return &arv.Error{Code: arv.ECONFLICT, Message: "That record already exists."}
	}
	return err
}
